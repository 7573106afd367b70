// Health-score profiles from a --profiles file, through a real kpi-server:
// the typed and the generic call, a call's own parameters over its profile,
// an edited file taking effect on reload, and the errors.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <thread>

#include "kpi/v1/admin_service.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using testing::ServerProcess;

// The catalog's worked example: weights 1, 2, 1 on scores 80, 50, 100 -> 70.
constexpr char kCatalogProfiles[] = R"({
  "health_score": {
    "catalog": {"signals": "a:1:higher,b:2:higher,c:1:higher",
                "bands": "red<50,yellow<75,green"},
    "flat": {"signals": "a:1:higher,b:1:higher,c:1:higher"}
  }
})";

class ProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char file_template[] = "/tmp/kpi-profiles-XXXXXX";
    const int fd = mkstemp(file_template);
    ASSERT_GE(fd, 0);
    close(fd);
    file_ = file_template;
    Write(kCatalogProfiles);
  }
  void TearDown() override {
    // Close the channel first: the server's shutdown would otherwise wait
    // for the connection to go idle.
    metrics_.reset();
    admin_.reset();
    server_.reset();
    std::remove(file_.c_str());
  }
  void Write(const std::string& json) {
    std::ofstream(file_, std::ios::trunc) << json;
  }
  void Start() {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(KPI_SERVER_BINARY, {"--profiles", file_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    metrics_ = v1::MetricService::NewStub(channel);
    admin_ = v1::AdminService::NewStub(channel);
  }
  // One customer with a = 80, b = 50, c = 100 under `profile`.
  v1::ComputeHealthScoreRequest Typed(const std::string& profile) {
    v1::ComputeHealthScoreRequest request;
    for (auto [signal, value] :
         {std::pair{"a", 80.0}, std::pair{"b", 50.0}, std::pair{"c", 100.0}}) {
      request.add_customer("c1");
      request.add_signal(signal);
      request.add_value(value);
    }
    request.set_profile(profile);
    return request;
  }
  grpc::Status Score(const v1::ComputeHealthScoreRequest& request,
                     v1::MetricResult* result) {
    grpc::ClientContext context;
    v1::ComputeHealthScoreResponse response;
    grpc::Status status =
        metrics_->ComputeHealthScore(&context, request, &response);
    *result = response.result();
    return status;
  }

  std::string file_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::MetricService::Stub> metrics_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(ProfilesTest, TheTypedCallTakesSignalsAndWeightsFromAProfile) {
  Start();
  v1::MetricResult result;
  grpc::Status status = Score(Typed("catalog"), &result);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_DOUBLE_EQ(result.value(), 70.0);
  ASSERT_TRUE(Score(Typed("flat"), &result).ok());
  EXPECT_DOUBLE_EQ(result.value(), 230.0 / 3);
}

TEST_F(ProfilesTest, TheCallsOwnParametersOverrideItsProfile) {
  Start();
  v1::ComputeHealthScoreRequest request = Typed("catalog");
  request.mutable_parameters()->set_signals("a:3:higher,b:1:higher,c:1:higher");
  v1::MetricResult result;
  ASSERT_TRUE(Score(request, &result).ok());
  EXPECT_DOUBLE_EQ(result.value(), (240.0 + 50 + 100) / 5);  // 78
}

TEST_F(ProfilesTest, TheGenericCallNamesAProfileToo) {
  Start();
  v1::ComputeRequest request;
  request.set_metric("health_score");
  request.set_profile("catalog");
  v1::Column* customer = request.add_columns();
  customer->set_name("customer");
  v1::Column* signal = request.add_columns();
  signal->set_name("signal");
  v1::Column* value = request.add_columns();
  value->set_name("value");
  for (auto [name, v] :
       {std::pair{"a", 80.0}, std::pair{"b", 50.0}, std::pair{"c", 100.0}}) {
    customer->mutable_strings()->add_values("c1");
    signal->mutable_strings()->add_values(name);
    value->mutable_doubles()->add_values(v);
  }
  grpc::ClientContext context;
  v1::ComputeResponse response;
  grpc::Status status = metrics_->Compute(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_DOUBLE_EQ(response.result().value(), 70.0);
}

TEST_F(ProfilesTest, AnUnknownProfileIsRefusedListingTheKnownOnes) {
  Start();
  v1::MetricResult result;
  grpc::Status status = Score(Typed("enterprise"), &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "profile: health_score has no profile 'enterprise' (profiles: "
            "catalog, flat)");
}

TEST_F(ProfilesTest, AnEditedFileTakesEffectOnReload) {
  Start();
  Write(
      R"({"health_score": {"catalog": {"signals": "a:1:higher,b:1:lower,c:2:higher"}}})");
  grpc::ClientContext context;
  v1::ReloadResponse reloaded;
  ASSERT_TRUE(admin_->Reload(&context, {}, &reloaded).ok());
  EXPECT_EQ(reloaded.profile_count(), 1);
  v1::MetricResult result;
  ASSERT_TRUE(Score(Typed("catalog"), &result).ok());
  EXPECT_DOUBLE_EQ(result.value(), 82.5);  // (80 + (100 - 50) + 2 x 100) / 4

  // A file that no longer parses is refused; the last good one serves on.
  Write("{\"health_score\": ");
  grpc::ClientContext bad_context;
  grpc::Status bad = admin_->Reload(&bad_context, {}, &reloaded);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr(file_ + ": not a JSON object"));
  EXPECT_TRUE(Score(Typed("catalog"), &result).ok());
}

TEST_F(ProfilesTest, AProfileThatDoesNotFitItsMetricIsLoggedAtStart) {
  Write(R"({"health_score": {"typo": {"signal": "a:1:higher"}},
            "lifetime_happiness": {"x": {}}})");
  Start();
  EXPECT_THAT(server_->log(),
              HasSubstr("profile 'typo' of health_score: parameter 'signal': "
                        "is not a parameter of health_score"));
  EXPECT_THAT(server_->log(),
              HasSubstr("profile 'x' of lifetime_happiness: no loaded plugin "
                        "provides lifetime_happiness"));
}

TEST_F(ProfilesTest, AProfilesFileThatDoesNotParseStopsTheServer) {
  Write("[1, 2]");
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, {"--profiles", file_});
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(),
              HasSubstr(file_ + ": not a JSON object of metrics"));
}

}  // namespace
}  // namespace kpi
