// The commands of `kpi`: each asks the server through a kpi::Client
// (clients/cpp) and prints the answer, as text or (with --json) as JSON.

#ifndef KPI_CLIENTS_CLI_COMMANDS_H_
#define KPI_CLIENTS_CLI_COMMANDS_H_

#include <istream>
#include <ostream>

#include "absl/status/status.h"
#include "command_line.h"
#include "kpi/client.h"

namespace kpi::cli {

// Runs `invocation.command` against `client`, printing the result on `out`.
// `in` is read only for "--input-json -". Errors are CLI errors (see
// cli_status.h); nothing is printed on `out` for a failed command.
// REQUIRES: invocation.command is set and invocation.help is false.
absl::Status RunCommand(const Invocation& invocation, Client& client,
                        std::istream& in, std::ostream& out);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_COMMANDS_H_
