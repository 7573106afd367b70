// MetricsHttpServer over real loopback sockets: the answers, and that slow,
// silent or oversized clients cannot hold it.
#include "metrics_http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/service/http_get.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using testing::Header;
using testing::HttpExchange;
using testing::HttpGet;
using Clock = std::chrono::steady_clock;

constexpr char kBody[] =
    "# HELP kpi_x_total X.\n# TYPE kpi_x_total counter\nkpi_x_total 1\n";

class MetricsHttpTest : public ::testing::Test {
 protected:
  void StartServer(MetricsHttpOptions options = MetricsHttpOptions()) {
    MetricsHttpHandlers handlers;
    handlers.metrics = [this] {
      ++scrapes_;
      return std::string(kBody);
    };
    handlers.serving = [this] { return serving_.load(); };
    absl::StatusOr<std::unique_ptr<MetricsHttpServer>> started =
        MetricsHttpServer::Start("127.0.0.1:0", std::move(handlers), options);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
    ASSERT_GT(server_->port(), 0);
  }

  std::atomic<int> scrapes_{0};
  std::atomic<bool> serving_{true};
  std::unique_ptr<MetricsHttpServer> server_;
};

TEST_F(MetricsHttpTest, GetMetricsAnswersTheExpositionAsPrometheusText) {
  StartServer();
  absl::StatusOr<testing::HttpResponse> response =
      HttpGet(server_->port(), "/metrics");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(Header(*response, "Content-Type"),
              HasSubstr("text/plain; version=0.0.4"));
  EXPECT_EQ(Header(*response, "Content-Length"),
            std::to_string(std::string(kBody).size()));
  EXPECT_EQ(Header(*response, "Connection"), "close");
  EXPECT_EQ(response->body, kBody);
  // A query string is not part of the path.
  response = HttpGet(server_->port(), "/metrics?name[]=x");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
}

TEST_F(MetricsHttpTest, HeadAnswersTheHeadWithoutTheBody) {
  StartServer();
  absl::StatusOr<testing::HttpResponse> response =
      HttpGet(server_->port(), "/metrics", "HEAD");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Header(*response, "Content-Length"),
            std::to_string(std::string(kBody).size()));
  EXPECT_EQ(response->body, "");
}

TEST_F(MetricsHttpTest, OtherPathsAre404AndOtherMethods405) {
  StartServer();
  absl::StatusOr<testing::HttpResponse> response =
      HttpGet(server_->port(), "/");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 404);
  response = HttpGet(server_->port(), "/metrics/../etc/passwd");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 404);
  response = HttpGet(server_->port(), "/metrics", "POST");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(Header(*response, "Allow"), "GET, HEAD");
  response = HttpGet(server_->port(), "/healthz", "DELETE");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(scrapes_.load(), 0);
}

TEST_F(MetricsHttpTest, MalformedRequestLineIs400) {
  StartServer();
  absl::StatusOr<testing::HttpResponse> response =
      HttpExchange(server_->port(), "hello\r\n\r\n");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400);
  response = HttpExchange(server_->port(), "GET /metrics SPDY/3\r\n\r\n");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 400);
}

TEST_F(MetricsHttpTest, HealthzFollowsTheServingCallback) {
  StartServer();
  absl::StatusOr<testing::HttpResponse> response =
      HttpGet(server_->port(), "/healthz");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "SERVING\n");
  serving_ = false;
  response = HttpGet(server_->port(), "/healthz");
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 503);
  EXPECT_EQ(response->body, "NOT_SERVING\n");
}

TEST_F(MetricsHttpTest, OversizedRequestHeadIs431) {
  StartServer();
  const std::string huge = absl::StrCat("GET /metrics HTTP/1.1\r\nX-Padding: ",
                                        std::string(10000, 'a'), "\r\n\r\n");
  absl::StatusOr<testing::HttpResponse> response =
      HttpExchange(server_->port(), huge);
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(scrapes_.load(), 0);
}

TEST_F(MetricsHttpTest, SilentClientsDoNotDelayAScrape) {
  MetricsHttpOptions options;
  options.request_timeout = std::chrono::seconds(5);
  StartServer(options);
  // Ten clients connect and send nothing; two more send half a head.
  std::vector<int> silent;
  for (int i = 0; i < 10; ++i) {
    silent.push_back(testing::ConnectLoopback(server_->port()));
    ASSERT_GE(silent.back(), 0);
  }
  for (int i = 0; i < 2; ++i) {
    silent.push_back(testing::ConnectLoopback(server_->port()));
    ASSERT_GE(silent.back(), 0);
    const std::string half = "GET /metr";
    ASSERT_EQ(send(silent.back(), half.data(), half.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(half.size()));
  }
  const Clock::time_point start = Clock::now();
  absl::StatusOr<testing::HttpResponse> response =
      HttpGet(server_->port(), "/metrics");
  const auto took = Clock::now() - start;
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_LT(took, std::chrono::seconds(1));
  for (int fd : silent) close(fd);
}

TEST_F(MetricsHttpTest, SilentClientsAreClosedAfterTheRequestTimeout) {
  MetricsHttpOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  StartServer(options);
  const int fd = testing::ConnectLoopback(server_->port());
  ASSERT_GE(fd, 0);
  const Clock::time_point start = Clock::now();
  pollfd polled{fd, POLLIN, 0};
  ASSERT_EQ(poll(&polled, 1, 5000), 1);
  char byte;
  EXPECT_EQ(recv(fd, &byte, 1, 0), 0);  // closed by the server
  const auto took = Clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(250));
  EXPECT_LT(took, std::chrono::seconds(3));
  close(fd);
}

TEST_F(MetricsHttpTest, PastMaxConnectionsTheOldestSilentClientGoes) {
  MetricsHttpOptions options;
  options.max_connections = 4;
  StartServer(options);
  std::vector<int> silent;
  for (int i = 0; i < 8; ++i) {
    silent.push_back(testing::ConnectLoopback(server_->port()));
    ASSERT_GE(silent.back(), 0);
  }
  absl::StatusOr<testing::HttpResponse> response =
      HttpGet(server_->port(), "/metrics", "GET", std::chrono::seconds(2));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  for (int fd : silent) close(fd);
}

TEST_F(MetricsHttpTest, StopReturnsPromptlyWithClientsConnected) {
  StartServer();
  const int fd = testing::ConnectLoopback(server_->port());
  ASSERT_GE(fd, 0);
  const Clock::time_point start = Clock::now();
  server_->Stop();
  server_->Stop();  // idempotent
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
  // Closed by Stop() (or reset, if it was never accepted).
  pollfd polled{fd, POLLIN, 0};
  ASSERT_EQ(poll(&polled, 1, 2000), 1);
  char byte;
  EXPECT_LE(recv(fd, &byte, 1, 0), 0);
  close(fd);
  EXPECT_LT(testing::ConnectLoopback(server_->port()), 0);
}

TEST(MetricsHttpStartTest, RefusesMalformedAndTakenAddresses) {
  EXPECT_EQ(MetricsHttpServer::Start("127.0.0.1", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MetricsHttpServer::Start("127.0.0.1:99999", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MetricsHttpServer::Start(":9464", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> first =
      MetricsHttpServer::Start("127.0.0.1:0", {});
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> second =
      MetricsHttpServer::Start(absl::StrCat("127.0.0.1:", (*first)->port()),
                               {});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("in use"));
}

TEST(MetricsHttpStartTest, ListensOnIpv6Loopback) {
  absl::StatusOr<std::unique_ptr<MetricsHttpServer>> server =
      MetricsHttpServer::Start("[::1]:0", {});
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback: " << server.status();
  EXPECT_GT((*server)->port(), 0);
}

}  // namespace
}  // namespace kpi
