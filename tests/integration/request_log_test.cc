// Request ids and the call log against real kpi-server processes: the id a
// client sends (or the one the server makes) comes back in the initial
// metadata of unary calls, streams and refused calls, and is the
// request_id of the call's line in the server's log; --log-calls picks the
// calls that get one; the kpi CLI sends --request-id and shows the id of a
// failed call. Every JSON line is read with protobuf's JSON parser, so a
// line that is not valid JSON fails the test.
#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using google::protobuf::Struct;
using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using testing::RunCommand;
using testing::ServerProcess;
using testing::TempDir;

constexpr char kToken[] = "log-token-3c9e1a7f5b2d48e6a0c4";

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> args) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, args);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

// Every line of a JSON log, parsed; a line that does not parse fails the
// test.
std::vector<Struct> JsonLines(const std::string& log) {
  std::vector<Struct> lines;
  for (const std::string& line :
       std::vector<std::string>(absl::StrSplit(log, '\n', absl::SkipEmpty()))) {
    Struct parsed;
    const auto status =
        google::protobuf::util::JsonStringToMessage(line, &parsed);
    EXPECT_TRUE(status.ok()) << status.ToString() << ": " << line;
    lines.push_back(std::move(parsed));
  }
  return lines;
}

std::string Text(const Struct& line, const std::string& key) {
  const auto found = line.fields().find(key);
  return found == line.fields().end() ? "<absent>"
                                      : found->second.string_value();
}

// The `call` line of `request_id` in `server`'s JSON log, waiting up to 10 s
// for it: the server writes it before answering, and the test reads the log
// through a pipe.
std::optional<Struct> CallLine(const ServerProcess& server,
                               const std::string& request_id) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    for (const Struct& line : JsonLines(server.log())) {
      if (Text(line, "event") == "call" &&
          Text(line, "request_id") == request_id) {
        return line;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  return std::nullopt;
}

// The x-request-id the server sent in a call's initial metadata.
std::string IdSentBack(const grpc::ClientContext& context) {
  const auto& metadata = context.GetServerInitialMetadata();
  if (metadata.count("x-request-id") != 1) return "<not one>";
  const auto found = metadata.find("x-request-id");
  return std::string(found->second.data(), found->second.size());
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& request_id) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  if (!request_id.empty()) context->AddMetadata("x-request-id", request_id);
  return context;
}

class RequestLogTest : public ::testing::Test {
 protected:
  static void StartWith(std::vector<std::string> args) {
    server_ = StartServer(std::move(args)).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    stub_ = v1::MetricService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }
  // ComputeNps of `scores` with `request_id` (none when empty); the id the
  // server sent back.
  std::string Nps(const std::vector<double>& scores,
                  const std::string& request_id,
                  grpc::StatusCode expected = grpc::StatusCode::OK) {
    v1::ComputeNpsRequest request;
    for (double score : scores) request.add_scores(score);
    v1::ComputeNpsResponse response;
    std::unique_ptr<grpc::ClientContext> context = Context(request_id);
    const grpc::Status status =
        stub_->ComputeNps(context.get(), request, &response);
    EXPECT_EQ(status.error_code(), expected) << status.error_message();
    return IdSentBack(*context);
  }

  static ServerProcess* server_;
  std::unique_ptr<v1::MetricService::Stub> stub_;
};
ServerProcess* RequestLogTest::server_ = nullptr;

class RequestLogJsonTest : public RequestLogTest {
 protected:
  static void SetUpTestSuite() {
    StartWith({"--log-format", "json", "--log-calls", "all"});
  }
};

TEST_F(RequestLogJsonTest, TheClientsIdComesBackAndNamesTheCallsLogLine) {
  EXPECT_EQ(Nps({10, 9, 3}, "abc-123"), "abc-123");
  const std::optional<Struct> line = CallLine(*server_, "abc-123");
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "method"), "ComputeNps");
  EXPECT_EQ(Text(*line, "metric"), "nps");
  EXPECT_EQ(Text(*line, "code"), "OK");
  EXPECT_EQ(line->fields().at("rows").number_value(), 3);
  EXPECT_GT(line->fields().at("request_bytes").number_value(), 0);
  EXPECT_GE(line->fields().at("duration_ms").number_value(), 0);
  EXPECT_THAT(Text(*line, "peer"), HasSubstr("127.0.0.1"));
  EXPECT_THAT(Text(*line, "time"),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z"));
  EXPECT_EQ(Text(*line, "message"), "<absent>");
}

TEST_F(RequestLogJsonTest, ACallWithoutAnIdGetsOneThatMatchesItsLogLine) {
  const std::string id = Nps({10}, "");
  EXPECT_THAT(id, MatchesRegex("[0-9a-f]{16}"));
  const std::optional<Struct> line = CallLine(*server_, id);
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "method"), "ComputeNps");
  EXPECT_NE(Nps({10}, ""), id);
}

TEST_F(RequestLogJsonTest, AnIdOutsideTheRulesIsReplaced) {
  const std::string longest(128, 'L');
  EXPECT_EQ(Nps({10}, longest), longest);
  for (const std::string& refused :
       {std::string(129, 'L'), std::string("with space")}) {
    const std::string id = Nps({10}, refused);
    EXPECT_THAT(id, MatchesRegex("[0-9a-f]{16}")) << refused;
    EXPECT_TRUE(CallLine(*server_, id).has_value()) << server_->log();
  }
}

TEST_F(RequestLogJsonTest, AFailedCallGetsItsIdBackAndItsMessageLogged) {
  EXPECT_EQ(Nps({11}, "bad-1", grpc::StatusCode::INVALID_ARGUMENT), "bad-1");
  const std::optional<Struct> line = CallLine(*server_, "bad-1");
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "code"), "INVALID_ARGUMENT");
  EXPECT_EQ(Text(*line, "message"),
            "input 'scores' row 0: 11 is above the maximum 10");
}

TEST_F(RequestLogJsonTest, AStreamGetsItsIdBack) {
  v1::ComputeStreamResponse response;
  std::unique_ptr<grpc::ClientContext> context = Context("stream-7");
  auto writer = stub_->ComputeStream(context.get(), &response);
  for (int chunk = 0; chunk < 3; ++chunk) {
    v1::ComputeStreamRequest request;
    if (chunk == 0) request.set_metric("nps");
    v1::Column* column = request.add_columns();
    column->set_name("scores");
    column->mutable_doubles()->add_values(10);
    column->mutable_doubles()->add_values(2);
    ASSERT_TRUE(writer->Write(request));
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(IdSentBack(*context), "stream-7");
  const std::optional<Struct> line = CallLine(*server_, "stream-7");
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "method"), "ComputeStream");
  EXPECT_EQ(Text(*line, "metric"), "nps");
  EXPECT_EQ(Text(*line, "code"), "OK");
  EXPECT_EQ(line->fields().at("rows").number_value(), 6);
}

TEST_F(RequestLogJsonTest, EveryLineIsJsonWithAnEvent) {
  const std::vector<Struct> lines = JsonLines(server_->log());
  ASSERT_FALSE(lines.empty());
  bool serving = false;
  for (const Struct& line : lines) {
    EXPECT_NE(Text(line, "event"), "<absent>");
    serving = serving || Text(line, "event") == "serving";
  }
  EXPECT_TRUE(serving) << server_->log();
}

TEST_F(RequestLogJsonTest, TheCliSendsItsRequestIdAndShowsItWhenACallFails) {
  const CommandResult r =
      RunCommand({KPI_CLI_BINARY, "--server", server_->address(),
                  "--request-id", "cli-42", "compute", "nps", "scores=9,11"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "kpi: INVALID_ARGUMENT: input 'scores' row 1: 11 is above the "
            "maximum 10 (request id cli-42)\n");
  const std::optional<Struct> line = CallLine(*server_, "cli-42");
  ASSERT_TRUE(line.has_value()) << server_->log();
  // The CLI's first call, DescribeMetric, carries the same id.
  EXPECT_EQ(Text(*line, "method"), "DescribeMetric");
}

TEST_F(RequestLogJsonTest, TheCliShowsTheIdTheServerMadeWhenItSentNone) {
  const CommandResult r = RunCommand(
      {KPI_CLI_BINARY, "--server", server_->address(), "describe", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, MatchesRegex("kpi: NOT_FOUND: .* \\(request id "
                                  "[0-9a-f]{16}\\)\n"));
}

TEST_F(RequestLogJsonTest, TheCliRefusesARequestIdTheServerWouldReplace) {
  const CommandResult r =
      RunCommand({KPI_CLI_BINARY, "--server", server_->address(),
                  "--request-id", "two words", "list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--request-id: expected 1 to 128 visible ASCII "
                               "characters without spaces"));
}

class RequestLogErrorsTest : public RequestLogTest {
 protected:
  static void SetUpTestSuite() {
    StartWith({"--log-format", "json", "--log-calls", "errors"});
  }
};

TEST_F(RequestLogErrorsTest, AnOkCallWritesNoLineAndAFailedOneDoes) {
  EXPECT_EQ(Nps({10}, "ok-1"), "ok-1");
  EXPECT_EQ(Nps({11}, "bad-2", grpc::StatusCode::INVALID_ARGUMENT), "bad-2");
  // Written in order: once the failed call's line is there, the OK call's
  // would be too.
  const std::optional<Struct> line = CallLine(*server_, "bad-2");
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "code"), "INVALID_ARGUMENT");
  EXPECT_EQ(Text(*line, "message"),
            "input 'scores' row 0: 11 is above the maximum 10");
  EXPECT_THAT(server_->log(), Not(HasSubstr("ok-1")));
}

// The default format: text lines, the call's fields as key=value.
class RequestLogTextTest : public RequestLogTest {
 protected:
  static void SetUpTestSuite() { StartWith({}); }
};

TEST_F(RequestLogTextTest, AFailedCallWritesAKeyValueLine) {
  EXPECT_EQ(Nps({11}, "text-1", grpc::StatusCode::INVALID_ARGUMENT), "text-1");
  const std::string expected =
      "kpi-server: call request_id=text-1 method=ComputeNps metric=nps "
      "code=INVALID_ARGUMENT duration_ms=";
  EXPECT_TRUE(server_->WaitForLog(expected, std::chrono::seconds(10)))
      << server_->log();
  EXPECT_THAT(server_->log(),
              HasSubstr(" message=\"input 'scores' row 0: 11 is above the "
                        "maximum 10\"\n"));
  EXPECT_THAT(server_->log(), HasSubstr("kpi-server: listening on "));
}

// With bearer tokens: a refused call gets its id back, and a call's line
// names its token.
class RequestLogTokensTest : public RequestLogTest {
 protected:
  static void SetUpTestSuite() {
    directory_ = new TempDir;
    const std::string tokens = directory_->Install(
        "tokens", absl::StrCat("dashboard ", kToken, " metric:nps\n"));
    chmod(tokens.c_str(), 0600);
    StartWith({"--log-format", "json", "--log-calls", "all", "--tokens-file",
               tokens});
  }
  static void TearDownTestSuite() {
    RequestLogTest::TearDownTestSuite();
    delete directory_;
    directory_ = nullptr;
  }
  static TempDir* directory_;
};
TempDir* RequestLogTokensTest::directory_ = nullptr;

TEST_F(RequestLogTokensTest, ARefusedCallGetsItsIdBack) {
  EXPECT_EQ(Nps({10}, "no-token", grpc::StatusCode::UNAUTHENTICATED),
            "no-token");
  const std::optional<Struct> line = CallLine(*server_, "no-token");
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "code"), "UNAUTHENTICATED");
  EXPECT_EQ(Text(*line, "principal"), "<absent>");
}

TEST_F(RequestLogTokensTest, ACallsLineNamesItsToken) {
  v1::ComputeNpsRequest request;
  request.add_scores(10);
  v1::ComputeNpsResponse response;
  std::unique_ptr<grpc::ClientContext> context = Context("with-token");
  context->AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
  ASSERT_TRUE(stub_->ComputeNps(context.get(), request, &response).ok());
  EXPECT_EQ(IdSentBack(*context), "with-token");
  const std::optional<Struct> line = CallLine(*server_, "with-token");
  ASSERT_TRUE(line.has_value()) << server_->log();
  EXPECT_EQ(Text(*line, "principal"), "dashboard");
  EXPECT_THAT(server_->log(), Not(HasSubstr(kToken)));
}

TEST(RequestLogFlagsTest, UnknownFormatsAndChoicesAreUsageErrors) {
  const CommandResult format =
      RunCommand({KPI_SERVER_BINARY, "--log-format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_THAT(format.err,
              HasSubstr("--log-format: expected text or json, got 'xml'"));
  const CommandResult calls =
      RunCommand({KPI_SERVER_BINARY, "--log-calls=some"});
  EXPECT_EQ(calls.exit_code, 2);
  EXPECT_THAT(calls.err, HasSubstr("--log-calls: expected none, errors or "
                                   "all, got 'some'"));
}

}  // namespace
}  // namespace kpi
