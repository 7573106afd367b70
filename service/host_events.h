// The event names (event_log.h) of the lines the plugin host logs.
//
// The host (host/: the registry, live config and plugin workers) logs free
// text through a callback, one line per happening. The server gives each
// line a stable event name by its opening words, so a log reader can select
// them without parsing messages; the line itself stays the event's message.
#ifndef KPI_SERVICE_HOST_EVENTS_H_
#define KPI_SERVICE_HOST_EVENTS_H_

#include "absl/strings/string_view.h"

namespace kpi {

// plugin_loaded, plugin_replaced, plugin_removed, plugin_refused (a file
// refused, or a changed file refused while its previous version serves
// on), reload (a reload's summary), profile_problem, stale_copies,
// worker_died, worker_restart; plugin_host for a line none of these match.
absl::string_view HostLineEvent(absl::string_view line);

}  // namespace kpi

#endif  // KPI_SERVICE_HOST_EVENTS_H_
