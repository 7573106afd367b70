// The command line of `kpi`: global flags, a command and its arguments.
//
//   kpi [--server HOST:PORT] [--json] [--timeout SECONDS]
//       [--token FILE | --token-env VAR] [--tls] [--tls-ca FILE]
//       [--tls-cert FILE --tls-key FILE] [--request-id ID] COMMAND [ARGS]
//
// compute also takes --input-json JSON|@FILE|-, --group-by COLUMN[,...] and
// --profile NAME.
//
// Flags may come before or after the command; "--flag value" and
// "--flag=value" are the same; "--" ends the flags.

#ifndef KPI_CLIENTS_CLI_COMMAND_LINE_H_
#define KPI_CLIENTS_CLI_COMMAND_LINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace kpi::cli {

// Where the server is when neither --server nor $KPI_SERVER says.
inline constexpr absl::string_view kDefaultServer = "127.0.0.1:50051";

// The commands of `kpi`.
enum class Command { kList, kDescribe, kCompute, kReload, kProtos };

// The global flags.
struct Options {
  // HOST:PORT of the kpi-server.
  std::string server;
  // The deadline of each call to the server.
  absl::Duration timeout = absl::Seconds(30);
  // Print the server's response as JSON instead of text.
  bool json = false;
  // Where the bearer token comes from: a file (--token) or an environment
  // variable (--token-env), never the command line, which every user of
  // the machine can read (ps). At most one is set. See credentials.h.
  std::string token_file;
  std::string token_env;
  // TLS: on with --tls or any of the files. tls_ca holds the CAs that may
  // sign the server's certificate (empty: the system's); tls_cert and
  // tls_key, both or neither, a client certificate (mutual TLS).
  bool tls = false;
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  // Sent as the metadata x-request-id on every call (empty: none, and the
  // server makes one). 1 to 128 visible ASCII characters without spaces,
  // the ids the server accepts as they are.
  std::string request_id;
};

// A parsed command line.
struct Invocation {
  Options options;
  // Print help instead of running: of `command` when set, else of kpi.
  bool help = false;
  // The command; empty only when `help` is set.
  std::optional<Command> command;
  // The arguments after the command: none for list and reload, METRIC for
  // describe, METRIC then NAME=VALUE... for compute, DIR then PLUGIN... for
  // protos.
  std::vector<std::string> operands;
  // The argument of --input-json (compute only), unread.
  std::optional<std::string> input_json;
  // The columns of --group-by (compute only), in the order given: the flag
  // may be repeated and takes comma-separated names.
  std::vector<std::string> group_by;
  // The argument of --profile (compute only): a parameter profile of the
  // metric in the server's profiles file. Never empty when set.
  std::optional<std::string> profile;
};

// Parses `args` (argv without the program name). `env_server` is the value
// of $KPI_SERVER, or empty. "-h", "--help" anywhere, or the command
// "help [COMMAND]", ask for help; then missing operands are not errors.
// Returns a UsageError for an unknown command or flag, a flag without its
// value, a --timeout that is not a positive number of seconds, --token with
// --token-env, --tls-cert without --tls-key or the reverse, an empty
// --group-by name or --profile, a --request-id the server would not take
// as it is, --input-json, --group-by or --profile outside compute, or the
// wrong number of operands.
absl::StatusOr<Invocation> ParseCommandLine(absl::Span<const std::string> args,
                                            absl::string_view env_server);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_COMMAND_LINE_H_
