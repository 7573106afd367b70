#include "live_config.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "private_copy.h"

namespace kpi {

absl::StatusOr<std::shared_ptr<const ParameterProfiles>>
LiveConfig::LoadProfiles(const std::string& file) {
  if (file.empty()) return std::make_shared<const ParameterProfiles>();
  return ParameterProfiles::Load(file);
}

void LiveConfig::RemoveStaleCopies(const MetricRegistry::Log& log) {
  const std::string root = PrivateCopyRoot();
  const StaleCopyCleanup cleanup = RemoveStalePrivateCopies(root);
  if (!cleanup.removed.empty()) {
    log(absl::StrCat("removed ", cleanup.removed.size(),
                     " stale private plugin copies (kpi-plugin-*) from ", root,
                     ", left by servers or workers that are gone"));
  }
  for (const std::string& problem : cleanup.problems) {
    log(absl::StrCat("left a stale-looking private plugin copy: ", problem));
  }
}

absl::StatusOr<std::unique_ptr<LiveConfig>> LiveConfig::Load(
    const std::vector<std::string>& plugin_dirs,
    const MetricRegistry::Options& options, std::string profiles_file,
    MetricRegistry::Log log) {
  RemoveStaleCopies(log);
  absl::StatusOr<std::shared_ptr<const ParameterProfiles>> profiles =
      LoadProfiles(profiles_file);
  if (!profiles.ok()) return profiles.status();
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> registry =
      MetricRegistry::Load(plugin_dirs, log, options);
  if (!registry.ok()) return registry.status();
  std::unique_ptr<LiveConfig> config(
      new LiveConfig(std::move(profiles_file), std::move(log),
                     {*std::move(registry), *std::move(profiles)}));
  config->LogProfileProblems(config->current_);
  config->CountRefusals(*config->current_.registry);
  return config;
}

ServingConfig LiveConfig::Current() const {
  std::lock_guard<std::mutex> lock(current_mutex_);
  return current_;
}

absl::StatusOr<ServingConfig> LiveConfig::Reload() {
  std::lock_guard<std::mutex> reloading(reload_mutex_);
  absl::StatusOr<std::shared_ptr<const ParameterProfiles>> profiles =
      LoadProfiles(profiles_file_);
  if (!profiles.ok()) {
    ++reloads_failed_;
    return profiles.status();
  }
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> registry =
      Current().registry->Reload(log_);
  if (!registry.ok()) {
    ++reloads_failed_;
    return registry.status();
  }
  CountRefusals(**registry);
  ++reloads_ok_;
  ServingConfig next{*std::move(registry), *std::move(profiles)};
  ServingConfig previous;  // released after the lock: may unload libraries
  {
    std::lock_guard<std::mutex> lock(current_mutex_);
    previous = std::exchange(current_, next);
  }
  LogProfileProblems(next);
  log_(absl::StrCat("reloaded: ", next.registry->changes().size(),
                    " plugin files changed; serving ",
                    next.registry->metrics().size(), " metrics from ",
                    next.registry->plugins().size(), " plugins, ",
                    next.profiles->size(), " profiles"));
  return next;
}

LiveConfig::Counts LiveConfig::counts() const {
  Counts counts;
  counts.reloads_ok = reloads_ok_.load(std::memory_order_relaxed);
  counts.reloads_failed = reloads_failed_.load(std::memory_order_relaxed);
  counts.plugin_refusals = plugin_refusals_.load(std::memory_order_relaxed);
  return counts;
}

void LiveConfig::CountRefusals(const MetricRegistry& registry) {
  for (const PluginChange& change : registry.changes()) {
    if (change.kind == PluginChange::Kind::kRefused ||
        change.kind == PluginChange::Kind::kKeptPrevious) {
      ++plugin_refusals_;
    }
  }
}

void LiveConfig::LogProfileProblems(const ServingConfig& config) const {
  for (const std::string& problem : config.profiles->Check(*config.registry)) {
    log_(absl::StrCat("profiles file ", profiles_file_, ": ", problem));
  }
}

}  // namespace kpi
