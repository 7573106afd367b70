// The statistics of "beyond noise", against values worked by hand from the
// formulas in change_statistics.h (each test shows its arithmetic).

#include "change_statistics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::DoubleNear;

TEST(NormalCriticalValue, IsTheTwoSidedQuantileOfTheStandardNormal) {
  // Tables of the standard normal: z(0.95) = 1.959964, z(0.99) = 2.575829,
  // z(0.90) = 1.644854.
  EXPECT_THAT(NormalCriticalValue(0.95), DoubleNear(1.959964, 1e-6));
  EXPECT_THAT(NormalCriticalValue(0.99), DoubleNear(2.575829, 1e-6));
  EXPECT_THAT(NormalCriticalValue(0.90), DoubleNear(1.644854, 1e-6));
}

TEST(TwoSidedPValue, IsTheTailBeyondBothSides) {
  EXPECT_THAT(TwoSidedPValue(1.959964), DoubleNear(0.05, 1e-6));
  EXPECT_THAT(TwoSidedPValue(-1.959964), DoubleNear(0.05, 1e-6));
  EXPECT_DOUBLE_EQ(TwoSidedPValue(0), 1);
}

TEST(TwoProportionZTest, ASmallRiseInChurnIsWithinNoise) {
  // 30 of 1000 (3 %) then 45 of 1000 (4.5 %). Pooled p = 75 / 2000 = 0.0375;
  // SE = sqrt(0.0375 × 0.9625 × (1/1000 + 1/1000)) = sqrt(7.21875e-5)
  // = 0.0084963; z = 0.015 / 0.0084963 = 1.76547;
  // p = 2 (1 − Φ(1.76547)) = 0.07748.
  absl::StatusOr<ProportionTest> t = TwoProportionZTest(30, 1000, 45, 1000);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_DOUBLE_EQ(t->difference, 0.015);
  EXPECT_THAT(t->z, DoubleNear(1.76547, 1e-5));
  EXPECT_THAT(t->p_value, DoubleNear(0.07748, 1e-5));
}

TEST(TwoProportionZTest, ALargerRiseIsBeyondNoise) {
  // 50 of 1000 then 80 of 1000. Pooled p = 130 / 2000 = 0.065;
  // SE = sqrt(0.065 × 0.935 × 0.002) = sqrt(1.2155e-4) = 0.0110250;
  // z = 0.03 / 0.0110250 = 2.72110; p = 0.006507.
  absl::StatusOr<ProportionTest> t = TwoProportionZTest(50, 1000, 80, 1000);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->z, DoubleNear(2.72110, 1e-5));
  EXPECT_THAT(t->p_value, DoubleNear(0.006507, 1e-6));
}

TEST(TwoProportionZTest, AFallHasANegativeStatistic) {
  // 30 of 882 (3.401 %) then 28 of 870 (3.218 %): pooled p = 58 / 1752 =
  // 0.033105; SE = sqrt(0.033105 × 0.966895 × (1/882 + 1/870)) = 0.0085489;
  // z = (0.032184 − 0.034014) / 0.0085489 = −0.21403; p = 0.83053.
  absl::StatusOr<ProportionTest> t = TwoProportionZTest(30, 882, 28, 870);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_THAT(t->z, DoubleNear(-0.21403, 1e-5));
  EXPECT_THAT(t->p_value, DoubleNear(0.83053, 1e-5));
}

TEST(TwoProportionZTest, NoVariationMeansNoEvidenceOfChange) {
  // 0 of 10 then 0 of 20: the pooled SE is 0, and so is the difference.
  absl::StatusOr<ProportionTest> t = TwoProportionZTest(0, 10, 0, 20);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->z, 0);
  EXPECT_EQ(t->p_value, 1);
}

TEST(TwoProportionZTest, RefusesCountsThatAreNotAProportion) {
  EXPECT_FALSE(TwoProportionZTest(1, 0, 1, 10).ok());
  EXPECT_FALSE(TwoProportionZTest(11, 10, 1, 10).ok());
  EXPECT_FALSE(TwoProportionZTest(1, 10, -1, 10).ok());
}

TEST(DifferenceFromStandardErrors, NpsUpFivePointsWithWideIntervalsIsNoise) {
  // NPS 40 (SE 5) then 45 (SE 4): SE of the difference = sqrt(25 + 16) =
  // 6.40312; margin = 1.959964 × 6.40312 = 12.54989; interval
  // 5 ± 12.54989 = −7.54989 .. 17.54989; p = 2 (1 − Φ(5 / 6.40312)) = 0.43488.
  absl::StatusOr<DifferenceInterval> i =
      DifferenceFromStandardErrors(40, 5, 45, 4, 0.95);
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_DOUBLE_EQ(i->difference, 5);
  EXPECT_THAT(i->standard_error, DoubleNear(6.40312, 1e-5));
  EXPECT_THAT(i->lower, DoubleNear(-7.54989, 1e-5));
  EXPECT_THAT(i->upper, DoubleNear(17.54989, 1e-5));
  EXPECT_THAT(i->p_value, DoubleNear(0.43488, 1e-5));
}

TEST(DifferenceFromStandardErrors, RefusesANegativeErrorOrLevel) {
  EXPECT_FALSE(DifferenceFromStandardErrors(40, -1, 45, 4, 0.95).ok());
  EXPECT_FALSE(DifferenceFromStandardErrors(40, 1, 45, 4, 1).ok());
}

TEST(ProportionDifferenceInterval, CsatUpFifteenPointsIsBeyondNoise) {
  // 60 of 100 satisfied then 75 of 100: SE = sqrt(0.6 × 0.4 / 100 +
  // 0.75 × 0.25 / 100) = sqrt(0.004275) = 0.0653835; margin = 1.959964 ×
  // 0.0653835 = 0.128149; interval 0.15 ± 0.128149 = 0.021851 .. 0.278149;
  // p = 2 (1 − Φ(0.15 / 0.0653835)) = 0.021781.
  absl::StatusOr<DifferenceInterval> i =
      ProportionDifferenceInterval(60, 100, 75, 100, 0.95);
  ASSERT_TRUE(i.ok()) << i.status();
  EXPECT_THAT(i->difference, DoubleNear(0.15, 1e-12));
  EXPECT_THAT(i->standard_error, DoubleNear(0.0653835, 1e-7));
  EXPECT_THAT(i->lower, DoubleNear(0.021851, 1e-6));
  EXPECT_THAT(i->upper, DoubleNear(0.278149, 1e-6));
  EXPECT_THAT(i->p_value, DoubleNear(0.021781, 1e-6));
}

TEST(ProportionDifferenceInterval, RefusesCountsThatAreNotAProportion) {
  EXPECT_FALSE(ProportionDifferenceInterval(5, 4, 1, 10, 0.95).ok());
}

}  // namespace
}  // namespace kpi::report
