// MetricRegistry: the metrics the server serves, loaded from plugin
// directories.
//
// Every regular file named *.so in each directory is tried, in name order. A
// file that others than root and the server's user could change
// (plugin_file_policy.h), or whose SHA-256 is not on the allow list when
// there is one, is refused before any of its code runs. So is a file that
// is not a loadable library, lacks the entry symbol, speaks another major
// ABI version, declares a malformed schema, or reuses a plugin or metric
// name already loaded, or fails a conformance check, or crashes or hangs
// while loading: one line naming the file and the reason goes to the log,
// and the rest keep loading. Refused plugins are never
// listed or served. No new plugin code runs in this process while loading:
// the entry function and the checks run in a child (plugin_worker.h).
//
// A registry never changes: reloading builds a new one (Reload()), which the
// server swaps in for new calls (live_registry.h).
//
// Thread-safe: immutable after Load().
#ifndef KPI_HOST_METRIC_REGISTRY_H_
#define KPI_HOST_METRIC_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "metric.h"
#include "plugin_library.h"
#include "private_copy.h"

namespace kpi {

// What a load or reload did to one plugin file. Files that did not change
// since the previous load are not reported, nor a file refused again for the
// same reason as last time.
struct PluginChange {
  enum class Kind {
    kLoaded,        // a new file now serves
    kReplaced,      // a changed file's new version now serves
    kRemoved,       // the file is gone; its metrics are no longer served
    kKeptPrevious,  // a changed file was refused; its old version serves on
    kRefused,       // a file was refused and nothing serves from it
  };
  Kind kind;
  std::string path;
  // The plugin that serves from `path` now (or served, when removed); empty
  // when refused.
  std::string plugin;
  std::string version;
  // Why the file was refused (kKeptPrevious, kRefused).
  std::string reason;
};

class MetricRegistry {
 public:
  using Log = std::function<void(absl::string_view line)>;

  struct Options {
    // Every plugin that loads must also pass the conformance checks
    // (conformance.h) before it serves; one that fails is refused naming the
    // check, e.g. "conformance check 'merge is associative' failed for
    // metric 'm': ...".
    bool check_plugins = true;
    // A plugin file, or a plugin directory, that someone other than root
    // and the server's user could change (plugin_file_policy.h: owners and
    // write permissions along the whole path, as sshd's StrictModes) is
    // refused before any of its code runs. true skips that check
    // (--allow-writable-plugins), also for plugin_sha256_file.
    bool allow_writable = false;
    // Where plugin code runs (plugin_library.h), for every directory not
    // named in directory_isolation.
    Isolation isolation = Isolation::kProcess;
    absl::flat_hash_map<std::string, Isolation> directory_isolation;
    // The workers (process isolation) and load-time children (none).
    // worker.run_checks is set from check_plugins.
    WorkerOptions worker;
    // When not empty, the allow list of plugin SHA-256 digests
    // (plugin_digests.h; --plugin-sha256-file), read at every load and
    // reload: a file whose digest is not listed is refused. A list that
    // cannot be read or parsed (or is not trusted as a plugin file would be)
    // fails the load or the reload.
    std::string plugin_sha256_file;
  };

  // Loads every plugin in `directories`. NOT_FOUND if a directory does not
  // exist (a mistyped --plugin-dir should stop the server, not serve
  // nothing). Each change (here: every file) is logged through `log` in
  // one line and kept in changes().
  static absl::StatusOr<std::shared_ptr<const MetricRegistry>> Load(
      const std::vector<std::string>& directories, const Log& log,
      const Options& options);
  static absl::StatusOr<std::shared_ptr<const MetricRegistry>> Load(
      const std::vector<std::string>& directories, const Log& log) {
    return Load(directories, log, Options{});
  }

  // A new registry from the same directories and options as this one:
  // files whose version (private_copy.h) is unchanged keep their loaded
  // library without running its code again; new and changed files are
  // loaded and checked as by Load(); a changed file that is refused keeps
  // its previous version serving; removed files are dropped. Plugins that
  // served before win name clashes against new files. This registry is not
  // modified: calls holding its metrics finish on them, and each library is
  // unloaded when the last Metric or state holding it goes. An error (a
  // directory gone) means nothing changed.
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> Reload(
      const Log& log) const;

  // nullptr when no loaded plugin provides `name`.
  std::shared_ptr<const Metric> Find(absl::string_view name) const;
  // All metrics, sorted by name.
  const std::vector<std::shared_ptr<const Metric>>& metrics() const {
    return metrics_;
  }
  const std::vector<std::shared_ptr<const PluginLibrary>>& plugins() const {
    return plugins_;
  }
  // What this registry's load changed relative to the previous one, in the
  // order the files were considered.
  const std::vector<PluginChange>& changes() const { return changes_; }

 private:
  MetricRegistry(std::vector<std::string> directories, Options options)
      : directories_(std::move(directories)), options_(options) {}
  static absl::StatusOr<std::shared_ptr<const MetricRegistry>> Build(
      std::vector<std::string> directories, const Log& log,
      const Options& options, const MetricRegistry* previous);
  // Loads and checks one new or changed file, permissions first.
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> LoadFile(
      const std::string& file, const absl::Status& directory_safe,
      Isolation isolation) const;
  // Adds the library's metrics, or returns why it must be refused.
  absl::Status Add(std::shared_ptr<const PluginLibrary> library);
  void Record(PluginChange change, const Log& log);

  std::vector<std::string> directories_;
  Options options_;
  std::vector<std::shared_ptr<const PluginLibrary>> plugins_;
  std::vector<std::shared_ptr<const Metric>> metrics_;
  absl::flat_hash_map<std::string, std::shared_ptr<const Metric>> by_name_;
  std::vector<PluginChange> changes_;
  // Why each file refused by this load was refused, and its version then.
  struct Refusal {
    FileVersion version;
    std::string reason;
    bool operator==(const Refusal& other) const {
      return version == other.version && reason == other.reason;
    }
  };
  absl::flat_hash_map<std::string, Refusal> refused_;
  // Options::plugin_sha256_file as read by this load; null without one.
  std::shared_ptr<const PluginDigests> digests_;
};

}  // namespace kpi

#endif  // KPI_HOST_METRIC_REGISTRY_H_
