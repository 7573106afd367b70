// The plugin host's counters for Prometheus, read from the live
// configuration at scrape time (nothing is pushed on the hot path or on a
// reload): plugin files refused, reloads by result, and worker restarts per
// plugin.
//
// Worker restarts are read from the plugins the server serves now, so a
// plugin that a reload removes drops out, and one that a reload replaces
// starts again from 0 with its new worker (Prometheus' rate() and
// increase() take such a reset as a counter reset).
//
// Thread-safe: reads what LiveConfig and PluginWorker make safe to read.
#ifndef KPI_SERVICE_PLUGIN_METRICS_H_
#define KPI_SERVICE_PLUGIN_METRICS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "live_config.h"

namespace kpi {

struct PluginCounters {
  uint64_t load_refusals = 0;
  uint64_t reloads_ok = 0;
  uint64_t reloads_failed = 0;
  // (plugin name, restarts) of each plugin running in a worker process,
  // sorted by name; plugins loaded in process (--isolation none) have none.
  std::vector<std::pair<std::string, uint64_t>> worker_restarts;
};

PluginCounters ReadPluginCounters(const LiveConfig& config);

// Appends the families kpi_plugin_load_refusals_total, kpi_reloads_total
// (label result: "ok" or "failed") and kpi_plugin_worker_restarts_total
// (label plugin).
void AppendPluginMetrics(const PluginCounters& counters, std::string* out);

}  // namespace kpi

#endif  // KPI_SERVICE_PLUGIN_METRICS_H_
