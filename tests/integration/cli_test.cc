// The kpi CLI against a real kpi-server: output text, JSON, and the exit
// status of every kind of failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "tests/support/process.h"

namespace kpi {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunCommand;
using testing::ServerProcess;

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
    std::vector<std::string> argv = {KPI_CLI_BINARY, "--server",
                                     server_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, input);
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
  EXPECT_EQ(r.err,
            "kpi: INVALID_ARGUMENT: input 'scores' row 2: 11 is above the "
            "maximum 10\n");
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

TEST(CliWithoutServerTest, AServerThatIsDownExitsThree) {
  CommandResult r =
      RunCommand({KPI_CLI_BINARY, "--server", "127.0.0.1:1", "list"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("kpi: cannot reach kpi-server at 127.0.0.1:1"));
}

}  // namespace
}  // namespace kpi
