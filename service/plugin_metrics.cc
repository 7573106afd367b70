#include "plugin_metrics.h"

#include <algorithm>

#include "prometheus_text.h"

namespace kpi {

PluginCounters ReadPluginCounters(const LiveConfig& config) {
  PluginCounters counters;
  const LiveConfig::Counts counts = config.counts();
  counters.load_refusals = counts.plugin_refusals;
  counters.reloads_ok = counts.reloads_ok;
  counters.reloads_failed = counts.reloads_failed;
  const ServingConfig serving = config.Current();
  for (const std::shared_ptr<const PluginLibrary>& plugin :
       serving.registry->plugins()) {
    if (const PluginWorker* worker = plugin->worker()) {
      counters.worker_restarts.emplace_back(plugin->descriptor().name,
                                            worker->restarts());
    }
  }
  std::sort(counters.worker_restarts.begin(), counters.worker_restarts.end());
  return counters;
}

void AppendPluginMetrics(const PluginCounters& counters, std::string* out) {
  AppendFamilyHeader(out, "kpi_plugin_load_refusals_total", "counter",
                     "Plugin files refused at start and at reloads (not "
                     "loadable, failed a check, name clash, unsafe "
                     "permissions); a file refused again for the same reason "
                     "is counted once.");
  AppendSample(out, "kpi_plugin_load_refusals_total", {},
               counters.load_refusals);
  AppendFamilyHeader(out, "kpi_reloads_total", "counter",
                     "Reloads of the plugin directories and profiles "
                     "(SIGHUP, AdminService/Reload, --watch), by result.");
  AppendSample(out, "kpi_reloads_total", {{"result", "ok"}},
               counters.reloads_ok);
  AppendSample(out, "kpi_reloads_total", {{"result", "failed"}},
               counters.reloads_failed);
  AppendFamilyHeader(out, "kpi_plugin_worker_restarts_total", "counter",
                     "Worker processes restarted after their plugin's worker "
                     "died, per served plugin; starts from 0 when a reload "
                     "replaces the plugin.");
  for (const auto& [plugin, restarts] : counters.worker_restarts) {
    AppendSample(out, "kpi_plugin_worker_restarts_total", {{"plugin", plugin}},
                 restarts);
  }
}

}  // namespace kpi
