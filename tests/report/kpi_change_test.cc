// Which periods a KPI's change compares, which test it gets, and the words
// a tile shows; the statistics themselves are in change_statistics_test.cc.

#include "kpi_change.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::DoubleNear;

// A period result: `value` in `unit` with the ratio x / n when n > 0.
KpiPeriodResult Result(const std::string& label, double value,
                       const std::string& unit, double x = 0, double n = 0,
                       bool partial = false) {
  KpiPeriodResult r;
  r.period.label = label;
  r.period.partial = partial;
  r.result.set_value(value);
  r.result.set_unit(unit);
  if (n > 0) {
    r.result.mutable_ratio()->set_numerator(x);
    r.result.mutable_ratio()->set_denominator(n);
  }
  return r;
}

KpiSpec Kpi(const std::string& metric) {
  KpiSpec kpi;
  kpi.id = metric;
  kpi.metric = metric;
  return kpi;
}

KpiResults Results(const KpiSpec& kpi, std::vector<KpiPeriodResult> periods) {
  return KpiResults{&kpi, std::move(periods)};
}

TEST(AssessChange, ChurnGetsATwoProportionTestAndSaysWithinNoise) {
  const KpiSpec kpi = Kpi("churn_rate");
  // 30 / 1000 then 45 / 1000: p = 0.07748 (change_statistics_test.cc).
  const auto change =
      AssessChange(Results(kpi, {Result("2025-10", 3, "%", 30, 1000),
                                 Result("2025-11", 4.5, "%", 45, 1000)}));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->test, NoiseTest::kTwoProportion);
  EXPECT_EQ(change->verdict, NoiseVerdict::kWithinNoise);
  EXPECT_THAT(*change->p_value, DoubleNear(0.07748, 1e-5));
  EXPECT_EQ(DescribeChange(*change), "up 1.5 points, within noise");
}

TEST(AssessChange, ABeyondNoiseChangeGivesItsPValue) {
  const KpiSpec kpi = Kpi("churn_rate");
  // 80 / 1000 then 50 / 1000: z = −2.72110, p = 0.006507.
  const auto change =
      AssessChange(Results(kpi, {Result("2025-10", 8, "%", 80, 1000),
                                 Result("2025-11", 5, "%", 50, 1000)}));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->verdict, NoiseVerdict::kBeyondNoise);
  EXPECT_THAT(*change->z, DoubleNear(-2.72110, 1e-5));
  EXPECT_EQ(DescribeChange(*change),
            "down 3 points, beyond noise (p = 0.0065)");
}

TEST(AssessChange, APartialPeriodIsNotCompared) {
  const KpiSpec kpi = Kpi("churn_rate");
  const auto change = AssessChange(
      Results(kpi, {Result("2025-10", 3, "%", 30, 1000),
                    Result("2025-11", 4.5, "%", 45, 1000),
                    Result("2025-12", 9, "%", 9, 100, /*partial=*/true)}));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->from, "2025-10");
  EXPECT_EQ(change->to, "2025-11");
}

TEST(AssessChange, NothingWithoutTwoCompleteDefinedPeriods) {
  const KpiSpec kpi = Kpi("churn_rate");
  EXPECT_FALSE(AssessChange(Results(kpi, {Result("2025-10", 3, "%", 30, 1000),
                                          Result("2025-11", 4, "%", 4, 100,
                                                 /*partial=*/true)}))
                   .has_value());
  KpiPeriodResult undefined;
  undefined.period.label = "2025-11";
  EXPECT_FALSE(AssessChange(Results(kpi, {Result("2025-10", 3, "%", 30, 1000),
                                          undefined}))
                   .has_value());
}

TEST(AssessChange, NpsUsesEachPeriodsStandardError) {
  const KpiSpec kpi = Kpi("nps");
  std::vector<KpiPeriodResult> periods = {Result("2025-10", 40, "score"),
                                          Result("2025-11", 45, "score")};
  for (auto [r, se] : {std::pair{&periods[0], 5.0}, {&periods[1], 4.0}}) {
    r->result.mutable_interval()->set_standard_error(se);
    r->result.mutable_interval()->set_confidence_level(0.95);
  }
  // 5 ± 1.959964 × sqrt(25 + 16) = −7.54989 .. 17.54989.
  const auto change = AssessChange(Results(kpi, periods));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->test, NoiseTest::kStandardErrorInterval);
  EXPECT_EQ(change->verdict, NoiseVerdict::kWithinNoise);
  EXPECT_THAT(*change->lower, DoubleNear(-7.54989, 1e-5));
  EXPECT_THAT(*change->upper, DoubleNear(17.54989, 1e-5));
  EXPECT_EQ(DescribeChange(*change),
            "up 5 points, within noise (95% interval -7.5 to +18 points)");
}

TEST(AssessChange, CsatIsAnIntervalOfTwoProportionsInPoints) {
  const KpiSpec kpi = Kpi("csat");
  // 60 / 100 then 75 / 100: 0.021851 .. 0.278149 as fractions.
  const auto change =
      AssessChange(Results(kpi, {Result("2025-10", 60, "%", 60, 100),
                                 Result("2025-11", 75, "%", 75, 100)}));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->test, NoiseTest::kProportionInterval);
  EXPECT_EQ(change->verdict, NoiseVerdict::kBeyondNoise);
  EXPECT_THAT(*change->lower, DoubleNear(2.1851, 1e-4));
  EXPECT_THAT(*change->upper, DoubleNear(27.8149, 1e-4));
  EXPECT_EQ(DescribeChange(*change),
            "up 15 points, beyond noise (95% interval +2.2 to +28 points)");
}

TEST(AssessChange, MoneyIsNotTestedAndChangesInPercent) {
  const KpiSpec kpi = Kpi("mrr");
  // 1000 → 1077: +7.7 % of 1000.
  const auto change = AssessChange(Results(
      kpi, {Result("2025-10", 1000, "USD"), Result("2025-11", 1077, "USD")}));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->verdict, NoiseVerdict::kNotTested);
  EXPECT_FALSE(change->in_points);
  EXPECT_THAT(*change->relative_percent, DoubleNear(7.7, 1e-9));
  EXPECT_EQ(DescribeChange(*change), "up 7.7 %");
}

TEST(AssessChange, ARateWithoutARatioSaysWhyItWasNotTested) {
  const KpiSpec kpi = Kpi("churn_rate");
  const auto change = AssessChange(
      Results(kpi, {Result("2025-10", 3, "%"), Result("2025-11", 3, "%")}));
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->verdict, NoiseVerdict::kNotTested);
  EXPECT_EQ(DescribeChange(*change),
            "unchanged, not tested: the results carry no ratio of counts");
}

}  // namespace
}  // namespace kpi::report
