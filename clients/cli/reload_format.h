// The readable output of `kpi reload`.

#ifndef KPI_CLIENTS_CLI_RELOAD_FORMAT_H_
#define KPI_CLIENTS_CLI_RELOAD_FORMAT_H_

#include <string>

#include "kpi/v1/admin_service.pb.h"

namespace kpi::cli {

// `response` as lines of text, each ending in a newline: one line per
// changed plugin file, in the server's order, the kind of change in a column
// of its own, then what serves from the file and the file:
//
//   loaded    churn_extra 1.0.0  /plugins/churn_extra.so
//   replaced  team_health 1.3.0  /plugins/team_health.so
//   removed   journey 1.0.0  /plugins/kpi_plugin_journey.so
//   kept      team_nps 2.1.0  /plugins/team_nps.so: new version refused: <why>
//   refused   /plugins/broken.so: <reason>
//
// ("kept": the changed file was refused and its previous version, shown,
// keeps serving.) With no change, the line "no plugin file changed". Then
// what the server serves now:
//
//   serving 23 metrics, 2 profiles
std::string FormatReload(const kpi::v1::ReloadResponse& response);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_RELOAD_FORMAT_H_
