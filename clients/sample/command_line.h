// The command line of kpi-sample:
//
//   kpi-sample [--customers N] [--seed S] [--months M] [--start YYYY-MM]
//              [--out DIR] [--help]
//
// "--flag value" and "--flag=value" are the same; a flag given twice takes
// its last value.

#ifndef KPI_CLIENTS_SAMPLE_COMMAND_LINE_H_
#define KPI_CLIENTS_SAMPLE_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "generator.h"

namespace kpi::sample {

// How kpi-sample ends.
enum class ExitCode {
  kOk = 0,
  kFailed = 1,    // the files could not be written (the message says why)
  kBadUsage = 2,  // the command line is wrong (the message names the flag)
};

// Limits of the options, checked by ParseCommandLine.
inline constexpr int64_t kMaxCustomers = 1'000'000'000;
inline constexpr int kMaxMonths = 1200;

struct Invocation {
  bool help = false;
  SampleOptions options;
};

// `args` without the program name. An error (InvalidArgument) names the
// flag and says what it accepts.
absl::StatusOr<Invocation> ParseCommandLine(
    const std::vector<std::string>& args);

// The --help text: the options, every file and column, exit codes.
std::string Usage();

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_COMMAND_LINE_H_
