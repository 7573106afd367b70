// MetricRegistry: the metrics the server serves, loaded from plugin
// directories.
//
// Every regular file named *.so in each directory is tried, in name order. A
// file that is not a loadable library, lacks the entry symbol, speaks another
// major ABI version, declares a malformed schema, or reuses a plugin or
// metric name already loaded, or fails a conformance check, is refused: one
// line naming the file and the reason goes to the log, and the rest keep
// loading. Refused plugins are never listed or served.
//
// Thread-safe: immutable after Load().
#ifndef KPI_SERVICE_METRIC_REGISTRY_H_
#define KPI_SERVICE_METRIC_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "metric.h"
#include "plugin_library.h"

namespace kpi {

struct RefusedPlugin {
  std::string path;
  std::string reason;
};

class MetricRegistry {
 public:
  using Log = std::function<void(absl::string_view line)>;

  // Loads every plugin in `directories`. NOT_FOUND if a directory does not
  // exist (a mistyped --plugin-dir should stop the server, not serve
  // nothing). Refusals are logged through `log` and kept in refused().
  //
  struct Options {
    // Every plugin that loads must also pass the conformance checks
    // (conformance.h) before it serves; one that fails is refused naming the
    // check, e.g. "conformance check 'merge is associative' failed for
    // metric 'm': ...".
    bool check_plugins = true;
    // A plugin file, or a plugin directory, that every user can write is
    // refused before any of its code runs -- whoever can write it can run
    // code in the server -- as sshd refuses such key files.
    bool allow_writable = false;
  };

  static absl::StatusOr<std::shared_ptr<const MetricRegistry>> Load(
      const std::vector<std::string>& directories, const Log& log,
      const Options& options);
  static absl::StatusOr<std::shared_ptr<const MetricRegistry>> Load(
      const std::vector<std::string>& directories, const Log& log) {
    return Load(directories, log, Options{});
  }

  // nullptr when no loaded plugin provides `name`.
  std::shared_ptr<const Metric> Find(absl::string_view name) const;
  // All metrics, sorted by name.
  const std::vector<std::shared_ptr<const Metric>>& metrics() const {
    return metrics_;
  }
  const std::vector<std::shared_ptr<const PluginLibrary>>& plugins() const {
    return plugins_;
  }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }

 private:
  MetricRegistry() = default;
  // Adds the library's metrics, or returns why it must be refused.
  absl::Status Add(std::shared_ptr<const PluginLibrary> library);

  std::vector<std::shared_ptr<const PluginLibrary>> plugins_;
  std::vector<std::shared_ptr<const Metric>> metrics_;
  absl::flat_hash_map<std::string, std::shared_ptr<const Metric>> by_name_;
  std::vector<RefusedPlugin> refused_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_METRIC_REGISTRY_H_
