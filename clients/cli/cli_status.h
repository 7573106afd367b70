// Errors of the kpi command and the exit status each one ends the process
// with.
//
// Every failure inside the CLI is an absl::Status. The kind of failure that
// decides the exit status (a usage error, a server that cannot be reached, an
// error status sent by the server) travels as a payload on the status, so a
// local INVALID_ARGUMENT (a value that does not parse) and a remote one (the
// server rejecting a request) stay distinguishable all the way to main().

#ifndef KPI_CLIENTS_CLI_CLI_STATUS_H_
#define KPI_CLIENTS_CLI_CLI_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kpi::cli {

// The exit statuses of `kpi`; documented in `kpi --help`.
enum class ExitCode : int {
  kOk = 0,
  // The server answered with an error status.
  kServerError = 1,
  // The command line (or --input-json) is wrong; nothing was computed.
  kUsage = 2,
  // The server could not be reached.
  kUnreachable = 3,
};

// A mistake on the command line or in --input-json.
absl::Status UsageError(absl::string_view message);

// A failed call of kpi::Client (kpi/client.h) as a CLI error: kUnreachable
// when no server was reached, else a ServerError with the server's code,
// message and request id.
// REQUIRES: !status.ok().
absl::Status ClientError(const absl::Status& status);

// An error status the server sent. `code` is kept so callers can tell
// NOT_FOUND from INVALID_ARGUMENT; `request_id` is the id the server gave
// the call (its x-request-id), empty when it sent none.
// REQUIRES: code != absl::StatusCode::kOk.
absl::Status ServerError(absl::StatusCode code, absl::string_view message,
                         absl::string_view request_id = "");

// The exit status `status` ends the process with. OK is kOk; an error made by
// none of the functions above is kServerError (something failed that is not
// the user's fault).
ExitCode ExitCodeFor(const absl::Status& status);

// The line printed on stderr for a failed command, without a newline:
// "kpi: <message>", or "kpi: <CODE_NAME>: <message>" for a ServerError,
// ending "(request id ID)" when the server sent one.
// REQUIRES: !status.ok().
std::string ErrorLine(const absl::Status& status);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_CLI_STATUS_H_
