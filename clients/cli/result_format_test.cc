#include "result_format.h"

#include <string>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::MetricResult;

MetricResult Result(const std::string& text) {
  MetricResult result;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &result));
  return result;
}

// The sample size is the ratio's denominator: not repeated.
TEST(FormatResultTest, RateWithRatio) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "churn_rate"
                           value: 5
                           unit: "%"
                           ratio { numerator: 50 denominator: 1000 }
                           sample_size: 1000
                         )pb"),
                         "churn_rate"),
            "churn_rate = 5 %\n"
            "  ratio: 50 / 1000\n");
}

// 50 promoters, 20 detractors, 30 passives: NPS 30, SE = 100 x
// sqrt((0.5 + 0.2 - 0.3^2) / 100) = 7.81025, margin = 1.959964 x SE. The
// ratio (net promoters / responses) is not shown beside an interval.
TEST(FormatResultTest, StatisticWithIntervalSampleSizeAndWarnings) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "nps"
                           value: 30
                           unit: "score"
                           ratio { numerator: 30 denominator: 100 }
                           interval {
                             lower: 14.692211
                             upper: 45.307789
                             margin: 15.307789
                             standard_error: 7.810250
                             confidence_level: 0.95
                           }
                           sample_size: 100
                           warnings: "only 100 responses"
                           warnings: "second warning"
                         )pb"),
                         "nps"),
            "nps = 30 score\n"
            "  95% interval: 14.69 .. 45.31 (margin ±15.31, SE 7.81)\n"
            "  sample size: 100\n"
            "  warning: only 100 responses\n"
            "  warning: second warning\n");
}

TEST(FormatResultTest, IntervalLabelFollowsTheConfidenceLevel) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "nps"
                           value: -12.5
                           unit: "score"
                           interval {
                             lower: -100
                             upper: 0.5
                             margin: 0.00012346
                             standard_error: 0
                             confidence_level: 0.999
                           }
                         )pb"),
                         "nps"),
            "nps = -12.5 score\n"
            "  99.9% interval: -100 .. 0.5 (margin ±0.0001235, SE 0)\n");
}

TEST(FormatResultTest, SampleSizeThatTheRatioDoesNotShow) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "weighted"
                           value: 40
                           unit: "%"
                           ratio { numerator: 2 denominator: 5 }
                           sample_size: 12
                         )pb"),
                         "weighted"),
            "weighted = 40 %\n"
            "  ratio: 2 / 5\n"
            "  sample size: 12\n");
}

TEST(FormatResultTest, MeanWithSampleSizeOnly) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "csat"
                           value: 4.25
                           unit: "score"
                           sample_size: 4
                         )pb"),
                         "csat"),
            "csat = 4.25 score\n"
            "  sample size: 4\n");
}

TEST(FormatResultTest, ValueHasSixSignificantDigits) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "csat" value: 66.66666666 unit: "%"
                         )pb"),
                         "csat"),
            "csat = 66.6667 %\n");
}

TEST(FormatResultTest, NoUnitNoTrailingSpace) {
  EXPECT_EQ(FormatResult(Result(R"pb(metric: "ratio" value: 0.25)pb"), "ratio"),
            "ratio = 0.25\n");
}

TEST(FormatResultTest, ZeroIsAValue) {
  EXPECT_EQ(
      FormatResult(Result(R"pb(metric: "churn_rate"
                               value: 0
                               unit: "%"
                               ratio { numerator: 0 denominator: 10 })pb"),
                   "churn_rate"),
      "churn_rate = 0 %\n"
      "  ratio: 0 / 10\n");
}

TEST(FormatResultTest, UndefinedPrintsTheReason) {
  EXPECT_EQ(
      FormatResult(
          Result(R"pb(
            metric: "churn_rate"
            undefined_reason: "customers_at_start is 0: churn rate is undefined without customers at the start"
            unit: "%"
            ratio { numerator: 0 denominator: 0 }
            sample_size: 0
          )pb"),
          "churn_rate"),
      "churn_rate is undefined: customers_at_start is 0: churn rate is "
      "undefined without customers at the start\n");
}

TEST(FormatResultTest, UndefinedKeepsWarnings) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "nps"
                           undefined_reason: "no responses"
                           warnings: "all rows were filtered"
                         )pb"),
                         "nps"),
            "nps is undefined: no responses\n"
            "  warning: all rows were filtered\n");
}

TEST(FormatResultTest, UndefinedWithoutReason) {
  EXPECT_EQ(FormatResult(Result(R"pb(metric: "nps")pb"), "nps"),
            "nps is undefined\n");
}

TEST(FormatResultTest, RequestedNameWhenTheResultHasNone) {
  EXPECT_EQ(FormatResult(Result(R"pb(value: 1 unit: "%")pb"), "ctr"),
            "ctr = 1 %\n");
}

}  // namespace
}  // namespace kpi::cli
