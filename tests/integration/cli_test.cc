// The kpi CLI against a real kpi-server: output text, JSON, and the exit
// status of every kind of failure; parameter profiles (--profile) and
// reloading (kpi reload) against servers of their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using testing::CommandResult;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;
using ::testing::StartsWith;
using testing::TempDir;

// Runs kpi against `server`, `input` on its standard input.
CommandResult KpiAt(const ServerProcess& server, std::vector<std::string> args,
                    const std::string& input = "") {
  args.insert(args.begin(), {KPI_CLI_BINARY, "--server", server.address()});
  return RunCommand(args, input);
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(KPI_SERVER_BINARY);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static CommandResult Kpi(std::vector<std::string> args,
                           const std::string& input = "") {
    return KpiAt(*server_, std::move(args), input);
  }
  static ServerProcess* server_;
};
ServerProcess* CliTest::server_ = nullptr;

TEST_F(CliTest, ListShowsEveryBundledMetric) {
  CommandResult r = Kpi({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* metric : {"ces", "churn_rate", "click_through_rate", "csat",
                             "nps", "retention_rate"}) {
    EXPECT_THAT(r.out, HasSubstr(metric));
  }
  EXPECT_THAT(r.out, HasSubstr("survey@1.0.0"));
}

TEST_F(CliTest, ComputesFromNameValueArguments) {
  CommandResult r = Kpi({"compute", "churn_rate", "customers_at_start=1000",
                         "customers_lost=50"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "churn_rate = 5 %\n  ratio: 50 / 1000\n");
}

TEST_F(CliTest, ComputesFromJsonOnStandardInput) {
  std::string scores;
  for (int i = 0; i < 100; ++i) {
    absl::StrAppend(&scores, i ? "," : "", i < 50 ? 10 : i < 80 ? 8 : 3);
  }
  CommandResult r = Kpi({"compute", "nps", "--input-json", "-"},
                        absl::StrCat(R"({"scores": [)", scores, "]}"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("nps = 30 score\n"));
  EXPECT_THAT(
      r.out,
      HasSubstr("95% interval: 14.69 .. 45.31 (margin ±15.31, SE 7.81)"));
  EXPECT_THAT(r.out, HasSubstr("sample size: 100"));
}

TEST_F(CliTest, PrintsJsonWhenAsked) {
  CommandResult r = Kpi({"--json", "compute", "click_through_rate",
                         "clicks=100", "impressions=1000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("value":10)"));
  EXPECT_THAT(r.out, HasSubstr(R"("unit":"%")"));
}

TEST_F(CliTest, AnUndefinedResultIsAnAnswerNotAFailure) {
  CommandResult r = Kpi(
      {"compute", "churn_rate", "customers_at_start=0", "customers_lost=0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("churn_rate is undefined: customers_at_start is 0"));
}

TEST_F(CliTest, BadInputExitsOneWithTheServersMessage) {
  CommandResult r = Kpi({"compute", "nps", "scores=9,10,11"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, StartsWith("kpi: INVALID_ARGUMENT: input 'scores' row 2: "
                                "11 is above the maximum 10 (request id "));
  EXPECT_THAT(r.err, EndsWith(")\n"));
}

TEST_F(CliTest, UnknownMetricExitsOneWithNotFound) {
  CommandResult r = Kpi({"describe", "happiness"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("kpi: NOT_FOUND: no loaded plugin provides "
                               "metric 'happiness'"));
}

TEST_F(CliTest, UnknownNameIsAUsageErrorBeforeAnyComputation) {
  CommandResult r = Kpi({"compute", "nps", "score=3"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("nps has no input or parameter named \"score\""));
}

TEST_F(CliTest, UnparsableValueIsAUsageError) {
  CommandResult r = Kpi({"compute", "nps", "scores=9,x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("scores: item 2 \"x\" is not a number"));
}

TEST_F(CliTest, PrintsResultTablesAsAlignedText) {
  CommandResult r = Kpi({"compute", "funnel", "customer=a,a,b",
                         "stage=awareness,consideration,awareness",
                         "time=2024-01-01,2024-01-02,2024-01-01",
                         "stages=awareness,consideration"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "funnel = 50 %\n"
            "  ratio: 1 / 2\n"
            "  table stages:\n"
            "    stage          entrants  step_conversion  overall_conversion  "
            "drop_off\n"
            "    awareness             2              100                 100  "
            "       0\n"
            "    consideration         1               50                  50  "
            "       1\n");
}

TEST_F(CliTest, GroupByPrintsOneLinePerSegment) {
  CommandResult r = Kpi({"compute", "churn_rate", "customer=a,b,c,d",
                         "start=2024-01-01,2024-01-01,2023-06-01,2023-06-01",
                         "end=open,2024-01-20,open,open",
                         "plan=basic,basic,pro,pro", "period_start=2024-01-02",
                         "period_end=2024-01-31", "--group-by", "plan"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("churn_rate = 25 %\n"));
  EXPECT_THAT(r.out,
              HasSubstr("segments by plan:\n  basic: 50 %\n  pro: 0 %\n"));
}

// kpi protos writes the server's files for protoc: survey's is the
// checked-in one, and it compiles to Python stubs beside proto/kpi/v1.
// The files written are enough for protoc: the plugin's, and the kpi.v1
// files it imports.
TEST_F(CliTest, ProtosWritesFilesProtocCompiles) {
  TempDir directory;
  CommandResult r = Kpi({"protos", directory.path(), "survey"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string written =
      directory.File("kpi/plugins/survey/v1/survey.proto");
  EXPECT_EQ(r.out,
            absl::StrCat(written, "\n", directory.File("kpi/v1/result.proto"),
                         "\n", directory.File("kpi/v1/values.proto"), "\n"));
  EXPECT_EQ(ReadFile(written), ReadFile(std::string(KPI_PROTO_DIR) +
                                        "/kpi/plugins/survey/v1/survey.proto"));
  EXPECT_EQ(ReadFile(directory.File("kpi/v1/result.proto")),
            ReadFile(std::string(KPI_PROTO_DIR) + "/kpi/v1/result.proto"));
  const std::string generated = directory.File("py");
  ASSERT_EQ(RunCommand({"mkdir", generated}).exit_code, 0);
  CommandResult compiled =
      RunCommand({KPI_PROTOC, "-I", directory.path(), "--python_out", generated,
                  written, directory.File("kpi/v1/result.proto"),
                  directory.File("kpi/v1/values.proto")});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  EXPECT_FALSE(
      ReadFile(generated + "/kpi/plugins/survey/v1/survey_pb2.py").empty());
  EXPECT_FALSE(ReadFile(generated + "/kpi/v1/result_pb2.py").empty());
}

TEST_F(CliTest, ProtosOfAnUnknownPluginWritesNothing) {
  TempDir directory;
  CommandResult r = Kpi({"protos", directory.path(), "survey", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("kpi: NOT_FOUND: no loaded plugin is named "
                               "'nope'"));
  EXPECT_TRUE(
      ReadFile(directory.File("kpi/plugins/survey/v1/survey.proto")).empty());
  CommandResult usage = Kpi({"protos"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("protos needs the directory to write to"));
}

// A server with a --profiles file holding the catalog's worked example of
// health_score: weights 1, 2, 1 on signals a, b, c.
class CliProfileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new TempDir();
    const std::string profiles = directory_->Install("profiles.json", R"({
      "health_score": {
        "catalog": {"signals": "a:1:higher,b:2:higher,c:1:higher"}
      }
    })");
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(KPI_SERVER_BINARY, {"--profiles", profiles});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete directory_;
    directory_ = nullptr;
  }
  // One customer with a = 80, b = 50, c = 100, scored under `profile`.
  static CommandResult ScoreWithProfile(const std::string& profile) {
    return KpiAt(*server_,
                 {"compute", "health_score", "customer=c1,c1,c1",
                  "signal=a,b,c", "value=80,50,100", "--profile", profile});
  }
  static TempDir* directory_;
  static ServerProcess* server_;
};
TempDir* CliProfileTest::directory_ = nullptr;
ServerProcess* CliProfileTest::server_ = nullptr;

TEST_F(CliProfileTest, ComputeTakesTheParametersOfTheNamedProfile) {
  CommandResult r = ScoreWithProfile("catalog");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // (80 x 1 + 50 x 2 + 100 x 1) / 4, the catalog's worked example.
  EXPECT_THAT(r.out, ::testing::StartsWith("health_score = 70 "));
}

TEST_F(CliProfileTest, AnUnknownProfileExitsOneWithTheServersMessage) {
  CommandResult r = ScoreWithProfile("enterprise");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err,
              StartsWith("kpi: INVALID_ARGUMENT: profile: health_score has no "
                         "profile 'enterprise' (profiles: catalog) (request "
                         "id "));
}

// A server whose only plugin directory is private to the test and holds
// reload.so, a copy of reload_v1.so (plugin fixture_reload 1.0.0, one
// metric); a test replaces it by reload_v2.so (2.0.0).
class CliReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = directory_.Install("reload.so", Fixture(1));
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(KPI_SERVER_BINARY,
                             {"--plugin-dir", directory_.path()});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  static std::string Fixture(int version) {
    return ReadFile(
        absl::StrCat(KPI_RELOAD_FIXTURE_DIR, "/reload_v", version, ".so"));
  }
  TempDir directory_;
  std::string plugin_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CliReloadTest, ReloadPrintsTheReplacedPluginAndWhatServes) {
  directory_.Install("reload.so", Fixture(2));
  CommandResult r = KpiAt(*server_, {"reload"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, absl::StrCat("replaced  fixture_reload 2.0.0  ", plugin_,
                                "\nserving 1 metrics, 0 profiles\n"));
}

TEST_F(CliReloadTest, ReloadWithNothingChangedSaysSo) {
  CommandResult r = KpiAt(*server_, {"reload"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "no plugin file changed\nserving 1 metrics, 0 profiles\n");
}

TEST_F(CliReloadTest, ReloadPrintsJsonWhenAsked) {
  directory_.Install("reload.so", Fixture(2));
  CommandResult r = KpiAt(*server_, {"--json", "reload"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("kind":"PLUGIN_CHANGE_KIND_REPLACED")"));
  EXPECT_THAT(r.out, HasSubstr(R"("plugin_version":"2.0.0")"));
  EXPECT_THAT(r.out, HasSubstr(R"("metric_count":1)"));
}

TEST_F(CliReloadTest, AReplacementThatIsRefusedKeepsThePreviousVersion) {
  directory_.Install("reload.so", "not a shared library\n");
  CommandResult r = KpiAt(*server_, {"reload"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith(
                         absl::StrCat("kept      fixture_reload 1.0.0  ",
                                      plugin_, ": new version refused: ")));
  EXPECT_THAT(r.out, ::testing::EndsWith("\nserving 1 metrics, 0 profiles\n"));
}

TEST(CliWithoutServerTest, AServerThatIsDownExitsThree) {
  CommandResult r =
      RunCommand({KPI_CLI_BINARY, "--server", "127.0.0.1:1", "list"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("kpi: cannot reach kpi-server at 127.0.0.1:1"));
}

}  // namespace
}  // namespace kpi
