#include "result_format.h"

#include <string>
#include <vector>

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

// The example of kpi compute --help: int64s, doubles, strings and timestamps.
TEST(FormatResultTest, TablesAfterTheHeadline) {
  EXPECT_EQ(
      FormatResult(Result(R"pb(
                     metric: "funnel_conversion"
                     value: 12.5
                     unit: "%"
                     tables {
                       name: "stages"
                       columns {
                         name: "stage"
                         strings { values: [ "visit", "checkout" ] }
                       }
                       columns {
                         name: "entered"
                         int64s { values: [ 1000, 125 ] }
                       }
                       columns {
                         name: "share"
                         doubles { values: [ 100, 12.5 ] }
                       }
                       columns {
                         name: "first_seen"
                         timestamps {
                           unix_micros: [ 1704067200000000, 1704240000000000 ]
                         }
                       }
                     }
                   )pb"),
                   "funnel_conversion"),
      "funnel_conversion = 12.5 %\n"
      "  table stages:\n"
      "    stage     entered  share  first_seen\n"
      "    visit        1000    100  2024-01-01T00:00:00Z\n"
      "    checkout      125   12.5  2024-01-03T00:00:00Z\n");
}

// Numbers right-aligned (headers too), text left-aligned; six significant
// digits; an open end; no trailing spaces; tables in order, after warnings.
TEST(FormatResultTest, MixedColumnTypes) {
  EXPECT_EQ(
      FormatResult(
          Result(R"pb(
            metric: "mrr_movements"
            value: 1234.5
            unit: "USD"
            warnings: "2 rows without a plan"
            tables {
              name: "customers"
              columns {
                name: "id"
                int64s { values: [ 7, -12, 9000000000 ] }
              }
              columns {
                name: "customer"
                strings { values: [ "acme", "Zoë Ltd", "" ] }
              }
              columns {
                name: "mrr"
                doubles { values: [ 33.333333333, 0, -1250000.25 ] }
              }
              columns {
                name: "end"
                timestamps {
                  unix_micros: [ 9223372036854775807, 1706659200500000, -1 ]
                }
              }
              columns {
                name: "note"
                strings { values: [ "x", "", "" ] }
              }
            }
            tables {
              name: "totals"
              columns {
                name: "n"
                doubles { values: 3 }
              }
            }
          )pb"),
          "mrr_movements"),
      "mrr_movements = 1234.5 USD\n"
      "  warning: 2 rows without a plan\n"
      "  table customers:\n"
      "            id  customer       mrr  end                          note\n"
      "             7  acme       33.3333  open                         x\n"
      "           -12  Zoë Ltd          0  2024-01-31T00:00:00.5Z\n"
      "    9000000000            -1250000  1969-12-31T23:59:59.999999Z\n"
      "  table totals:\n"
      "    n\n"
      "    3\n");
}

TEST(FormatResultTest, UndefinedResultStillShowsItsTables) {
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "funnel"
                           undefined_reason: "no visits"
                           tables {
                             name: "stages"
                             columns {
                               name: "stage"
                               strings {}
                             }
                             columns {
                               name: "entered"
                               int64s {}
                             }
                           }
                           tables {}
                         )pb"),
                         "funnel"),
            "funnel is undefined: no visits\n"
            "  table stages:\n"
            "    stage  entered\n"
            "    (no rows)\n"
            "  table:\n"
            "    (no columns)\n");
}

TEST(FormatResultTableTest, IndentAndShortColumns) {
  const kpi::v1::ResultTable table = [] {
    kpi::v1::ResultTable t;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        R"pb(
          name: "t"
          columns {
            name: "a"
            doubles { values: [ 1, 2 ] }
          }
          columns {
            name: "b"
            strings { values: "only" }
          }
          columns { name: "unset" }
        )pb",
        &t));
    return t;
  }();
  EXPECT_EQ(FormatResultTable(table, 0),
            "table t:\n"
            "  a  b     unset\n"
            "  1  only\n"
            "  2\n");
}

TEST(FormatResultTest, Segments) {
  const std::vector<std::string> group_by = {"plan", "region"};
  EXPECT_EQ(FormatResult(Result(R"pb(
                           metric: "churn_rate"
                           value: 5
                           unit: "%"
                           ratio { numerator: 50 denominator: 1000 }
                           sample_size: 1000
                           segments {
                             key: [ "basic", "eu" ]
                             result {
                               metric: "churn_rate"
                               value: 4.166666666
                               unit: "%"
                               ratio { numerator: 25 denominator: 600 }
                             }
                           }
                           segments {
                             key: [ "pro", "" ]
                             result {
                               metric: "churn_rate"
                               undefined_reason: "customers_at_start is 0"
                               unit: "%"
                               warnings: "no customers at the start"
                             }
                           }
                           segments {
                             key: [ "pro", "us" ]
                             result {
                               value: 6.25
                               unit: "%"
                               tables {
                                 name: "months"
                                 columns {
                                   name: "month"
                                   strings { values: [ "2024-01", "2024-02" ] }
                                 }
                                 columns {
                                   name: "lost"
                                   int64s { values: [ 10, 15 ] }
                                 }
                               }
                             }
                           }
                           segments {
                             key: [ "team", "us" ]
                             result {}
                           }
                         )pb"),
                         "churn_rate", group_by),
            "churn_rate = 5 %\n"
            "  ratio: 50 / 1000\n"
            "segments by plan, region:\n"
            "  basic, eu: 4.16667 %\n"
            "  pro, \"\": undefined: customers_at_start is 0\n"
            "    warning: no customers at the start\n"
            "  pro, us: 6.25 %\n"
            "    table months:\n"
            "      month    lost\n"
            "      2024-01    10\n"
            "      2024-02    15\n"
            "  team, us: undefined\n");
}

TEST(FormatResultTest, GroupByWithoutSegments) {
  const std::vector<std::string> group_by = {"plan"};
  EXPECT_EQ(FormatResult(Result(R"pb(metric: "nps"
                                     undefined_reason: "no responses")pb"),
                         "nps", group_by),
            "nps is undefined: no responses\n"
            "segments by plan: (none)\n");
}

TEST(FormatResultTest, SegmentsWithoutGroupByNames) {
  EXPECT_EQ(FormatResult(Result(R"pb(value: 1
                                     segments {
                                       key: "a"
                                       result { value: 2 }
                                     })pb"),
                         "x"),
            "x = 1\n"
            "segments:\n"
            "  a: 2\n");
}

}  // namespace
}  // namespace kpi::cli
