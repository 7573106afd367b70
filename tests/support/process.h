// Test support: real processes. ServerProcess runs kpi-server on a free
// loopback port; RunCommand runs any program and captures its output.
#ifndef KPI_TESTS_SUPPORT_PROCESS_H_
#define KPI_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace kpi::testing {

struct CommandResult {
  int exit_code = -1;  // 128 + signal when killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (searched on PATH) with `input` on its standard input and
// waits for it. Environment: inherited, plus `env` ("NAME=value") entries.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& input = "",
                         const std::vector<std::string>& env = {});

class ServerProcess {
 public:
  // Starts `server_binary --listen 127.0.0.1:0 [--isolation
  // $KPI_TEST_ISOLATION] extra_args...` and waits
  // until it logs the port it serves on. An error carries everything the
  // server logged, e.g. when it exits at start.
  // `closed_fds` are closed in the server from its start (e.g. {0, 1}).
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(
      const std::string& server_binary,
      const std::vector<std::string>& extra_args = {},
      const std::vector<int>& closed_fds = {});

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  // Sends SIGTERM (if still running) and waits.
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string address() const;
  // Everything the server has logged so far.
  std::string log() const;
  // Waits until the log holds `text` at least `occurrences` times, or
  // `timeout` passes; returns whether it does.
  bool WaitForLog(std::string_view text, std::chrono::milliseconds timeout,
                  int occurrences = 1) const;
  void Signal(int signal_number);
  // Waits for exit; returns the exit code (128 + signal if killed).
  int Wait();

 private:
  ServerProcess(pid_t pid, int stderr_fd) : pid_(pid), stderr_fd_(stderr_fd) {}
  void DrainLog();

  pid_t pid_;
  int stderr_fd_;
  int port_ = 0;
  int exit_code_ = -1;
  mutable std::mutex mutex_;
  std::string log_;
  std::thread drainer_;
};

}  // namespace kpi::testing

#endif  // KPI_TESTS_SUPPORT_PROCESS_H_
