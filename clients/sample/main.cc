// kpi-sample: writes a sample data set (generator.h) as the command line
// (command_line.h) asks. Errors are one line on stderr and an exit status
// of command_line.h's ExitCode.

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "command_line.h"
#include "generator.h"

int main(int argc, char** argv) {
  using kpi::sample::ExitCode;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const absl::StatusOr<kpi::sample::Invocation> invocation =
      kpi::sample::ParseCommandLine(args);
  if (!invocation.ok()) {
    std::cerr << "kpi-sample: " << invocation.status().message()
              << "\nTry 'kpi-sample --help'.\n";
    return static_cast<int>(ExitCode::kBadUsage);
  }
  if (invocation->help) {
    std::cout << kpi::sample::Usage();
    return static_cast<int>(ExitCode::kOk);
  }
  const kpi::sample::SampleOptions& options = invocation->options;
  const absl::StatusOr<kpi::sample::SampleSummary> summary =
      kpi::sample::GenerateSample(options);
  if (!summary.ok()) {
    std::cerr << "kpi-sample: " << summary.status().message() << "\n";
    return static_cast<int>(ExitCode::kFailed);
  }
  int64_t rows = 0;
  for (int64_t n : summary->rows) rows += n;
  std::cout << absl::StrCat("kpi-sample: ", options.customers, " customers, ",
                            rows, " rows in ", kpi::sample::kFiles,
                            " files in ", options.out, "\n");
  return static_cast<int>(ExitCode::kOk);
}
