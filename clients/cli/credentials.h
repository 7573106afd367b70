// What the CLI proves to the server and how it checks the server: the bearer
// token and the TLS files named by the global flags (command_line.h), read.
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

namespace kpi::cli {

struct Credentials {
  // Sent as `authorization: Bearer TOKEN` on every call; empty: none.
  std::string token;
  // Connect with TLS.
  bool tls = false;
  // PEM: the CAs that may sign the server's certificate (empty: the
  // system's); a client certificate chain and its key (empty: none).
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
};

// Reads what `options` names. A UsageError names the flag and the file or
// variable: one that cannot be read, is empty, or holds a token with
// spaces or control characters. The token itself is never quoted.
absl::StatusOr<Credentials> LoadCredentials(const Options& options);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_CREDENTIALS_H_
