// The help texts of `kpi`: `kpi --help` and `kpi COMMAND --help`.

#ifndef KPI_CLIENTS_CLI_USAGE_H_
#define KPI_CLIENTS_CLI_USAGE_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "command_line.h"

namespace kpi::cli {

// The help of kpi as a whole when `command` is empty, else of `command`.
// Ends with a newline.
absl::string_view Usage(std::optional<Command> command);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_USAGE_H_
