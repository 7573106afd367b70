// A real Prometheus server (Debian's prometheus package, started here on
// loopback) scrapes MetricsHttpServer every second, and its HTTP query API
// reads back the counters a CallMetrics recorded -- before and after more
// calls. Skipped only when there is no prometheus binary
// (scripts/install-deps.sh installs it).
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "call_metrics.h"
#include "metrics_http.h"
#include "plugin_metrics.h"
#include "process_metrics.h"
#include "tests/service/http_get.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace kpi {
namespace {

using Clock = std::chrono::steady_clock;

std::string UrlEncode(absl::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
        c == '~') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

// A prometheus process scraping 127.0.0.1:`target_port` every second, with
// its data in a directory of its own; killed and cleaned up on destruction.
class PrometheusProcess {
 public:
  static std::unique_ptr<PrometheusProcess> Start(int target_port) {
    std::unique_ptr<PrometheusProcess> process(new PrometheusProcess);
    char dir_template[] = "/tmp/kpi-prometheus-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) return nullptr;
    process->dir_ = dir_template;
    std::ofstream(process->dir_ + "/prometheus.yml")
        << "global:\n"
           "  scrape_interval: 1s\n"
           "  scrape_timeout: 1s\n"
           "  evaluation_interval: 1s\n"
           "scrape_configs:\n"
           "  - job_name: kpi\n"
           "    static_configs:\n"
           "      - targets: ['127.0.0.1:"
        << target_port << "']\n";
    // A port taken between FreeLoopbackPort() and prometheus binding it
    // makes prometheus exit: try a few.
    for (int attempt = 0; attempt < 3; ++attempt) {
      process->port_ = testing::FreeLoopbackPort();
      if (process->Spawn() && process->WaitReady()) return process;
      process->Kill();
    }
    return process;  // not ready(): log() says why
  }

  ~PrometheusProcess() {
    Kill();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string log() const { return testing::ReadFile(dir_ + "/log"); }

  // The value of the instant vector query `query` if it has exactly one
  // sample, e.g. "7".
  std::optional<std::string> Query(const std::string& query,
                                   std::string* answer) const {
    absl::StatusOr<testing::HttpResponse> response =
        testing::HttpGet(port_, "/api/v1/query?query=" + UrlEncode(query),
                         "GET", std::chrono::seconds(5));
    if (!response.ok()) {
      *answer = response.status().ToString();
      return std::nullopt;
    }
    *answer = response->body;
    // {"status":"success","data":{"resultType":"vector","result":[
    //   {"metric":{...},"value":[1712345678.9,"7"]}]}}
    const std::string& body = response->body;
    const size_t value = body.find("\"value\":[");
    if (value == std::string::npos ||
        body.find("\"value\":[", value + 1) != std::string::npos) {
      return std::nullopt;
    }
    const size_t open = body.find(",\"", value);
    const size_t close = body.find('"', open + 2);
    if (open == std::string::npos || close == std::string::npos) {
      return std::nullopt;
    }
    return body.substr(open + 2, close - open - 2);
  }

  // Why a target is not scraped, for failure messages.
  std::string Targets() const {
    absl::StatusOr<testing::HttpResponse> response =
        testing::HttpGet(port_, "/api/v1/targets");
    return response.ok() ? response->body : response.status().ToString();
  }

 private:
  PrometheusProcess() = default;

  bool Spawn() {
    std::vector<std::string> args = {
        "prometheus", "--config.file=" + dir_ + "/prometheus.yml",
        "--storage.tsdb.path=" + dir_ + "/data",
        absl::StrCat("--web.listen-address=127.0.0.1:", port_),
        "--log.level=info"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log_file = dir_ + "/log";
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int spawned = posix_spawnp(&pid_, "prometheus", &actions, nullptr,
                                     argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) pid_ = -1;
    return spawned == 0;
  }

  // Until its API answers (ready_), or it exits, or 60 s pass.
  bool WaitReady() {
    const Clock::time_point give_up = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < give_up) {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      absl::StatusOr<testing::HttpResponse> response =
          testing::HttpGet(port_, "/-/ready", "GET", std::chrono::seconds(2));
      if (response.ok() && response->status == 200) {
        ready_ = true;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }

  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const Clock::time_point give_up = Clock::now() + std::chrono::seconds(10);
    int status;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (Clock::now() > give_up) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pid_ = -1;
  }

  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool ready_ = false;
};

// Polls `query` until it reads `expected`, for at most 60 s.
::testing::AssertionResult Eventually(const PrometheusProcess& prometheus,
                                      const std::string& query,
                                      const std::string& expected) {
  const Clock::time_point give_up = Clock::now() + std::chrono::seconds(60);
  std::string answer;
  std::optional<std::string> value;
  while (Clock::now() < give_up) {
    value = prometheus.Query(query, &answer);
    if (value == expected) return ::testing::AssertionSuccess();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return ::testing::AssertionFailure()
         << query << " did not read " << expected << " within 60 s; last "
         << "answer: " << answer << "\ntargets: " << prometheus.Targets()
         << "\nprometheus log:\n"
         << prometheus.log();
}

TEST(PrometheusScrapeTest, RealPrometheusReadsCallCountersThroughItsApi) {
  if (testing::RunCommand({"sh", "-c", "command -v prometheus"}).exit_code !=
      0) {
    GTEST_SKIP() << "prometheus is not installed (scripts/install-deps.sh "
                    "installs it)";
  }
  CallMetrics calls([](absl::string_view metric) { return metric == "nps"; });
  for (int i = 0; i < 7; ++i) {
    CallMetrics::Call call = calls.Start("ComputeNps", "nps");
    call.AddRows(10);
    call.Finish(0);
  }
  calls.Start("Compute", "no such metric").Finish(5);
  MetricsHttpHandlers handlers;
  handlers.metrics = [&calls] {
    std::string out;
    calls.AppendTo(&out);
    PluginCounters plugins;
    plugins.reloads_ok = 4;
    AppendPluginMetrics(plugins, &out);
    AppendProcessMetrics(&out);
    return out;
  };
  handlers.serving = [] { return true; };
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("127.0.0.1:0", std::move(handlers));
  ASSERT_TRUE(server.ok()) << server.status();

  std::unique_ptr<PrometheusProcess> prometheus =
      PrometheusProcess::Start((*server)->port());
  ASSERT_NE(prometheus, nullptr);
  ASSERT_TRUE(prometheus->ready()) << prometheus->log();

  const std::string ok_calls =
      R"(kpi_calls_total{job="kpi",method="ComputeNps",metric="nps",code="OK"})";
  EXPECT_TRUE(Eventually(*prometheus, ok_calls, "7"));
  EXPECT_TRUE(Eventually(*prometheus, R"(up{job="kpi"})", "1"));
  EXPECT_TRUE(Eventually(
      *prometheus,
      R"(kpi_calls_total{method="Compute",metric="",code="NOT_FOUND"})", "1"));
  EXPECT_TRUE(Eventually(
      *prometheus, R"(kpi_rows_processed_total{method="ComputeNps"})", "70"));
  EXPECT_TRUE(
      Eventually(*prometheus, R"(kpi_reloads_total{result="ok"})", "4"));

  // Later calls show at a later scrape.
  for (int i = 0; i < 5; ++i) calls.Start("ComputeNps", "nps").Finish(0);
  EXPECT_TRUE(Eventually(*prometheus, ok_calls, "12"));
  EXPECT_TRUE(Eventually(
      *prometheus,
      R"(kpi_call_duration_seconds_count{method="ComputeNps",metric="nps"})",
      "12"));
}

}  // namespace
}  // namespace kpi
