#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

extern char** environ;

namespace kpi::testing {
namespace {

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::string& input,
                         const std::vector<std::string>& env) {
  CommandResult result;
  char dir_template[] = "/tmp/kpi-test-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string in_path = dir + "/in", out_path = dir + "/out",
                    err_path = dir + "/err";
  std::ofstream(in_path) << input;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> args = argv;
  std::vector<std::string> environment = Environment(env);
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(environment);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, c_args[0], &actions, nullptr, c_args.data(),
                        c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    result.err = absl::StrCat("cannot start ", argv[0], ": ", strerror(rc));
  } else {
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = ExitCode(status);
    result.out = ReadFile(out_path);
    result.err = ReadFile(err_path);
  }
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  rmdir(dir.c_str());
  return result;
}

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    const std::string& server_binary,
    const std::vector<std::string>& extra_args,
    const std::vector<int>& closed_fds) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  for (int fd : closed_fds) posix_spawn_file_actions_addclose(&actions, fd);
  std::vector<std::string> args = {server_binary, "--listen", "127.0.0.1:0"};
  // The suites run once as the server starts by default and once more with
  // KPI_TEST_ISOLATION=none (tests/integration/CMakeLists.txt); flags in
  // `extra_args` come later and win.
  if (const char* isolation = std::getenv("KPI_TEST_ISOLATION")) {
    args.insert(args.end(), {"--isolation", isolation});
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> c_args = CStrings(args);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, server_binary.c_str(), &actions, nullptr,
                       c_args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    return absl::InternalError(
        absl::StrCat("cannot start ", server_binary, ": ", strerror(rc)));
  }
  std::unique_ptr<ServerProcess> server(new ServerProcess(pid, pipe_fds[0]));
  server->drainer_ = std::thread([s = server.get()] { s->DrainLog(); });

  // The server logs "... on port N" once it accepts calls.
  const std::regex serving("serving .* on port ([0-9]+)");
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    std::string log = server->log();
    if (std::regex_search(log, match, serving)) {
      server->port_ = std::stoi(match[1]);
      return server;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      server->exit_code_ = ExitCode(status);
      server->drainer_.join();
      return absl::FailedPreconditionError(
          absl::StrCat("kpi-server exited with ", server->exit_code_,
                       " before serving; it logged:\n", server->log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "kpi-server did not start within 30 s; it logged:\n", server->log()));
}

void ServerProcess::DrainLog() {
  char buffer[4096];
  ssize_t n;
  while ((n = read(stderr_fd_, buffer, sizeof(buffer))) > 0) {
    std::lock_guard<std::mutex> lock(mutex_);
    log_.append(buffer, static_cast<size_t>(n));
  }
  close(stderr_fd_);
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::string ServerProcess::log() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

bool ServerProcess::WaitForLog(std::string_view text,
                               std::chrono::milliseconds timeout,
                               int occurrences) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int seen = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (size_t at = log_.find(text); at != std::string::npos;
           at = log_.find(text, at + text.size())) {
        ++seen;
      }
    }
    if (seen >= occurrences) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void ServerProcess::Signal(int signal_number) {
  if (exit_code_ < 0) kill(pid_, signal_number);
}

int ServerProcess::Wait() {
  if (exit_code_ < 0) {
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = ExitCode(status);
  }
  if (drainer_.joinable()) drainer_.join();
  return exit_code_;
}

ServerProcess::~ServerProcess() {
  Signal(SIGTERM);
  Wait();
}

}  // namespace kpi::testing
