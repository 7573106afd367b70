// What the CLI proves to the server and how it checks the server: the bearer
// token and the TLS files named by the global flags (command_line.h), read
// into the options of the client library (clients/cpp, kpi/client.h).
//
// The token comes from a file (--token FILE) or an environment variable
// (--token-env VAR), never from the command line: every user of the machine
// can read a process's arguments (ps). Surrounding whitespace (a trailing
// newline) is dropped.

#ifndef KPI_CLIENTS_CLI_CREDENTIALS_H_
#define KPI_CLIENTS_CLI_CREDENTIALS_H_

#include <string>

#include "absl/status/statusor.h"
#include "command_line.h"
#include "kpi/client.h"

namespace kpi::cli {

// The options of the kpi::Client the command runs on: the server, timeout
// and request id of `options`, and the token and TLS files it names, read.
// A UsageError names the flag and the file or variable: one that cannot be
// read, is empty, or holds a token with spaces or control characters. The
// token itself is never quoted.
absl::StatusOr<ClientOptions> ClientOptionsFor(const Options& options);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_CREDENTIALS_H_
