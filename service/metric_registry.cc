#include "metric_registry.h"

#include <sys/stat.h>

#include <algorithm>
#include <boost/filesystem.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "conformance.h"

namespace kpi {
namespace {

// The *.so regular files of `directory`, sorted, so load order (and so which
// of two duplicates wins) does not depend on the file system.
absl::StatusOr<std::vector<std::string>> PluginFiles(
    const std::string& directory) {
  namespace fs = boost::filesystem;
  boost::system::error_code error;
  if (!fs::is_directory(directory, error)) {
    return absl::NotFoundError(
        absl::StrCat("plugin directory ", directory, " does not exist"));
  }
  std::vector<std::string> files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    const fs::path& path = it->path();
    if (path.extension() == ".so" && fs::is_regular_file(path, error)) {
      files.push_back(path.string());
    }
  }
  if (error) {
    return absl::UnavailableError(absl::StrCat(
        "cannot list plugin directory ", directory, ": ", error.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

// OK unless every user may write `path` (world write permission). Group
// write is allowed: with per-user private groups (umask 002) it is the norm
// for a user's own build output.
absl::Status CheckNotWritableByOthers(const std::string& path,
                                      absl::string_view what) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot stat ", what, " ", path));
  }
  if ((info.st_mode & S_IWOTH) == 0) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrFormat(
      "%s %s is writable by every user (mode %04o): whoever can write it can "
      "run code in kpi-server; chmod o-w it, or pass "
      "--allow-writable-plugins",
      what, path, static_cast<unsigned>(info.st_mode & 07777)));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const MetricRegistry>> MetricRegistry::Load(
    const std::vector<std::string>& directories, const Log& log,
    const Options& options) {
  std::shared_ptr<MetricRegistry> registry(new MetricRegistry());
  for (const std::string& directory : directories) {
    absl::StatusOr<std::vector<std::string>> files = PluginFiles(directory);
    if (!files.ok()) return files.status();
    const absl::Status directory_safe =
        options.allow_writable
            ? absl::OkStatus()
            : CheckNotWritableByOthers(directory, "plugin directory");
    for (const std::string& file : *files) {
      // Permissions first: a refused file's code never runs.
      absl::Status status = directory_safe;
      if (status.ok() && !options.allow_writable) {
        status = CheckNotWritableByOthers(file, "plugin file");
      }
      absl::StatusOr<std::shared_ptr<const PluginLibrary>> library =
          status.ok()
              ? PluginLibrary::Load(file)
              : absl::StatusOr<std::shared_ptr<const PluginLibrary>>(status);
      status = library.status();
      if (status.ok() && options.check_plugins) {
        status = ConformanceStatus(CheckConformance(*library));
      }
      if (status.ok()) status = registry->Add(*library);
      if (status.ok()) {
        const kpi_plugin_descriptor& d = (*library)->descriptor();
        log(absl::StrCat("loaded plugin ", d.name, " ", d.version, " (",
                         d.num_metrics, " metrics) from ", file));
      } else {
        log(absl::StrCat("refused plugin ", file, ": ", status.message()));
        registry->refused_.push_back({file, std::string(status.message())});
      }
    }
  }
  std::sort(registry->metrics_.begin(), registry->metrics_.end(),
            [](const auto& a, const auto& b) { return a->name() < b->name(); });
  return registry;
}

absl::Status MetricRegistry::Add(std::shared_ptr<const PluginLibrary> library) {
  const kpi_plugin_descriptor& plugin = library->descriptor();
  for (const auto& loaded : plugins_) {
    if (absl::string_view(loaded->descriptor().name) == plugin.name) {
      return absl::AlreadyExistsError(absl::StrCat("plugin name '", plugin.name,
                                                   "' is already loaded from ",
                                                   loaded->path()));
    }
  }
  for (size_t i = 0; i < plugin.num_metrics; ++i) {
    auto existing = by_name_.find(plugin.metrics[i].name);
    if (existing != by_name_.end()) {
      return absl::AlreadyExistsError(
          absl::StrCat("metric '", plugin.metrics[i].name,
                       "' is already provided by plugin '",
                       existing->second->library().descriptor().name, "' (",
                       existing->second->library().path(), ")"));
    }
  }
  for (size_t i = 0; i < plugin.num_metrics; ++i) {
    auto metric = std::make_shared<const Metric>(library, &plugin.metrics[i]);
    by_name_.emplace(plugin.metrics[i].name, metric);
    metrics_.push_back(std::move(metric));
  }
  plugins_.push_back(std::move(library));
  return absl::OkStatus();
}

std::shared_ptr<const Metric> MetricRegistry::Find(
    absl::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace kpi
