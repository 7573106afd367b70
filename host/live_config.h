// LiveConfig: what kpi-server serves from -- the plugin registry and the
// parameter profiles -- and replacing it while calls run.
//
// Each call takes one snapshot (Current()) when it starts and uses it to the
// end, so a reload never changes a running call: its Metric keeps the old
// library loaded until it finishes. Reload() builds the new registry and
// profiles beside the old ones and swaps them in at once.
//
// Thread-safe: Current() from any thread; reloads run one at a time.
#ifndef KPI_HOST_LIVE_CONFIG_H_
#define KPI_HOST_LIVE_CONFIG_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "metric_registry.h"
#include "parameter_profiles.h"

namespace kpi {

struct ServingConfig {
  std::shared_ptr<const MetricRegistry> registry;
  std::shared_ptr<const ParameterProfiles> profiles;
};

class LiveConfig {
 public:
  // Loads the plugins of `plugin_dirs` and, unless `profiles_file` is
  // empty, the profiles file. Errors (a plugin directory or the profiles
  // file missing or malformed) stop the server; refused plugins and
  // profiles that do not fit a served metric are only logged. First removes
  // the stale private plugin copies that crashed or killed servers left
  // behind (RemoveStalePrivateCopies in private_copy.h), logging how many.
  static absl::StatusOr<std::unique_ptr<LiveConfig>> Load(
      const std::vector<std::string>& plugin_dirs,
      const MetricRegistry::Options& options, std::string profiles_file,
      MetricRegistry::Log log);

  // The configuration to serve one call with.
  ServingConfig Current() const;

  // Re-reads the profiles file and the plugin directories
  // (MetricRegistry::Reload) and serves the result from now on. On error
  // (a directory gone, the profiles file unreadable or malformed) nothing
  // changes. Logs what changed.
  absl::StatusOr<ServingConfig> Reload();

  // What loading and reloading did since Load(), for monitoring.
  struct Counts {
    uint64_t reloads_ok = 0;
    uint64_t reloads_failed = 0;
    // Plugin files refused (PluginChange kRefused and kKeptPrevious), at
    // Load() and at every reload. A file refused again for the same reason
    // is not reported again by the registry, so it is not counted again.
    uint64_t plugin_refusals = 0;
  };
  Counts counts() const;

 private:
  LiveConfig(std::string profiles_file, MetricRegistry::Log log,
             ServingConfig initial)
      : profiles_file_(std::move(profiles_file)),
        log_(std::move(log)),
        current_(std::move(initial)) {}
  static absl::StatusOr<std::shared_ptr<const ParameterProfiles>> LoadProfiles(
      const std::string& file);
  void LogProfileProblems(const ServingConfig& config) const;
  static void RemoveStaleCopies(const MetricRegistry::Log& log);
  void CountRefusals(const MetricRegistry& registry);

  const std::string profiles_file_;
  const MetricRegistry::Log log_;
  std::mutex reload_mutex_;  // held for a whole reload
  mutable std::mutex current_mutex_;
  ServingConfig current_;
  std::atomic<uint64_t> reloads_ok_{0};
  std::atomic<uint64_t> reloads_failed_{0};
  std::atomic<uint64_t> plugin_refusals_{0};
};

}  // namespace kpi

#endif  // KPI_HOST_LIVE_CONFIG_H_
