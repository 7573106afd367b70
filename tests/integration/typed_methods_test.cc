// The typed methods made from the declarations, served by a real kpi-server
// (service/typed_methods.h): a plugin's method called by its path with the
// wire bytes of its generated request answers exactly what Compute
// answers; a method no plugin declares, and bytes that do not parse, are
// refused with a reason.
#include <gmock/gmock.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/raw_calls.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;

constexpr char kNps[] = "/kpi.plugins.survey.v1.SurveyService/ComputeNps";

// kpi.plugins.survey.v1.ComputeNpsRequest on the wire (proto/kpi/plugins/
// survey/v1/survey.proto): parameters = 1 { promoter_min = 1 }, scores = 3.
std::string NpsRequestBytes(const std::vector<double>& scores,
                            int64_t promoter_min) {
  std::string parameters;
  {
    google::protobuf::io::StringOutputStream stream(&parameters);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.WriteTag((1 << 3) | 0);
    out.WriteVarint64(static_cast<uint64_t>(promoter_min));
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.WriteTag((1 << 3) | 2);
    out.WriteVarint32(static_cast<uint32_t>(parameters.size()));
    out.WriteString(parameters);
    out.WriteTag((3 << 3) | 2);
    out.WriteVarint32(static_cast<uint32_t>(scores.size() * 8));
    for (const double score : scores) {
      uint64_t bits;
      std::memcpy(&bits, &score, sizeof(bits));
      out.WriteLittleEndian64(bits);
    }
  }
  return bytes;
}

class TypedMethodsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::ServerProcess>> server =
        testing::ServerProcess::Start(KPI_SERVER_BINARY);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
  }

  std::unique_ptr<testing::ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(TypedMethodsTest, APluginsTypedMethodAnswersExactlyAsCompute) {
  const std::vector<double> scores = {9, 10, 3, 7, 8, 6};
  std::string answer;
  const grpc::Status status =
      testing::RawUnary(channel_, kNps, NpsRequestBytes(scores, 8), &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // ComputeNpsResponse: result = 1, as kpi.v1's typed responses.
  v1::ComputeResponse typed;
  ASSERT_TRUE(typed.ParseFromString(answer));
  EXPECT_NEAR(typed.result().value(), 100.0 * (3 - 2) / 6, 1e-12);

  v1::ComputeRequest request;
  request.set_metric("nps");
  v1::Column* column = request.add_columns();
  column->set_name("scores");
  for (const double score : scores) {
    column->mutable_doubles()->add_values(score);
  }
  (*request.mutable_parameters())["promoter_min"].set_int64_value(8);
  v1::ComputeResponse generic;
  grpc::ClientContext context;
  ASSERT_TRUE(v1::MetricService::NewStub(channel_)
                  ->Compute(&context, request, &generic)
                  .ok());
  EXPECT_EQ(typed.result().SerializeAsString(),
            generic.result().SerializeAsString());
  // Validated as every call is: a score off the scale names its row.
  const grpc::Status refused =
      testing::RawUnary(channel_, kNps, NpsRequestBytes({9, 11}, 9));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("input 'scores' row 1"));
}

TEST_F(TypedMethodsTest, AMethodNoPluginDeclaresIsUnimplementedByName) {
  const grpc::Status status = testing::RawUnary(
      channel_, "/kpi.plugins.survey.v1.SurveyService/ComputeNope", "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("no method /kpi.plugins.survey.v1.SurveyService/"
                        "ComputeNope here"));
  EXPECT_THAT(status.error_message(), HasSubstr("kpi-server --emit-proto"));
}

TEST_F(TypedMethodsTest, BytesThatDoNotParseAreInvalidArgument) {
  const grpc::Status status =
      testing::RawUnary(channel_, kNps, std::string("\xff\xff\xff", 3));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << status.error_message();
}

// Server reflection (v1 and v1alpha) describes the plugins' typed methods:
// buf curl lists them and calls one with JSON, with no .proto file.
TEST_F(TypedMethodsTest, ReflectionListsAndDescribesThePluginsMethods) {
  const testing::CommandResult listed = testing::RunCommand(
      {KPI_BUF_BINARY, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
       "--list-methods", absl::StrCat("http://", server_->address())});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out,
              HasSubstr("kpi.plugins.survey.v1.SurveyService/ComputeNps\n"));
  EXPECT_THAT(listed.out, HasSubstr("kpi.plugins.retention.v1.RetentionService/"
                                    "ComputeChurnRate\n"));
  EXPECT_THAT(listed.out, HasSubstr("kpi.v1.MetricService/ComputeNps\n"));
  for (const char* protocol : {"grpc-v1", "grpc-v1alpha"}) {
    const testing::CommandResult called = testing::RunCommand(
        {KPI_BUF_BINARY, "curl", "--protocol", "grpc",
         "--http2-prior-knowledge", "--reflect-protocol", protocol, "-d",
         R"({"scores": [10, 10, 10, 8, 3]})",
         absl::StrCat("http://", server_->address(), kNps)});
    ASSERT_EQ(called.exit_code, 0) << protocol << ": " << called.err;
    EXPECT_THAT(called.out, HasSubstr("\"value\": 40")) << protocol;
  }
}

// buf curl, given the checked-in files as its schema, calls a plugin's
// method by name with JSON (no reflection needed).
TEST_F(TypedMethodsTest, BufCurlCallsAPluginsMethodWithTheEmittedSchema) {
  const testing::CommandResult called = testing::RunCommand(
      {KPI_BUF_BINARY, "curl", "--schema", KPI_PROTO_DIR, "--protocol", "grpc",
       "--http2-prior-knowledge", "-d",
       R"({"scores": [10, 10, 10, 8, 3], "parameters": {"promoterMin": "9"}})",
       absl::StrCat("http://", server_->address(), kNps)});
  ASSERT_EQ(called.exit_code, 0) << called.err;
  // 3 promoters, 1 detractor of 5: NPS 40.
  EXPECT_THAT(called.out, HasSubstr("\"value\": 40"));
}

// GetMetricProtos answers the files --emit-proto writes: for the bundled
// plugins and the kpi.v1 files they import, the checked-in ones, byte for
// byte.
TEST_F(TypedMethodsTest, GetMetricProtosAnswersEachPluginsProtoFile) {
  const std::unique_ptr<v1::MetricService::Stub> stub =
      v1::MetricService::NewStub(channel_);
  v1::GetMetricProtosResponse every;
  {
    grpc::ClientContext context;
    const grpc::Status status =
        stub->GetMetricProtos(&context, v1::GetMetricProtosRequest(), &every);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  std::vector<std::string> paths;
  for (const v1::ProtoFile& file : every.files()) {
    paths.push_back(file.path());
    const std::string checked_in =
        testing::ReadFile(absl::StrCat(KPI_PROTO_DIR, "/", file.path()));
    ASSERT_FALSE(checked_in.empty()) << file.path();
    EXPECT_EQ(file.content(), checked_in) << file.path();
  }
  EXPECT_THAT(paths, ::testing::ElementsAre(
                         "kpi/plugins/engagement/v1/engagement.proto",
                         "kpi/plugins/journey/v1/journey.proto",
                         "kpi/plugins/predictive/v1/predictive.proto",
                         "kpi/plugins/retention/v1/retention.proto",
                         "kpi/plugins/revenue/v1/revenue.proto",
                         "kpi/plugins/support/v1/support.proto",
                         "kpi/plugins/survey/v1/survey.proto",
                         "kpi/v1/result.proto", "kpi/v1/values.proto"));

  v1::GetMetricProtosRequest survey;
  survey.add_plugins("survey");
  v1::GetMetricProtosResponse one;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetMetricProtos(&context, survey, &one).ok());
  }
  ASSERT_EQ(one.files_size(), 3);
  EXPECT_EQ(one.files(0).path(), "kpi/plugins/survey/v1/survey.proto");
  EXPECT_EQ(one.files(1).path(), "kpi/v1/result.proto");

  survey.add_plugins("no_such_plugin");
  grpc::ClientContext context;
  const grpc::Status unknown = stub->GetMetricProtos(&context, survey, &one);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown.error_message(),
              HasSubstr("no loaded plugin is named 'no_such_plugin'"));
}

}  // namespace
}  // namespace kpi
