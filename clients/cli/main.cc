// kpi: the command-line client of kpi-server. See usage.cc for what it does
// and cli_status.h for how it ends.

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "cli_status.h"
#include "command_line.h"
#include "commands.h"
#include "credentials.h"
#include "kpi/client.h"
#include "usage.h"

int main(int argc, char** argv) {
  using ::kpi::cli::ExitCode;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const char* env_server = std::getenv("KPI_SERVER");
  absl::StatusOr<kpi::cli::Invocation> invocation =
      kpi::cli::ParseCommandLine(args, env_server == nullptr ? "" : env_server);
  if (!invocation.ok()) {
    std::cerr << kpi::cli::ErrorLine(invocation.status()) << "\n";
    return static_cast<int>(kpi::cli::ExitCodeFor(invocation.status()));
  }
  if (invocation->help) {
    std::cout << kpi::cli::Usage(invocation->command);
    return static_cast<int>(ExitCode::kOk);
  }

  absl::StatusOr<kpi::ClientOptions> options =
      kpi::cli::ClientOptionsFor(invocation->options);
  if (!options.ok()) {
    std::cerr << kpi::cli::ErrorLine(options.status()) << "\n";
    return static_cast<int>(kpi::cli::ExitCodeFor(options.status()));
  }
  kpi::Client client(*std::move(options));
  const absl::Status status =
      kpi::cli::RunCommand(*invocation, client, std::cin, std::cout);
  std::cout.flush();
  if (!status.ok()) std::cerr << kpi::cli::ErrorLine(status) << "\n";
  return static_cast<int>(kpi::cli::ExitCodeFor(status));
}
