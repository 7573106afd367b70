// The engagement plugin: click_through_rate, through the C++ layer and the C
// ABI. Expected numbers come from the worked examples of the KPI catalog
// (/work/shared/kpi-catalog.md, "Engagement family") unless a comment says
// otherwise.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugins/engagement/click_through_rate.h"
#include "tests/plugins/metric_harness.h"

namespace kpi::testing {
namespace {

using ::testing::Combine;
using ::testing::Values;
using ::testing::ValuesIn;

const Family& Engagement() {
  static const Family* family = new Family{
      std::string(KPI_TEST_PLUGIN_DIR) + "/kpi_plugin_engagement.so",
      {{"click_through_rate", &RunCxx<engagement::ClickThroughRate>}}};
  return *family;
}

std::vector<MetricCase> ClickThroughRateCases() {
  return {
      {"CtrIs10PercentFor100ClicksOf1000Emails",
       "click_through_rate",
       Scalars({{"clicks", 100}, {"impressions", 1000}}),
       {},
       Expected::Value(10).WithRatio(100, 1000).WithSampleSize(1000)},
      {"CtrIs0WithNoClicks",
       "click_through_rate",
       Scalars({{"clicks", 0}, {"impressions", 1000}}),
       {},
       Expected::Value(0).WithRatio(0, 1000)},
      {"CtrIsUndefinedWithNoImpressions",
       "click_through_rate",
       Scalars({{"clicks", 0}, {"impressions", 0}}),
       {},
       Expected::Undefined("impressions is 0").WithRatio(0, 0)},
      {"CtrIsUndefinedWithoutAnyChunk",
       "click_through_rate",
       NoChunks(),
       {},
       Expected::Undefined("impressions is 0")},
      // Some tools count total rather than unique clicks: a warning, not an
      // error.
      {"CtrAbove100PercentWarnsThatClicksExceedImpressions",
       "click_through_rate",
       Scalars({{"clicks", 150}, {"impressions", 100}}),
       {},
       Expected::Value(150).WithRatio(150, 100).WithWarning(
           "clicks (150) exceed impressions (100): the rate is above 100%")},
      {"CtrWithClicksButNoImpressionsIsUndefinedAndWarns",
       "click_through_rate",
       Scalars({{"clicks", 5}, {"impressions", 0}}),
       {},
       Expected::Undefined("impressions is 0")
           .WithWarning("clicks (5) exceed impressions (0)")},
      {"CtrOfMergedSegmentsIsTheCtrOfTheirSummedCounts",
       "click_through_rate",
       Segments({{{"clicks", 100}, {"impressions", 1000}},
                 {{"clicks", 50}, {"impressions", 4000}}}),
       {},
       Expected::Value(3).WithRatio(150, 5000).WithSampleSize(5000)},
  };
}

class EngagementTest
    : public ::testing::TestWithParam<std::tuple<MetricCase, Path>> {};

TEST_P(EngagementTest, Case) {
  RunAndCheck(Engagement(), std::get<0>(GetParam()), std::get<1>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(ClickThroughRate, EngagementTest,
                         Combine(ValuesIn(ClickThroughRateCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MetricCase>);

}  // namespace
}  // namespace kpi::testing
