// Hostile and careless callers against a real kpi-server (issue 10): a
// stream that does not arrive whole fails naming the chunk; bytes that do
// not parse, out-of-range timestamps, repeated map keys and overflowing
// inputs get INVALID_ARGUMENT or an undefined result with a reason, never
// INTERNAL; echoes are bounded; compressed requests cannot inflate;
// stalled streams time out, hold no thread and starve no one; calls past
// the limit are refused naming it; dictionary-encoded key columns compute
// in the plugin's worker, and a bad code or too many keys fail the stream.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/raw_calls.h"

namespace kpi {
namespace {

using ::testing::AllOf;
using testing::Context;
using ::testing::HasSubstr;
using testing::NpsChunk;
using testing::RawStream;
using testing::RawUnary;
using testing::Serialized;
using testing::ServerProcess;

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> args = {}) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, args);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

int ThreadsOf(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

class HostileCallersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = StartServer({"--stream-idle-timeout-ms", "1500"}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::MetricService::NewStub(channel_);
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MetricService::Stub> stub_;
};
ServerProcess* HostileCallersTest::server_ = nullptr;

TEST_F(HostileCallersTest, AWholeStreamOfValidChunksComputes) {
  // The control for the next test: -33.3 over [0, 10, 5, 0, 9, 3].
  RawStream stream(channel_);
  ASSERT_TRUE(stream.Write(Serialized(NpsChunk({0, 10}, true))));
  ASSERT_TRUE(stream.Write(Serialized(NpsChunk({5, 0}))));
  ASSERT_TRUE(stream.Write(Serialized(NpsChunk({9, 3}))));
  v1::ComputeStreamResponse response;
  grpc::Status status = stream.Finish(&response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.chunks(), 3u);
  EXPECT_NEAR(response.result().value(), -100.0 / 3, 1e-9);
}

TEST_F(HostileCallersTest, AChunkThatDoesNotParseFailsTheStreamNamingIt) {
  RawStream stream(channel_);
  ASSERT_TRUE(stream.Write(Serialized(NpsChunk({0, 10}, true))));
  stream.Write("\xff\xff\xff garbage");
  stream.Write(Serialized(NpsChunk({9, 3})));
  grpc::Status status = stream.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      status.error_message(),
      AllOf(HasSubstr("chunk 1: not a valid kpi.v1.ComputeStreamRequest"),
            HasSubstr("the stream is refused whole")));
}

TEST_F(HostileCallersTest, InvalidUtf8InAMiddleChunkFailsTheStream) {
  // rfm over 5 chunks of 1,000 customers; chunk 2 carries one id that is
  // not UTF-8. The answer is an error naming the chunk, never OK over the
  // 2,000 customers before it.
  RawStream stream(channel_);
  for (int c = 0; c < 5; ++c) {
    v1::ComputeStreamRequest chunk;
    if (c == 0) {
      chunk.set_metric("rfm");
      (*chunk.mutable_parameters())["as_of"]
          .mutable_timestamp_value()
          ->set_seconds(1700000000);
    }
    v1::Column* customer = chunk.add_columns();
    customer->set_name("customer");
    v1::Column* time = chunk.add_columns();
    time->set_name("time");
    v1::Column* amount = chunk.add_columns();
    amount->set_name("amount");
    for (int i = 0; i < 1000; ++i) {
      std::string id = absl::StrCat("c", c * 1000 + i);
      if (c == 2 && i == 500) id = "bad\xc3\x28id";
      customer->mutable_strings()->add_values(id);
      time->mutable_timestamps()->add_unix_micros(1600000000000000LL);
      amount->mutable_doubles()->add_values(10);
    }
    stream.Write(Serialized(chunk));
  }
  grpc::Status status = stream.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("chunk 2:"), HasSubstr("invalid UTF-8")));
}

TEST_F(HostileCallersTest, UnaryBytesThatDoNotParseAreInvalidArgument) {
  grpc::Status status = RawUnary(channel_, "/kpi.v1.MetricService/ComputeNps",
                                 "\x0a\xff\xff\xff\xff\xff");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("not a valid kpi.v1.ComputeNpsRequest"));

  v1::ComputeRequest request;
  request.set_metric("bad\xc3\x28name");
  status =
      RawUnary(channel_, "/kpi.v1.MetricService/Compute", Serialized(request));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("kpi.v1.ComputeRequest.metric"),
                    HasSubstr("invalid UTF-8")));
}

TEST_F(HostileCallersTest, ARepeatedMapKeyIsRefusedNotLastOneWins) {
  v1::ComputeRequest one;
  one.set_metric("nps");
  v1::Column* column = one.add_columns();
  column->set_name("scores");
  column->mutable_doubles()->add_values(10);
  (*one.mutable_parameters())["confidence_level"].set_double_value(0.9);
  v1::ComputeRequest again;
  (*again.mutable_parameters())["confidence_level"].set_double_value(0.99);
  // Concatenated messages merge: the map then carries the key twice.
  grpc::Status status = RawUnary(channel_, "/kpi.v1.MetricService/Compute",
                                 Serialized(one) + Serialized(again));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("parameters: key 'confidence_level' given twice"));
  // Once is fine.
  EXPECT_TRUE(
      RawUnary(channel_, "/kpi.v1.MetricService/Compute", Serialized(one))
          .ok());
}

TEST_F(HostileCallersTest, OutOfRangeTimestampsAreInvalidArgument) {
  for (int64_t seconds :
       {int64_t{1} << 62, int64_t{10000000000000}, int64_t{-100000000000}}) {
    v1::ComputeMrrRequest request;
    request.add_customer("a");
    request.add_amount(10);
    request.add_billing_months(1);
    request.add_start(0);
    request.mutable_parameters()->mutable_as_of()->set_seconds(seconds);
    v1::ComputeMrrResponse response;
    grpc::Status status =
        stub_->ComputeMrr(Context().get(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << seconds << ": " << response.DebugString();
    EXPECT_THAT(status.error_message(),
                AllOf(HasSubstr("parameter 'as_of'"),
                      HasSubstr("outside the timestamp range")));
  }
  // Microseconds in a column are held to the same range.
  v1::ComputeMrrRequest request;
  request.add_customer("a");
  request.add_amount(10);
  request.add_billing_months(1);
  request.add_start(int64_t{1} << 62);
  request.mutable_parameters()->mutable_as_of()->set_seconds(1700000000);
  v1::ComputeMrrResponse response;
  grpc::Status status = stub_->ComputeMrr(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("input 'start' row 0"),
                    HasSubstr("outside the timestamp range")));
}

TEST_F(HostileCallersTest, InputsThatOverflowGiveAnUndefinedResultNotInternal) {
  v1::ComputeAverageSessionDurationRequest sessions;
  sessions.add_duration_seconds(1e308);
  sessions.add_duration_seconds(1e308);
  v1::ComputeAverageSessionDurationResponse sessions_response;
  grpc::Status status = stub_->ComputeAverageSessionDuration(
      Context().get(), sessions, &sessions_response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(sessions_response.result().has_value());
  EXPECT_THAT(sessions_response.result().undefined_reason(),
              HasSubstr("is not finite: the inputs are too large"));

  v1::ComputeRfmRequest rfm;
  for (int i = 0; i < 2; ++i) {
    rfm.add_customer("a");
    rfm.add_time(1600000000000000LL);
    rfm.add_amount(1e308);
  }
  rfm.mutable_parameters()->mutable_as_of()->set_seconds(1700000000);
  v1::ComputeRfmResponse rfm_response;
  status = stub_->ComputeRfm(Context().get(), rfm, &rfm_response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(rfm_response.result().has_value());
  EXPECT_THAT(rfm_response.result().undefined_reason(),
              HasSubstr("is not finite"));
}

TEST_F(HostileCallersTest, ErrorsQuoteAtMostAFewHundredBytesOfTheCaller) {
  v1::ComputeRequest request;
  request.set_metric(std::string(1 << 20, 'm'));
  v1::ComputeResponse response;
  grpc::Status status = stub_->Compute(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_LT(status.error_message().size(), 400u);
  EXPECT_THAT(status.error_message(), HasSubstr("(1048576 bytes)"));
}

TEST_F(HostileCallersTest, CompressedRequestsAreRefusedBeforeTheyInflate) {
  v1::ComputeNpsRequest request;
  for (int i = 0; i < 100000; ++i) request.add_scores(0);  // compresses well
  auto context = Context();
  context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
  v1::ComputeNpsResponse response;
  grpc::Status status = stub_->ComputeNps(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(), HasSubstr("gzip"));
  // The same request uncompressed computes.
  status = stub_->ComputeNps(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().value(), -100);
}

TEST_F(HostileCallersTest, AStalledStreamEndsAfterTheIdleTimeout) {
  RawStream stalled(channel_);
  ASSERT_TRUE(stalled.Write(Serialized(NpsChunk({10}, true))));
  // The client sends nothing more and waits for the status: the server ends
  // the call after 1.5 s idle (checked every 375 ms).
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = stalled.Finish(nullptr, /*writes_done=*/false);
  const double waited =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("the stream was idle"),
                    HasSubstr("--stream-idle-timeout-ms")));
  EXPECT_GE(waited, 1.4);
  EXPECT_LT(waited, 10.0);
}

TEST_F(HostileCallersTest, StalledStreamsLeaveTheWorkerToOtherCalls) {
  // 80 streams send a chunk each and stall, more than the 64 channels a
  // plugin's worker has. The worker answers each chunk at once, so no stream
  // holds a channel while it waits for its client: an NPS call in the same
  // worker answers well before the stalled streams' idle timeout (1.5 s).
  std::vector<std::unique_ptr<RawStream>> stalled;
  for (int i = 0; i < 80; ++i) {
    stalled.push_back(std::make_unique<RawStream>(channel_));
    ASSERT_TRUE(stalled.back()->Write(Serialized(NpsChunk({10, 0}, true))));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  v1::ComputeNpsRequest request;
  request.add_scores(10);
  v1::ComputeNpsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(900));
  const grpc::Status status = stub_->ComputeNps(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().value(), 100);
  for (auto& stream : stalled) stream->context().TryCancel();
  for (auto& stream : stalled) stream->Finish(nullptr, /*writes_done=*/false);
}

TEST_F(HostileCallersTest, ManySignalsParseInLinearTime) {
  // 100,000 declared signals once took 19.8 s to parse (a pairwise
  // duplicate check); sorted, they take well under a second.
  std::string signals;
  for (int i = 0; i < 100000; ++i) {
    absl::StrAppend(&signals, i ? "," : "", "s", i, ":1:higher");
  }
  v1::ComputeRequest request;
  request.set_metric("health_score");
  (*request.mutable_parameters())["signals"].set_string_value(signals);
  for (const char* name : {"customer", "signal"}) {
    v1::Column* column = request.add_columns();
    column->set_name(name);
    column->mutable_strings()->add_values(name[0] == 'c' ? "a" : "s99999");
  }
  v1::Column* value = request.add_columns();
  value->set_name("value");
  value->mutable_doubles()->add_values(50);
  v1::ComputeResponse response;
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = stub_->Compute(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().value(), 50);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST_F(HostileCallersTest, SegmentsTimesParameterSizeIsLimited) {
  // 8,000 signals (about 150 KB of parameters) over 500 segments: each
  // segment's state is made from the parameters, so the call is refused
  // before it costs tens of CPU-seconds and hundreds of MB.
  std::string signals;
  for (int i = 0; i < 8000; ++i) {
    absl::StrAppend(&signals, i ? "," : "", "signal_number_", i, ":1:higher");
  }
  v1::ComputeRequest request;
  request.set_metric("health_score");
  (*request.mutable_parameters())["signals"].set_string_value(signals);
  request.add_group_by("segment");
  v1::Column* customer = request.add_columns();
  customer->set_name("customer");
  v1::Column* signal = request.add_columns();
  signal->set_name("signal");
  v1::Column* value = request.add_columns();
  value->set_name("value");
  v1::Column* segment = request.add_columns();
  segment->set_name("segment");
  for (int i = 0; i < 500; ++i) {
    customer->mutable_strings()->add_values(absl::StrCat("c", i));
    signal->mutable_strings()->add_values("signal_number_0");
    value->mutable_doubles()->add_values(50);
    segment->mutable_int64s()->add_values(i);
  }
  v1::ComputeResponse response;
  grpc::Status status = stub_->Compute(Context(120).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("the limit on segments x parameter size"));
}

// A repeat_purchase_rate chunk whose customers are dictionary-encoded:
// `codes` into the stream's dictionary, `entries` the keys it adds; every
// order on its own day within the window, so a customer with two rows is a
// repeat buyer.
v1::ComputeStreamRequest KeyedChunk(std::vector<uint32_t> codes,
                                    std::vector<std::string> entries,
                                    int64_t first_day, bool first) {
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  v1::ComputeStreamRequest chunk;
  if (first) {
    chunk.set_metric("repeat_purchase_rate");
    (*chunk.mutable_parameters())["window_start"].set_int64_value(0);
    (*chunk.mutable_parameters())["window_end"].set_int64_value(100 * kDay);
  }
  v1::Column* customer = chunk.add_columns();
  customer->set_name("customer");
  v1::Column* time = chunk.add_columns();
  time->set_name("time");
  for (size_t row = 0; row < codes.size(); ++row) {
    customer->mutable_keys()->add_codes(codes[row]);
    time->mutable_timestamps()->add_unix_micros(
        (first_day + static_cast<int64_t>(row)) * kDay);
  }
  for (std::string& entry : entries) {
    customer->mutable_keys()->add_entries(entry);
  }
  return chunk;
}

TEST_F(HostileCallersTest, ADictionaryEncodedStreamComputesInItsWorker) {
  // a, b, a | c, a, c: a and c repeat, b does not: 2 of 3.
  RawStream stream(channel_);
  ASSERT_TRUE(
      stream.Write(Serialized(KeyedChunk({0, 1, 0}, {"a", "b"}, 0, true))));
  ASSERT_TRUE(stream.Write(Serialized(KeyedChunk({2, 0, 2}, {"c"}, 3, false))));
  v1::ComputeStreamResponse response;
  grpc::Status status = stream.Finish(&response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().sample_size(), 3);
  EXPECT_NEAR(response.result().value(), 200.0 / 3, 1e-9);
}

TEST_F(HostileCallersTest, ABadKeyCodeMidwayFailsTheStreamNotPartOfIt) {
  RawStream stream(channel_);
  stream.Write(Serialized(KeyedChunk({0, 1, 0}, {"a", "b"}, 0, true)));
  // Code 5: the dictionary has 3 entries once this chunk's "c" is in.
  stream.Write(Serialized(KeyedChunk({2, 5}, {"c"}, 3, false)));
  stream.Write(Serialized(KeyedChunk({0, 1}, {}, 5, false)));
  grpc::Status status = stream.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("input 'customer' row 4: code 5 is not in the "
                        "dictionary, which has 3 entries so far"));
}

TEST_F(HostileCallersTest, ACallerThatLeavesMidStreamLeavesKeyedCallsWhole) {
  {
    RawStream leaving(channel_);
    leaving.Write(Serialized(KeyedChunk({0, 1, 0}, {"a", "b"}, 0, true)));
    leaving.context().TryCancel();
  }
  RawStream stream(channel_);
  ASSERT_TRUE(
      stream.Write(Serialized(KeyedChunk({0, 0, 1}, {"x", "y"}, 0, true))));
  v1::ComputeStreamResponse response;
  grpc::Status status = stream.Finish(&response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NEAR(response.result().value(), 50, 1e-9);  // x of x, y
}

TEST(KeyLimitTest, AStreamPastTheDistinctKeyLimitFailsNamingIt) {
  std::unique_ptr<ServerProcess> server =
      StartServer({"--max-distinct-keys", "3"});
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  RawStream stream(channel);
  stream.Write(Serialized(KeyedChunk({0, 1, 2}, {"a", "b", "c"}, 0, true)));
  stream.Write(Serialized(KeyedChunk({3}, {"d"}, 3, false)));
  grpc::Status status = stream.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("limit of 3 distinct keys"),
                    HasSubstr("--max-distinct-keys")));
}

TEST(RowLimitTest, AStreamPastTheRowLimitFailsNamingIt) {
  std::unique_ptr<ServerProcess> server =
      StartServer({"--max-rows-per-call", "5"});
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  RawStream stream(channel);
  stream.Write(Serialized(NpsChunk({10, 9, 8}, true)));
  stream.Write(Serialized(NpsChunk({7, 6, 5})));
  grpc::Status status = stream.Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), AllOf(HasSubstr("limit of 5 rows"),
                                            HasSubstr("--max-rows-per-call")));
  // Five rows are fine.
  RawStream fits(channel);
  fits.Write(Serialized(NpsChunk({10, 9, 8}, true)));
  fits.Write(Serialized(NpsChunk({7, 6})));
  v1::ComputeStreamResponse response;
  status = fits.Finish(&response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().value(), 20);
}

// Stalled streams neither hold threads nor starve other calls, even with
// one compute thread.
TEST(StalledStreamsTest, HoldNoThreadAndStarveNoOne) {
  std::unique_ptr<ServerProcess> server =
      StartServer({"--worker-threads", "1"});
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::MetricService::NewStub(channel);
  v1::ComputeNpsRequest request;
  request.add_scores(10);
  v1::ComputeNpsResponse response;
  ASSERT_TRUE(stub->ComputeNps(Context().get(), request, &response).ok());
  const int threads_before = ThreadsOf(server->pid());

  std::vector<std::unique_ptr<RawStream>> stalled;
  for (int i = 0; i < 300; ++i) {
    stalled.push_back(std::make_unique<RawStream>(channel));
    ASSERT_TRUE(stalled.back()->Write(Serialized(NpsChunk({10}, true))));
  }
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    grpc::Status status =
        stub->ComputeNps(Context(5).get(), request, &response);
    ASSERT_TRUE(status.ok()) << i << ": " << status.error_message();
    EXPECT_LT(std::chrono::steady_clock::now() - start,
              std::chrono::seconds(1));
  }
  const int threads_during = ThreadsOf(server->pid());
  EXPECT_LE(threads_during, threads_before + 4)
      << "300 stalled streams cost " << threads_during - threads_before
      << " threads";
  for (auto& stream : stalled) stream->context().TryCancel();
}

TEST(CallLimitTest, CallsPastTheLimitAreRefusedNamingIt) {
  std::unique_ptr<ServerProcess> server =
      StartServer({"--max-calls-in-flight", "3"});
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::MetricService::NewStub(channel);
  std::vector<std::unique_ptr<RawStream>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<RawStream>(channel));
    ASSERT_TRUE(open.back()->Write(Serialized(NpsChunk({10}, true))));
  }
  v1::ComputeNpsRequest request;
  request.add_scores(10);
  v1::ComputeNpsResponse response;
  // The streams are accepted asynchronously (a unary call sent at once can
  // overtake the last one); give them a moment to count.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  grpc::Status status;
  for (int attempt = 0; attempt < 50; ++attempt) {
    status = stub->ComputeNps(Context().get(), request, &response);
    if (!status.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(),
              AllOf(HasSubstr("limit of 3 calls in flight"),
                    HasSubstr("--max-calls-in-flight")));
  // One stream ends; calls are accepted again (once the server has freed
  // it, just after the client has its answer).
  v1::ComputeStreamResponse stream_response;
  ASSERT_TRUE(open[0]->Finish(&stream_response).ok());
  EXPECT_EQ(stream_response.result().value(), 100);
  for (int attempt = 0; attempt < 100; ++attempt) {
    status = stub->ComputeNps(Context().get(), request, &response);
    if (status.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(status.ok()) << status.error_message();
  for (size_t i = 1; i < open.size(); ++i) open[i]->context().TryCancel();
}

}  // namespace
}  // namespace kpi
