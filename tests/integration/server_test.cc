// A real kpi-server process on a free loopback port, called through gRPC:
// typed calls, Compute, ComputeStream, discovery, health, reflection (via
// buf curl, with no proto files at hand), refusals and graceful shutdown.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cmath>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunCommand;
using testing::ServerProcess;

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> args = {}) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, args);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = StartServer().release(); }
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
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() +
                          std::chrono::seconds(30));
    return context;
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MetricService::Stub> stub_;
};
ServerProcess* ServerTest::server_ = nullptr;

TEST_F(ServerTest, TypedChurnRateMatchesTheCatalogExample) {
  v1::ComputeChurnRateRequest request;
  request.set_customers_at_start(1000);
  request.set_customers_lost(50);
  v1::ComputeChurnRateResponse response;
  grpc::Status status =
      stub_->ComputeChurnRate(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::MetricResult& result = response.result();
  EXPECT_EQ(result.metric(), "churn_rate");
  EXPECT_DOUBLE_EQ(result.value(), 5.0);
  EXPECT_EQ(result.unit(), "%");
  EXPECT_EQ(result.ratio().numerator(), 50);
  EXPECT_EQ(result.ratio().denominator(), 1000);
  EXPECT_EQ(result.plugin(), "retention");
}

TEST_F(ServerTest, TypedChurnRateTakesSubscriptionRecordsToo) {
  // Catalog: 100 customers at the start, 11 cancel, one of whom joined in
  // the period -> 10 / 100. Times in days; the period is days 10..40.
  constexpr int64_t kDay = 86400LL * 1000000;
  v1::ComputeChurnRateRequest request;
  for (int i = 0; i < 100; ++i) {
    request.add_customer("c" + std::to_string(i));
    request.add_start(0);
    request.add_end(i < 10 ? 20 * kDay : INT64_MAX);
  }
  request.add_customer("late");
  request.add_start(15 * kDay);
  request.add_end(25 * kDay);
  request.mutable_parameters()->mutable_period_start()->set_seconds(10 * 86400);
  request.mutable_parameters()->mutable_period_end()->set_seconds(40 * 86400);
  v1::ComputeChurnRateResponse response;
  grpc::Status status =
      stub_->ComputeChurnRate(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_DOUBLE_EQ(response.result().value(), 10.0);
  EXPECT_EQ(response.result().ratio().numerator(), 10);
  EXPECT_EQ(response.result().ratio().denominator(), 100);
}

TEST_F(ServerTest, TypedNpsCarriesTheMarginOfError) {
  v1::ComputeNpsRequest request;
  for (int i = 0; i < 50; ++i) request.add_scores(10);
  for (int i = 0; i < 30; ++i) request.add_scores(8);
  for (int i = 0; i < 20; ++i) request.add_scores(3);
  v1::ComputeNpsResponse response;
  grpc::Status status = stub_->ComputeNps(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::MetricResult& result = response.result();
  EXPECT_NEAR(result.value(), 30.0, 1e-9);
  // Catalog: 50/30/20 of n = 100 -> SE 7.81, 95% margin +-15.3.
  EXPECT_NEAR(result.interval().standard_error(), 7.81, 0.005);
  EXPECT_NEAR(result.interval().margin(), 15.3, 0.05);
  EXPECT_EQ(result.interval().confidence_level(), 0.95);
  EXPECT_EQ(result.sample_size(), 100);
}

TEST_F(ServerTest, TypedParametersReachThePlugin) {
  v1::ComputeCsatRequest request;
  for (double s : {3, 3, 2, 1}) request.add_scores(s);
  request.mutable_parameters()->set_scale_max(3);
  request.mutable_parameters()->set_threshold(3);
  v1::ComputeCsatResponse response;
  grpc::Status status = stub_->ComputeCsat(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_DOUBLE_EQ(response.result().value(), 50.0);
}

TEST_F(ServerTest, GenericComputeGivesTheSameAnswerAsTheTypedCall) {
  v1::ComputeRequest request;
  request.set_metric("retention_rate");
  (*request.mutable_scalars())["customers_at_start"].set_int64_value(200);
  (*request.mutable_scalars())["customers_at_end"].set_int64_value(220);
  (*request.mutable_scalars())["new_customers"].set_int64_value(40);
  v1::ComputeResponse generic;
  ASSERT_TRUE(stub_->Compute(Context().get(), request, &generic).ok());

  v1::ComputeRetentionRateRequest typed_request;
  typed_request.set_customers_at_start(200);
  typed_request.set_customers_at_end(220);
  typed_request.set_new_customers(40);
  v1::ComputeRetentionRateResponse typed;
  ASSERT_TRUE(
      stub_->ComputeRetentionRate(Context().get(), typed_request, &typed).ok());

  EXPECT_DOUBLE_EQ(generic.result().value(), 90.0);
  EXPECT_EQ(generic.result().SerializeAsString(),
            typed.result().SerializeAsString());
}

TEST_F(ServerTest, ZeroDenominatorIsUndefinedNotZero) {
  v1::ComputeClickThroughRateRequest request;
  request.set_clicks(0);
  request.set_impressions(0);
  v1::ComputeClickThroughRateResponse response;
  ASSERT_TRUE(
      stub_->ComputeClickThroughRate(Context().get(), request, &response).ok());
  EXPECT_FALSE(response.result().has_value());
  EXPECT_THAT(response.result().undefined_reason(), HasSubstr("impressions"));
}

struct BadRequest {
  std::string name;
  v1::ComputeRequest request;
  grpc::StatusCode code;
  std::string message;
};

void PrintTo(const BadRequest& c, std::ostream* os) { *os << c.name; }

std::vector<BadRequest> BadRequests() {
  std::vector<BadRequest> cases;
  auto nps = [](std::vector<double> scores) {
    v1::ComputeRequest r;
    r.set_metric("nps");
    v1::Column* c = r.add_columns();
    c->set_name("scores");
    for (double s : scores) c->mutable_doubles()->add_values(s);
    return r;
  };
  cases.push_back({"ScoreOutsideTheScale", nps({9, 10, 11}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   "input 'scores' row 2: 11 is above the maximum 10"});
  cases.push_back({"NaNScore", nps({9, NAN}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   "input 'scores' row 1: nan is not finite"});
  cases.push_back({"FractionalScore", nps({7.5}),
                   grpc::StatusCode::INVALID_ARGUMENT,
                   "input 'scores' row 0: 7.5 is not a whole number"});
  {
    v1::ComputeRequest r = nps({9});
    (*r.mutable_parameters())["promoter_min"].set_int64_value(5);
    cases.push_back({"PromoterCutOffBelowDetractorCutOff", r,
                     grpc::StatusCode::INVALID_ARGUMENT, "promoter_min"});
  }
  {
    v1::ComputeRequest r;
    r.set_metric("churn_rate");
    (*r.mutable_scalars())["customers_at_start"].set_int64_value(100);
    (*r.mutable_scalars())["customers_lost"].set_int64_value(-1);
    cases.push_back({"NegativeCount", r, grpc::StatusCode::INVALID_ARGUMENT,
                     "input 'customers_lost': -1 is below the minimum 0"});
  }
  {
    v1::ComputeRequest r;
    r.set_metric("churn_rate");
    (*r.mutable_scalars())["customers_at_start"].set_int64_value(100);
    cases.push_back({"MissingInput", r, grpc::StatusCode::INVALID_ARGUMENT,
                     "input 'customers_lost': required by churn_rate but "
                     "missing"});
  }
  {
    v1::ComputeRequest r;
    r.set_metric("lifetime_happiness");
    cases.push_back({"UnknownMetric", r, grpc::StatusCode::NOT_FOUND,
                     "no loaded plugin provides metric 'lifetime_happiness'"});
  }
  return cases;
}

class ServerBadRequestTest : public ServerTest,
                             public ::testing::WithParamInterface<BadRequest> {
};

TEST_P(ServerBadRequestTest, IsRefusedWithTheRightCodeAndMessage) {
  v1::ComputeResponse response;
  grpc::Status status =
      stub_->Compute(Context().get(), GetParam().request, &response);
  EXPECT_EQ(status.error_code(), GetParam().code);
  EXPECT_THAT(status.error_message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(Refusals, ServerBadRequestTest,
                         ::testing::ValuesIn(BadRequests()),
                         [](const ::testing::TestParamInfo<BadRequest>& info) {
                           return info.param.name;
                         });

// Chunks of `per_chunk` NPS scores cycling 0..10, so 2 of every 11 are
// promoters and 7 detractors.
v1::ComputeStreamRequest ScoreChunk(size_t per_chunk) {
  v1::ComputeStreamRequest chunk;
  v1::Column* column = chunk.add_columns();
  column->set_name("scores");
  auto* values = column->mutable_doubles()->mutable_values();
  values->Reserve(static_cast<int>(per_chunk));
  for (size_t i = 0; i < per_chunk; ++i)
    values->Add(static_cast<double>(i % 11));
  return chunk;
}

TEST_F(ServerTest, StreamsInputsFarLargerThanOneMessage) {
  // 1.21M doubles = 9.7 MB: more than twice the 4 MiB message limit.
  constexpr size_t kPerChunk = 110000, kChunks = 11;
  v1::ComputeStreamResponse response;
  auto context = Context();
  auto writer = stub_->ComputeStream(context.get(), &response);
  for (size_t i = 0; i < kChunks; ++i) {
    v1::ComputeStreamRequest chunk = ScoreChunk(kPerChunk);
    if (i == 0) chunk.set_metric("nps");
    ASSERT_TRUE(writer->Write(chunk));
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.chunks(), kChunks);
  EXPECT_EQ(response.result().sample_size(), kPerChunk * kChunks);
  EXPECT_NEAR(response.result().value(), (2.0 - 7.0) / 11.0 * 100.0, 1e-9);
}

TEST_F(ServerTest, TheSameInputInOneMessageExceedsTheLimit) {
  v1::ComputeRequest request;
  request.set_metric("nps");
  v1::Column* column = request.add_columns();
  column->set_name("scores");
  column->mutable_doubles()->mutable_values()->Resize(600000, 5.0);
  v1::ComputeResponse response;
  grpc::Status status = stub_->Compute(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(ServerTest, StreamErrorsNumberRowsAcrossChunks) {
  v1::ComputeStreamResponse response;
  auto context = Context();
  auto writer = stub_->ComputeStream(context.get(), &response);
  v1::ComputeStreamRequest first = ScoreChunk(100);
  first.set_metric("nps");
  ASSERT_TRUE(writer->Write(first));
  v1::ComputeStreamRequest second = ScoreChunk(10);
  second.mutable_columns(0)->mutable_doubles()->set_values(4, 12);
  writer->Write(second);
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "input 'scores' row 104: 12 is above the maximum 10");
}

// NPS scores with a region column: "north" gets 10s, "south" gets 0s.
v1::ComputeStreamRequest RegionChunk(int rows) {
  v1::ComputeStreamRequest chunk;
  v1::Column* scores = chunk.add_columns();
  scores->set_name("scores");
  v1::Column* region = chunk.add_columns();
  region->set_name("region");
  for (int i = 0; i < rows; ++i) {
    scores->mutable_doubles()->add_values(i % 2 == 0 ? 10 : 0);
    region->mutable_strings()->add_values(i % 2 == 0 ? "north" : "south");
  }
  return chunk;
}

TEST_F(ServerTest, GroupByReturnsOneResultPerSegmentOverAStream) {
  v1::ComputeStreamResponse response;
  auto context = Context();
  auto writer = stub_->ComputeStream(context.get(), &response);
  v1::ComputeStreamRequest first = RegionChunk(10);
  first.set_metric("nps");
  first.add_group_by("region");
  ASSERT_TRUE(writer->Write(first));
  ASSERT_TRUE(writer->Write(RegionChunk(30)));
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::MetricResult& result = response.result();
  EXPECT_DOUBLE_EQ(result.value(), 0.0);  // half promoters, half detractors
  ASSERT_EQ(result.segments_size(), 2);
  EXPECT_EQ(result.segments(0).key(0), "north");
  EXPECT_DOUBLE_EQ(result.segments(0).result().value(), 100.0);
  EXPECT_EQ(result.segments(0).result().sample_size(), 20);
  EXPECT_EQ(result.segments(1).key(0), "south");
  EXPECT_DOUBLE_EQ(result.segments(1).result().value(), -100.0);
}

TEST_F(ServerTest, GroupByOverScalarInputsIsRefused) {
  v1::ComputeRequest request;
  request.set_metric("churn_rate");
  (*request.mutable_scalars())["customers_at_start"].set_int64_value(10);
  (*request.mutable_scalars())["customers_lost"].set_int64_value(1);
  request.add_group_by("region");
  v1::ComputeResponse response;
  grpc::Status status = stub_->Compute(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("group_by needs row inputs, but scalar input"));
}

TEST_F(ServerTest, ListsEveryBundledMetricWithItsSchema) {
  v1::ListMetricsResponse response;
  ASSERT_TRUE(stub_->ListMetrics(Context().get(), {}, &response).ok());
  std::vector<std::string> names;
  for (const auto& m : response.metrics()) names.push_back(m.name());
  EXPECT_THAT(
      names,
      ::testing::ElementsAre(
          "average_session_duration", "bgnbd", "cart_abandonment_rate", "ces",
          "churn_rate", "churn_risk", "click_through_rate", "cohort_retention",
          "contractual_clv", "conversion_rate", "csat", "engagement_rate",
          "first_response_time", "funnel", "gamma_gamma", "gross_revenue_churn",
          "health_score", "historical_clv", "mrr", "mrr_movements",
          "net_revenue_churn", "nps", "predictive_clv", "repeat_purchase_rate",
          "retention_rate", "rfm", "sbg", "ticket_resolution_rate"));
  for (const auto& m : response.metrics()) {
    EXPECT_FALSE(m.plugin().empty()) << m.name();
    EXPECT_EQ(m.plugin_version(), "1.0.0") << m.name();
    EXPECT_FALSE(m.description().empty()) << m.name();
    EXPECT_FALSE(m.inputs().empty()) << m.name();
    EXPECT_THAT(m.plugin_file(), HasSubstr(".so")) << m.name();
  }
}

TEST_F(ServerTest, DescribesParametersWithDefaults) {
  v1::DescribeMetricRequest request;
  request.set_metric("nps");
  v1::DescribeMetricResponse response;
  ASSERT_TRUE(stub_->DescribeMetric(Context().get(), request, &response).ok());
  const v1::MetricInfo& info = response.metric();
  EXPECT_EQ(info.plugin(), "survey");
  ASSERT_EQ(info.inputs_size(), 1);
  EXPECT_EQ(info.inputs(0).name(), "scores");
  EXPECT_EQ(info.inputs(0).kind(), v1::INPUT_KIND_COLUMN);
  EXPECT_EQ(info.inputs(0).max(), 10);
  std::map<std::string, v1::Value> defaults;
  for (const auto& p : info.parameters())
    defaults[p.name()] = p.default_value();
  EXPECT_EQ(defaults["promoter_min"].int64_value(), 9);
  EXPECT_EQ(defaults["detractor_max"].int64_value(), 6);
  EXPECT_EQ(defaults["confidence_level"].double_value(), 0.95);
}

TEST_F(ServerTest, HealthIsServingOverallAndForTheMetricService) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const std::string service : {"", "kpi.v1.MetricService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status status = health->Check(Context().get(), request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << "service '" << service << "'";
  }
  grpc::health::v1::HealthCheckRequest unknown;
  unknown.set_service("kpi.v1.NoSuchService");
  grpc::health::v1::HealthCheckResponse response;
  EXPECT_EQ(health->Check(Context().get(), unknown, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// buf curl learns every schema from the server's reflection service.
testing::CommandResult BufCurl(const std::string& address,
                               std::vector<std::string> args) {
  std::vector<std::string> argv = {KPI_BUF_BINARY, "curl", "--protocol", "grpc",
                                   "--http2-prior-knowledge"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.back() = absl::StrCat("http://", address, argv.back());
  return RunCommand(argv);
}

TEST_F(ServerTest, ReflectionListsEveryServiceIncludingHealth) {
  testing::CommandResult listed =
      BufCurl(server_->address(), {"--list-methods", ""});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("kpi.v1.MetricService/ComputeNps"));
  EXPECT_THAT(listed.out, HasSubstr("kpi.v1.MetricService/ComputeStream"));
  EXPECT_THAT(listed.out, HasSubstr("grpc.health.v1.Health/Check"));
  EXPECT_THAT(listed.out, HasSubstr("kpi.v1.AdminService/Reload"));
}

TEST_F(ServerTest, ReflectionLetsAClientWithoutProtosCallTypedRpcsAndHealth) {
  testing::CommandResult churn =
      BufCurl(server_->address(),
              {"-d", R"({"customers_at_start": 100, "customers_lost": 10})",
               "/kpi.v1.MetricService/ComputeChurnRate"});
  ASSERT_EQ(churn.exit_code, 0) << churn.err;
  EXPECT_THAT(churn.out, HasSubstr("\"value\": 10"));

  testing::CommandResult health = BufCurl(
      server_->address(), {"-d", R"({"service": "kpi.v1.MetricService"})",
                           "/grpc.health.v1.Health/Check"});
  ASSERT_EQ(health.exit_code, 0) << health.err;
  EXPECT_THAT(health.out, HasSubstr("SERVING"));
}

TEST(ServerLoadingTest,
     RefusesBrokenPluginsWithOneLogLineEachAndServesTheRest) {
  std::unique_ptr<ServerProcess> server = StartServer(
      {"--plugin-dir", KPI_FIXTURE_PLUGIN_DIR, "--plugin-dir", KPI_PLUGIN_DIR});
  ASSERT_NE(server, nullptr);
  const std::string log = server->log();
  const std::string dir = KPI_FIXTURE_PLUGIN_DIR;
  EXPECT_THAT(log, HasSubstr("refused plugin " + dir +
                             "/b_duplicate_metric.so: metric 'fixture_sum' is "
                             "already provided"));
  EXPECT_THAT(log, HasSubstr("refused plugin " + dir +
                             "/c_wrong_abi.so: speaks plugin ABI 2.0"));
  EXPECT_THAT(log, HasSubstr("refused plugin " + dir +
                             "/d_no_entry.so: no entry symbol"));
  EXPECT_THAT(log, HasSubstr("refused plugin " + dir +
                             "/e_malformed_schema.so: malformed schema"));
  EXPECT_THAT(log, HasSubstr("refused plugin " + dir +
                             "/f_not_a_library.so: not a loadable shared "
                             "library"));

  auto client = v1::MetricService::NewStub(grpc::CreateChannel(
      server->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  v1::ListMetricsResponse listed;
  ASSERT_TRUE(client->ListMetrics(&context, {}, &listed).ok());
  std::vector<std::string> names;
  for (const auto& m : listed.metrics()) names.push_back(m.name());
  EXPECT_THAT(names, ::testing::Contains("fixture_sum"));
  EXPECT_THAT(names, ::testing::Contains("nps"));
  EXPECT_THAT(names, Not(::testing::Contains("fixture_future")));
  EXPECT_THAT(names, Not(::testing::Contains("fixture_malformed")));
}

TEST(ServerLoadingTest, AMissingPluginDirectoryStopsTheServer) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, {"--plugin-dir", "/no/such/dir"});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(),
              HasSubstr("plugin directory /no/such/dir does not exist"));
}

TEST(ServerShutdownTest, SigtermLetsInFlightCallsFinishAndRefusesNewOnes) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  auto client = v1::MetricService::NewStub(channel);

  v1::ComputeStreamResponse response;
  grpc::ClientContext stream_context;
  auto writer = client->ComputeStream(&stream_context, &response);
  v1::ComputeStreamRequest first = ScoreChunk(11);
  first.set_metric("nps");
  ASSERT_TRUE(writer->Write(first));
  // Wait until the server has the call in hand before signalling.
  v1::ListMetricsResponse ignored;
  grpc::ClientContext list_context;
  ASSERT_TRUE(client->ListMetrics(&list_context, {}, &ignored).ok());

  server->Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(writer->Write(ScoreChunk(11)));
  writer->WritesDone();
  grpc::Status finished = writer->Finish();
  ASSERT_TRUE(finished.ok()) << finished.error_message();
  EXPECT_EQ(response.result().sample_size(), 22);

  grpc::ClientContext late_context;
  late_context.set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(5));
  grpc::Status late = client->ListMetrics(&late_context, {}, &ignored);
  EXPECT_FALSE(late.ok());
  EXPECT_EQ(server->Wait(), 0);
  EXPECT_THAT(server->log(), HasSubstr("stopped"));
}

TEST(ServerShutdownTest, HealthWatchersSeeNotServingWhenShutdownStarts) {
  std::unique_ptr<ServerProcess> server = StartServer();
  ASSERT_NE(server, nullptr);
  auto health = grpc::health::v1::Health::NewStub(grpc::CreateChannel(
      server->address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("kpi.v1.MetricService");
  auto watch = health->Watch(&context, request);
  grpc::health::v1::HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  server->Signal(SIGTERM);
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(),
            grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  context.TryCancel();
  EXPECT_EQ(server->Wait(), 0);
}

TEST(ServerCommandLineTest, HelpDocumentsEveryFlag) {
  testing::CommandResult help = RunCommand({KPI_SERVER_BINARY, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag :
       {"--listen", "--plugin-dir", "--worker-threads", "--max-message-bytes",
        "--shutdown-grace-seconds", "--skip-plugin-checks",
        "--allow-writable-plugins", "--profiles", "--watch", "--tls-cert",
        "--tls-key", "--tls-client-ca", "--tokens-file", "--admin-listen",
        "SIGHUP", "AdminService/Reload"}) {
    EXPECT_THAT(help.out, HasSubstr(flag));
  }
  testing::CommandResult bad = RunCommand({KPI_SERVER_BINARY, "--colour"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown flag '--colour'"));
}

}  // namespace
}  // namespace kpi
