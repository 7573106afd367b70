// The C++ client library (clients/cpp, kpi/client.h) against a real
// kpi-server: its calls, a typed call through the stubs with its context,
// its errors (code, message, the request id), and the example backend
// program built on it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "kpi/client.h"
#include "tests/support/process.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class CppClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<testing::ServerProcess>> server =
        testing::ServerProcess::Start(KPI_SERVER_BINARY);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static ClientOptions Options() {
    ClientOptions options;
    options.target = server_->address();
    return options;
  }
  // The catalog's NPS example: 50 promoters, 30 passives, 20 detractors.
  static std::vector<double> Survey() {
    std::vector<double> scores;
    for (int i = 0; i < 100; ++i)
      scores.push_back(i < 50 ? 10 : i < 80 ? 8 : 3);
    return scores;
  }
  // A generic nps call over `scores`.
  static v1::ComputeRequest NpsRequest(const std::vector<double>& scores) {
    v1::ComputeRequest request;
    request.set_metric("nps");
    v1::Column* column = request.add_columns();
    column->set_name("scores");
    for (const double score : scores) {
      column->mutable_doubles()->add_values(score);
    }
    return request;
  }
  static testing::ServerProcess* server_;
};
testing::ServerProcess* CppClientTest::server_ = nullptr;

TEST_F(CppClientTest, ComputeAndAStreamInChunksGiveTheSameAnswer) {
  Client client(Options());
  const v1::ComputeRequest request = NpsRequest(Survey());
  const absl::StatusOr<v1::ComputeResponse> whole = client.Compute(request);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->result().value(), 30);
  EXPECT_NEAR(whole->result().interval().margin(), 15.3078, 1e-4);

  const std::vector<double> scores = Survey();
  size_t sent = 0;
  int chunks = 0;
  const absl::StatusOr<v1::ComputeStreamResponse> streamed =
      client.ComputeStream(
          [&](v1::ComputeStreamRequest* chunk) -> absl::StatusOr<bool> {
            if (sent == scores.size()) return false;
            if (chunks++ == 0) chunk->set_metric("nps");
            v1::Column* part = chunk->add_columns();
            part->set_name("scores");
            for (size_t end = std::min(sent + 40, scores.size()); sent < end;
                 ++sent) {
              part->mutable_doubles()->add_values(scores[sent]);
            }
            return true;
          });
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(chunks, 3);
  EXPECT_EQ(streamed->result().SerializeAsString(),
            whole->result().SerializeAsString());
}

// A producer that fails mid-stream cancels the call: its error comes back,
// and the server logs the call cancelled, never answered over the chunks
// already sent.
TEST_F(CppClientTest, AStreamWhoseInputBreaksIsCancelledNotAnswered) {
  Client client(Options());
  const std::string before = server_->log();
  int cancelled_before = 0;
  for (size_t at = before.find("CANCELLED"); at != std::string::npos;
       at = before.find("CANCELLED", at + 1)) {
    ++cancelled_before;
  }
  int chunks = 0;
  const absl::StatusOr<v1::ComputeStreamResponse> streamed =
      client.ComputeStream(
          [&](v1::ComputeStreamRequest* chunk) -> absl::StatusOr<bool> {
            if (chunks++ == 2) return absl::DataLossError("input broke");
            if (chunks == 1) chunk->set_metric("nps");
            v1::Column* part = chunk->add_columns();
            part->set_name("scores");
            part->mutable_doubles()->add_values(10);
            return true;
          });
  EXPECT_EQ(streamed.status(), absl::DataLossError("input broke"));
  EXPECT_TRUE(server_->WaitForLog("CANCELLED", std::chrono::seconds(10),
                                  cancelled_before + 1))
      << server_->log();
}

// The stubs reach the typed methods; Prepare gives the context the request
// id.
TEST_F(CppClientTest, ATypedCallThroughTheStubsWithTheClientsContext) {
  ClientOptions options = Options();
  options.request_id = "cpp-client-test-1";
  Client client(options);
  v1::ComputeNpsRequest request;
  for (const double score : Survey()) request.add_scores(score);
  v1::ComputeNpsResponse response;
  grpc::ClientContext context;
  client.Prepare(&context);
  const grpc::Status status =
      client.metrics().ComputeNps(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().value(), 30);
  const auto sent = context.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(sent, context.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(sent->second.data(), sent->second.size()),
            "cpp-client-test-1");
}

TEST_F(CppClientTest, AServerErrorKeepsItsCodeMessageAndRequestId) {
  Client client(Options());
  const v1::ComputeRequest request = NpsRequest({9.0, 11.0});
  const absl::Status status = client.Compute(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("input 'scores' row 1"));
  EXPECT_FALSE(IsUnreachable(status));
  EXPECT_FALSE(RequestIdOf(status).empty());

  const absl::Status unknown =
      client.GetMetricProtos({std::string("nope")}).status();
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
}

TEST_F(CppClientTest, NoServerIsUnreachable) {
  ClientOptions options;
  options.target = "127.0.0.1:1";
  options.connect_timeout = absl::Seconds(1);
  Client client(options);
  const absl::Status status = client.ListMetrics().status();
  EXPECT_TRUE(IsUnreachable(status)) << status;
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("cannot reach kpi-server at 127.0.0.1:1: "));
}

// The example backend streams stdin's scores and prints the interval.
TEST_F(CppClientTest, TheExampleBackendStreamsItsInput) {
  std::string input;
  for (const double score : Survey()) absl::StrAppend(&input, score, "\n");
  testing::CommandResult r =
      testing::RunCommand({KPI_CLIENT_EXAMPLE, server_->address()}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "nps = 30 (95% interval 14.6922 to 45.3078) over 100 answers\n");

  r = testing::RunCommand({KPI_CLIENT_EXAMPLE, server_->address()},
                          "10\n9\n11\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("input 'scores' row 2"));
  r = testing::RunCommand({KPI_CLIENT_EXAMPLE, server_->address()}, "10\nx\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "survey_report: line 2: \"x\" is not a score\n");
  r = testing::RunCommand({KPI_CLIENT_EXAMPLE, "127.0.0.1:1"}, "10\n");
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

}  // namespace
}  // namespace kpi
