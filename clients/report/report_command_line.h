// The command line of kpi-report:
//
//   kpi-report --data DIR [--spec FILE] [--server HOST:PORT] [--out DIR]
//              [--format json,md,html] [--strict] [--quiet] [--chunk-rows N]
//              [--timeout SECONDS] [--token FILE | --token-env VAR] [--tls]
//              [--tls-ca FILE] [--tls-cert FILE --tls-key FILE]
//   kpi-report --print-default-spec
//   kpi-report --help
//
// "--flag value" and "--flag=value" are the same. The connection flags mean
// what they mean to `kpi` (clients/cli/command_line.h), whose Options and
// credential loading kpi-report uses.

#ifndef KPI_CLIENTS_REPORT_REPORT_COMMAND_LINE_H_
#define KPI_CLIENTS_REPORT_REPORT_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "command_line.h"  // clients/cli: kpi::cli::Options

namespace kpi::report {

// Exit statuses, documented in --help.
enum class ExitCode : int {
  kOk = 0,
  // The run failed: a metric call, the server, a file, or a bad row with
  // --strict. No report was written.
  kFailed = 1,
  // The command line or the spec is wrong; nothing was read.
  kUsage = 2,
};

struct ReportOptions {
  // The connection: server, timeout (per metric call), token, TLS.
  kpi::cli::Options connection;
  std::string data_dir;
  std::string spec_file;  // empty: the built-in spec
  std::string out_dir = "report";
  bool json = true;
  bool markdown = true;
  bool html = true;
  bool strict = false;
  bool quiet = false;
  int chunk_rows = 50000;
  bool help = false;
  bool print_default_spec = false;
};

// Parses `args` (argv without the program name); `env_server` is
// $KPI_SERVER or empty. Errors name the flag.
absl::StatusOr<ReportOptions> ParseReportCommandLine(
    absl::Span<const std::string> args, absl::string_view env_server);

// The text of --help.
std::string ReportUsage();

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_REPORT_COMMAND_LINE_H_
