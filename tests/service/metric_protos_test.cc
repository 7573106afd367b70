// The typed API made from the declarations (service/metric_protos.h): the
// names and field numbers it promises, a request built from the generated
// descriptor computing exactly what the generic Compute does, the .proto
// files checked in under proto/ being what the server emits, and
// kpi-server --emit-proto.
#include "metric_protos.h"

#include <gmock/gmock.h>
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "live_config.h"
#include "metric_dispatch.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class MetricProtosTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    MetricRegistry::Options options;
    options.isolation = Isolation::kNone;
    absl::StatusOr<std::unique_ptr<LiveConfig>> loaded = LiveConfig::Load(
        {KPI_PLUGIN_DIR}, options, "", [](absl::string_view) {});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    config_ = loaded->release();
  }

  // The built file of plugin `name`, in `pool_`.
  const google::protobuf::FileDescriptor* Built(const std::string& name) {
    for (const auto& library : config_->Current().registry->plugins()) {
      if (library->descriptor().name != name) continue;
      const google::protobuf::FileDescriptorProto file =
          PluginProtoFile(library->descriptor());
      return pool_.BuildFile(file);
    }
    return nullptr;
  }

  static LiveConfig* config_;  // leaked: plugins stay loaded
  google::protobuf::DescriptorPool pool_{
      google::protobuf::DescriptorPool::generated_pool()};
};

LiveConfig* MetricProtosTest::config_ = nullptr;

TEST_F(MetricProtosTest, APluginsFileNamesItsPackageServiceAndMethods) {
  const google::protobuf::FileDescriptor* file = Built("survey");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->name(), "kpi/plugins/survey/v1/survey.proto");
  EXPECT_EQ(file->package(), "kpi.plugins.survey.v1");
  ASSERT_EQ(file->service_count(), 1);
  const google::protobuf::ServiceDescriptor* service = file->service(0);
  EXPECT_EQ(service->full_name(), "kpi.plugins.survey.v1.SurveyService");
  std::vector<std::string> methods;
  for (int i = 0; i < service->method_count(); ++i) {
    methods.push_back(service->method(i)->name());
  }
  EXPECT_THAT(methods, ElementsAre("ComputeNps", "ComputeCsat", "ComputeCes"));
  const google::protobuf::MethodDescriptor* nps = service->method(0);
  EXPECT_EQ(nps->input_type()->full_name(),
            "kpi.plugins.survey.v1.ComputeNpsRequest");
  EXPECT_EQ(nps->output_type()->full_name(),
            "kpi.plugins.survey.v1.ComputeNpsResponse");
  const FieldDescriptor* result = nps->output_type()->FindFieldByNumber(1);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->message_type()->full_name(), "kpi.v1.MetricResult");
}

// parameters = 1, profile = 2, the inputs from 3 in declaration order;
// parameters from 1 in theirs, each with presence.
TEST_F(MetricProtosTest, FieldsAreNumberedFromTheDeclarations) {
  const google::protobuf::FileDescriptor* file = Built("survey");
  ASSERT_NE(file, nullptr);
  const Descriptor* request = file->FindMessageTypeByName("ComputeNpsRequest");
  ASSERT_NE(request, nullptr);
  ASSERT_EQ(request->field_count(), 3);
  EXPECT_EQ(request->FindFieldByNumber(1)->name(), "parameters");
  EXPECT_EQ(request->FindFieldByNumber(2)->name(), "profile");
  const FieldDescriptor* scores = request->FindFieldByNumber(3);
  EXPECT_EQ(scores->name(), "scores");
  EXPECT_TRUE(scores->is_repeated());
  EXPECT_EQ(scores->type(), FieldDescriptor::TYPE_DOUBLE);
  const Descriptor* parameters = request->FindFieldByNumber(1)->message_type();
  EXPECT_EQ(parameters->full_name(), "kpi.plugins.survey.v1.NpsParameters");
  const FieldDescriptor* promoter_min = parameters->FindFieldByNumber(1);
  ASSERT_NE(promoter_min, nullptr);
  EXPECT_EQ(promoter_min->name(), "promoter_min");
  EXPECT_EQ(promoter_min->type(), FieldDescriptor::TYPE_INT64);
  EXPECT_TRUE(promoter_min->has_presence());

  // Timestamps: a TIMESTAMP column is sfixed64 microseconds, a TIMESTAMP
  // parameter a google.protobuf.Timestamp; a KEY column is strings.
  const google::protobuf::FileDescriptor* retention = Built("retention");
  ASSERT_NE(retention, nullptr);
  const Descriptor* churn =
      retention->FindMessageTypeByName("ComputeChurnRateRequest");
  ASSERT_NE(churn, nullptr);
  EXPECT_EQ(churn->FindFieldByName("start")->type(),
            FieldDescriptor::TYPE_SFIXED64);
  EXPECT_EQ(churn->FindFieldByName("customer")->type(),
            FieldDescriptor::TYPE_STRING);
  EXPECT_TRUE(churn->FindFieldByName("customers_lost")->has_presence());
  EXPECT_EQ(churn->FindFieldByName("parameters")
                ->message_type()
                ->FindFieldByName("period_start")
                ->message_type()
                ->full_name(),
            "google.protobuf.Timestamp");
}

// A request parsed as a dynamic message of the generated type goes down the
// typed path and answers bit for bit what the generic Compute answers.
TEST_F(MetricProtosTest, ADynamicRequestComputesExactlyAsCompute) {
  const google::protobuf::FileDescriptor* file = Built("survey");
  ASSERT_NE(file, nullptr);
  const Descriptor* type = file->FindMessageTypeByName("ComputeNpsRequest");
  google::protobuf::DynamicMessageFactory factory(&pool_);
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype(type)->New());
  const auto* reflection = request->GetReflection();
  for (const double score : {9.0, 10.0, 3.0, 7.0, 8.0, 6.0}) {
    reflection->AddDouble(request.get(), type->FindFieldByName("scores"),
                          score);
  }
  google::protobuf::Message* parameters = reflection->MutableMessage(
      request.get(), type->FindFieldByName("parameters"));
  parameters->GetReflection()->SetInt64(
      parameters, parameters->GetDescriptor()->FindFieldByName("promoter_min"),
      8);
  // The same call, on the wire of the generic Compute.
  v1::ComputeRequest generic;
  generic.set_metric("nps");
  v1::Column* scores = generic.add_columns();
  scores->set_name("scores");
  for (const double score : {9.0, 10.0, 3.0, 7.0, 8.0, 6.0}) {
    scores->mutable_doubles()->add_values(score);
  }
  (*generic.mutable_parameters())["promoter_min"].set_int64_value(8);

  const MetricDispatch dispatch(config_);
  absl::StatusOr<v1::MetricResult> typed =
      dispatch.ComputeTyped("nps", *request, nullptr);
  absl::StatusOr<v1::MetricResult> expected =
      dispatch.Compute(generic, nullptr);
  ASSERT_TRUE(typed.ok()) << typed.status();
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_NEAR(typed->value(), 100.0 * (3 - 2) / 6, 1e-12);
  EXPECT_EQ(typed->SerializeAsString(), expected->SerializeAsString());
}

// proto/kpi/plugins holds the bundled plugins' files as the server emits
// them: clients compile those, and buf lint and buf breaking guard them.
TEST_F(MetricProtosTest, CheckedInProtosAreWhatTheServerEmits) {
  int compared = 0;
  for (const auto& library : config_->Current().registry->plugins()) {
    const google::protobuf::FileDescriptorProto file =
        PluginProtoFile(library->descriptor());
    absl::StatusOr<std::string> source = ProtoSource(file);
    ASSERT_TRUE(source.ok()) << source.status();
    const std::string path = absl::StrCat(KPI_PROTO_DIR, "/", file.name());
    EXPECT_EQ(testing::ReadFile(path), *source)
        << path << " differs from what the server emits; regenerate it with "
        << "kpi-server --emit-proto proto";
    ++compared;
  }
  EXPECT_EQ(compared, 7);
}

// The imported files sent with the plugins' close over every import but
// protoc's own google/protobuf/*, and are proto/'s files.
TEST_F(MetricProtosTest, ImportedApiFilesCoverEveryImport) {
  std::set<std::string> sent;
  for (const v1::ProtoFile& file : ImportedApiProtoFiles()) {
    sent.insert(file.path());
    EXPECT_EQ(file.content(),
              testing::ReadFile(absl::StrCat(KPI_PROTO_DIR, "/", file.path())))
        << file.path();
  }
  auto covered = [&sent](const std::string& import) {
    return sent.count(import) > 0 ||
           absl::StartsWith(import, "google/protobuf/");
  };
  for (const auto& library : config_->Current().registry->plugins()) {
    const google::protobuf::FileDescriptorProto file =
        PluginProtoFile(library->descriptor());
    for (const std::string& import : file.dependency()) {
      EXPECT_TRUE(covered(import)) << file.name() << " imports " << import;
    }
  }
  for (const std::string& path : sent) {
    const google::protobuf::FileDescriptor* compiled =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(
            path);
    ASSERT_NE(compiled, nullptr) << path;
    for (int i = 0; i < compiled->dependency_count(); ++i) {
      EXPECT_TRUE(covered(compiled->dependency(i)->name()))
          << path << " imports " << compiled->dependency(i)->name();
    }
  }
  EXPECT_EQ(sent.size(), 2);
}

TEST(EmitProtoTest, KpiServerWritesEveryPluginsFileAndExits) {
  testing::TempDir out;
  const testing::CommandResult run =
      testing::RunCommand({KPI_SERVER_BINARY, "--emit-proto", out.path()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out,
              HasSubstr(absl::StrCat(out.path(),
                                     "/kpi/plugins/survey/v1/survey.proto\n")));
  const std::string survey = testing::ReadFile(
      absl::StrCat(out.path(), "/kpi/plugins/survey/v1/survey.proto"));
  EXPECT_THAT(survey, HasSubstr("package kpi.plugins.survey.v1;"));
  EXPECT_THAT(survey, HasSubstr("service SurveyService {"));
  EXPECT_THAT(survey, HasSubstr("rpc ComputeNps(.kpi.plugins.survey.v1."
                                "ComputeNpsRequest)"));
  EXPECT_THAT(run.out,
              HasSubstr(absl::StrCat(out.path(), "/kpi/v1/result.proto\n")));
  EXPECT_THAT(
      testing::ReadFile(absl::StrCat(out.path(), "/kpi/v1/result.proto")),
      HasSubstr("message MetricResult {"));

  // A directory that cannot be made is named.
  const std::string file = absl::StrCat(out.path(), "/a_file");
  std::ofstream(file) << "";
  const testing::CommandResult refused =
      testing::RunCommand({KPI_SERVER_BINARY, "--emit-proto", file});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("--emit-proto: cannot write " + file));
}

}  // namespace
}  // namespace kpi
