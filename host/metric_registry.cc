#include "metric_registry.h"

#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "plugin_digests.h"
#include "plugin_file_policy.h"
#include "private_copy.h"

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

}  // namespace

absl::StatusOr<std::shared_ptr<const MetricRegistry>> MetricRegistry::Load(
    const std::vector<std::string>& directories, const Log& log,
    const Options& options) {
  return Build(directories, log, options, nullptr);
}

absl::StatusOr<std::shared_ptr<const MetricRegistry>> MetricRegistry::Reload(
    const Log& log) const {
  return Build(directories_, log, options_, this);
}

absl::StatusOr<std::shared_ptr<const MetricRegistry>> MetricRegistry::Build(
    std::vector<std::string> directories, const Log& log,
    const Options& options, const MetricRegistry* previous) {
  struct File {
    std::string path;
    absl::Status directory_safe;
    Isolation isolation;
    // Its version when listed; unknown (default) if it cannot be read.
    FileVersion version;
  };
  std::vector<File> files;
  for (const std::string& directory : directories) {
    absl::StatusOr<std::vector<std::string>> listed = PluginFiles(directory);
    if (!listed.ok()) return listed.status();
    const absl::Status directory_safe =
        options.allow_writable
            ? absl::OkStatus()
            : CheckPluginPath(directory, PluginPathKind::kDirectory);
    auto isolation = options.directory_isolation.find(directory);
    for (std::string& path : *listed) {
      const absl::StatusOr<FileVersion> version = VersionOfFile(path);
      files.push_back({std::move(path), directory_safe,
                       isolation == options.directory_isolation.end()
                           ? options.isolation
                           : isolation->second,
                       version.ok() ? *version : FileVersion{}});
    }
  }
  absl::flat_hash_map<std::string, std::shared_ptr<const PluginLibrary>>
      served_before;
  if (previous != nullptr) {
    for (const auto& library : previous->plugins_) {
      served_before.emplace(library->path(), library);
    }
  }

  std::shared_ptr<MetricRegistry> registry(
      new MetricRegistry(std::move(directories), options));
  if (!options.plugin_sha256_file.empty()) {
    const std::string& list = options.plugin_sha256_file;
    if (!options.allow_writable) {
      if (absl::Status s = CheckPluginPath(list, PluginPathKind::kFile,
                                           "plugin digest list", geteuid());
          !s.ok()) {
        return s;
      }
    }
    absl::StatusOr<PluginDigests> digests = PluginDigests::Load(list);
    if (!digests.ok()) return digests.status();
    registry->digests_ =
        std::make_shared<const PluginDigests>(*std::move(digests));
  }
  // Unchanged files first, so what already serves wins a name clash with a
  // file that appeared since.
  std::vector<const File*> new_or_changed;
  for (const File& file : files) {
    auto before = served_before.find(file.path);
    if (before == served_before.end() ||
        file.version != before->second->file_version() ||
        !registry->Add(before->second).ok()) {
      new_or_changed.push_back(&file);
    }
  }
  // Files that served before go first, so a new file cannot take their
  // plugin or metric names from under them.
  std::stable_partition(
      new_or_changed.begin(), new_or_changed.end(),
      [&](const File* file) { return served_before.contains(file->path); });
  for (const File* file : new_or_changed) {
    auto before = served_before.find(file->path);
    const std::shared_ptr<const PluginLibrary> previous_version =
        before == served_before.end() ? nullptr : before->second;
    absl::StatusOr<std::shared_ptr<const PluginLibrary>> library =
        registry->LoadFile(file->path, file->directory_safe, file->isolation);
    absl::Status status = library.status();
    if (status.ok()) status = registry->Add(*library);
    if (status.ok()) {
      const kpi_plugin_descriptor& d = (*library)->descriptor();
      registry->Record({previous_version ? PluginChange::Kind::kReplaced
                                         : PluginChange::Kind::kLoaded,
                        file->path, d.name, d.version, ""},
                       log);
    } else {
      // Refused files are tried again at every reload (what clashed with
      // them may be gone), but reported again only when the file or the
      // reason changed.
      const bool kept =
          previous_version != nullptr && registry->Add(previous_version).ok();
      Refusal refusal{file->version, std::string(status.message())};
      bool reported_before = false;
      if (previous != nullptr) {
        auto it = previous->refused_.find(file->path);
        reported_before =
            it != previous->refused_.end() && it->second == refusal;
      }
      if (!reported_before) {
        const kpi_plugin_descriptor* d =
            kept ? &previous_version->descriptor() : nullptr;
        registry->Record(
            {kept ? PluginChange::Kind::kKeptPrevious
                  : PluginChange::Kind::kRefused,
             file->path, d ? d->name : "", d ? d->version : "", refusal.reason},
            log);
      }
      registry->refused_.emplace(file->path, std::move(refusal));
    }
  }
  for (const auto& [path, library] : served_before) {
    // A copy of the binding: C++17 lambdas cannot capture structured
    // bindings (GCC allows it, clang refuses).
    const std::string& served_path = path;
    if (std::none_of(files.begin(), files.end(), [&](const File& file) {
          return file.path == served_path;
        })) {
      const kpi_plugin_descriptor& d = library->descriptor();
      registry->Record(
          {PluginChange::Kind::kRemoved, path, d.name, d.version, ""}, log);
    }
  }
  std::sort(registry->metrics_.begin(), registry->metrics_.end(),
            [](const auto& a, const auto& b) { return a->name() < b->name(); });
  return registry;
}

absl::StatusOr<std::shared_ptr<const PluginLibrary>> MetricRegistry::LoadFile(
    const std::string& file, const absl::Status& directory_safe,
    Isolation isolation) const {
  // Permissions first: a refused file's code never runs.
  if (!options_.allow_writable) {
    if (!directory_safe.ok()) return directory_safe;
    if (absl::Status status = CheckPluginPath(file, PluginPathKind::kFile);
        !status.ok()) {
      return status;
    }
  }
  PluginLoadOptions load{isolation, options_.worker, digests_};
  load.worker.run_checks = options_.check_plugins;
  return PluginLibrary::Load(file, load);
}

void MetricRegistry::Record(PluginChange change, const Log& log) {
  switch (change.kind) {
    case PluginChange::Kind::kLoaded:
    case PluginChange::Kind::kReplaced:
      log(absl::StrCat(
          change.kind == PluginChange::Kind::kLoaded ? "loaded" : "replaced",
          " plugin ", change.plugin, " ", change.version, " from ",
          change.path));
      break;
    case PluginChange::Kind::kRemoved:
      log(absl::StrCat("removed plugin ", change.plugin, " ", change.version,
                       ": ", change.path,
                       " is gone (unloaded when its last call finishes)"));
      break;
    case PluginChange::Kind::kKeptPrevious:
      log(absl::StrCat("refused new version of ", change.path, ": ",
                       change.reason, "; version ", change.version,
                       " keeps serving"));
      break;
    case PluginChange::Kind::kRefused:
      log(absl::StrCat("refused plugin ", change.path, ": ", change.reason));
      break;
  }
  changes_.push_back(std::move(change));
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
