// The retention plugin: churn_rate and retention_rate, through the C++ layer
// and the C ABI. Expected numbers come from the worked examples of the KPI
// catalog (/work/shared/kpi-catalog.md, "Retention family") unless a comment
// says otherwise.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugins/retention/churn_rate.h"
#include "plugins/retention/retention_rate.h"
#include "tests/plugins/metric_harness.h"

namespace kpi::testing {
namespace {

using ::testing::Combine;
using ::testing::Values;
using ::testing::ValuesIn;

const Family& Retention() {
  static const Family* family =
      new Family{std::string(KPI_TEST_PLUGIN_DIR) + "/kpi_plugin_retention.so",
                 {{"churn_rate", &RunCxx<retention::ChurnRate>},
                  {"retention_rate", &RunCxx<retention::RetentionRate>}}};
  return *family;
}

std::vector<MetricCase> ChurnCases() {
  return {
      {"ChurnIs5PercentFor50LostOf1000",
       "churn_rate",
       Scalars({{"customers_at_start", 1000}, {"customers_lost", 50}}),
       {},
       Expected::Value(5).WithRatio(50, 1000).WithSampleSize(1000)},
      // Catalog: 100 at the start, 11 cancel, one of whom joined in the
      // period; that one is not in S, so customers_lost is 10.
      {"ChurnIs10PercentWhenACustomerWhoJoinedInThePeriodIsLeftOut",
       "churn_rate",
       Scalars({{"customers_at_start", 100}, {"customers_lost", 10}}),
       {},
       Expected::Value(10).WithRatio(10, 100)},
      {"ChurnIs0WhenNoCustomerIsLost",
       "churn_rate",
       Scalars({{"customers_at_start", 80}, {"customers_lost", 0}}),
       {},
       Expected::Value(0).WithRatio(0, 80)},
      {"ChurnIs100WhenEveryCustomerIsLost",
       "churn_rate",
       Scalars({{"customers_at_start", 80}, {"customers_lost", 80}}),
       {},
       Expected::Value(100).WithRatio(80, 80)},
      {"ChurnIsUndefinedWithNoCustomersAtStart",
       "churn_rate",
       Scalars({{"customers_at_start", 0}, {"customers_lost", 0}}),
       {},
       Expected::Undefined("customers_at_start is 0")
           .WithRatio(0, 0)
           .WithSampleSize(0)},
      {"ChurnIsUndefinedWithoutAnyChunk",
       "churn_rate",
       NoChunks(),
       {},
       Expected::Undefined("customers_at_start is 0")},
      {"ChurnRejectsMoreCustomersLostThanAtStart",
       "churn_rate",
       Scalars({{"customers_at_start", 50}, {"customers_lost", 60}}),
       {},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"customers_lost (60)", "customers_at_start (50)"})},
      {"ChurnOfMergedSegmentsIsTheChurnOfTheirSummedCounts",
       "churn_rate",
       Segments({{{"customers_at_start", 1000}, {"customers_lost", 50}},
                 {{"customers_at_start", 1000}, {"customers_lost", 150}}}),
       {},
       Expected::Value(10).WithRatio(200, 2000).WithSampleSize(2000)},
      // The sums (1005, 16) would pass; the bad segment must not.
      {"ChurnRejectsASegmentThatLosesMoreThanItHad",
       "churn_rate",
       Segments({{{"customers_at_start", 1000}, {"customers_lost", 10}},
                 {{"customers_at_start", 5}, {"customers_lost", 6}}}),
       {},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"customers_lost (6)", "customers_at_start (5)"})},
  };
}

std::vector<MetricCase> RetentionCases() {
  return {
      {"RetentionIs90ForS200N40E220",
       "retention_rate",
       Scalars({{"customers_at_start", 200},
                {"customers_at_end", 220},
                {"new_customers", 40}}),
       {},
       Expected::Value(90).WithRatio(180, 200).WithSampleSize(200)},
      // (E - S) / S would say 20% (growth); retention is (120 - 30) / 100.
      {"RetentionIs90NotTheGrowthOf20ForS100E120N30",
       "retention_rate",
       Scalars({{"customers_at_start", 100},
                {"customers_at_end", 120},
                {"new_customers", 30}}),
       {},
       Expected::Value(90).WithRatio(90, 100)},
      {"RetentionIs100WhenEveryoneStaysAndNooneJoins",
       "retention_rate",
       Scalars({{"customers_at_start", 100},
                {"customers_at_end", 100},
                {"new_customers", 0}}),
       {},
       Expected::Value(100)},
      {"RetentionIsUndefinedWithNoCustomersAtStart",
       "retention_rate",
       Scalars({{"customers_at_start", 0},
                {"customers_at_end", 10},
                {"new_customers", 10}}),
       {},
       Expected::Undefined("customers_at_start is 0").WithRatio(0, 0)},
      {"RetentionIsUndefinedWithoutAnyChunk",
       "retention_rate",
       NoChunks(),
       {},
       Expected::Undefined("customers_at_start is 0")},
      {"RetentionRejectsMoreNewCustomersThanCustomersAtEnd",
       "retention_rate",
       Scalars({{"customers_at_start", 100},
                {"customers_at_end", 40},
                {"new_customers", 50}}),
       {},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"new_customers (50)", "customers_at_end (40)"})},
      {"RetentionAbove100PercentWarnsThatMoreWereRetainedThanExisted",
       "retention_rate",
       Scalars({{"customers_at_start", 100},
                {"customers_at_end", 130},
                {"new_customers", 10}}),
       {},
       Expected::Value(120).WithRatio(120, 100).WithWarning(
           "customers_at_end - new_customers (120) exceeds "
           "customers_at_start (100)")},
      {"RetentionWithRetainedCustomersButNoneAtStartIsUndefinedAndWarns",
       "retention_rate",
       Scalars({{"customers_at_start", 0},
                {"customers_at_end", 5},
                {"new_customers", 0}}),
       {},
       Expected::Undefined("customers_at_start is 0")
           .WithWarning("more customers retained than existed")},
      {"RetentionOfMergedSegmentsIsTheRetentionOfTheirSummedCounts",
       "retention_rate",
       Segments({{{"customers_at_start", 200},
                  {"customers_at_end", 220},
                  {"new_customers", 40}},
                 {{"customers_at_start", 100},
                  {"customers_at_end", 90},
                  {"new_customers", 0}}}),
       {},
       Expected::Value(90).WithRatio(270, 300).WithSampleSize(300)},
  };
}

class RetentionTest
    : public ::testing::TestWithParam<std::tuple<MetricCase, Path>> {};

TEST_P(RetentionTest, Case) {
  RunAndCheck(Retention(), std::get<0>(GetParam()), std::get<1>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Churn, RetentionTest,
                         Combine(ValuesIn(ChurnCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MetricCase>);
INSTANTIATE_TEST_SUITE_P(Retention, RetentionTest,
                         Combine(ValuesIn(RetentionCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MetricCase>);

}  // namespace
}  // namespace kpi::testing
