#include "host_events.h"

#include "absl/strings/match.h"

namespace kpi {

absl::string_view HostLineEvent(absl::string_view line) {
  // The openings of the host's lines (metric_registry.cc, live_config.cc,
  // plugin_worker.cc); tests/service/host_events_test.cc holds one of each.
  static constexpr struct {
    absl::string_view opening;
    absl::string_view event;
  } kOpenings[] = {
      {"loaded plugin ", "plugin_loaded"},
      {"replaced plugin ", "plugin_replaced"},
      {"removed plugin ", "plugin_removed"},
      {"refused plugin ", "plugin_refused"},
      {"refused new version of ", "plugin_refused"},
      {"reloaded: ", "reload"},
      {"profiles file ", "profile_problem"},
      {"left a stale-looking private plugin copy", "stale_copies"},
  };
  for (const auto& [opening, event] : kOpenings) {
    if (absl::StartsWith(line, opening)) return event;
  }
  if (absl::StartsWith(line, "removed ") &&
      absl::StrContains(line, " stale private plugin copies")) {
    return "stale_copies";
  }
  if (absl::StartsWith(line, "plugin ")) {
    if (absl::StrContains(line, ": worker restarted")) return "worker_restart";
    if (absl::StrContains(line, ": worker pid ")) return "worker_died";
  }
  return "plugin_host";
}

}  // namespace kpi
