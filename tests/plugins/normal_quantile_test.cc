// The survey plugin's normal quantile (normal_quantile.h), which the NPS
// margin of error stands on: against reference values to near machine
// precision, in both tails where no served confidence level reaches.
#include "plugins/survey/normal_quantile.h"

#include <gtest/gtest.h>

namespace kpi::testing {
namespace {

struct QuantileCase {
  double p;
  double x;  // reference: Wichura's AS241 (Python statistics.NormalDist)
};

class NormalQuantileTest : public ::testing::TestWithParam<QuantileCase> {};

TEST_P(NormalQuantileTest, MatchesTheReferenceToNearMachinePrecision) {
  EXPECT_NEAR(survey::NormalQuantile(GetParam().p), GetParam().x, 1e-12)
      << "p = " << GetParam().p;
}

// Central region, both tails and the boundary between them (0.02425).
INSTANTIATE_TEST_SUITE_P(
    Survey, NormalQuantileTest,
    ::testing::Values(QuantileCase{0.5, 0.0},
                      QuantileCase{0.3, -0.5244005127080407},
                      QuantileCase{0.75, 0.6744897501960817},
                      QuantileCase{0.95, 1.6448536269514715},
                      QuantileCase{0.975, 1.9599639845400536},
                      QuantileCase{0.995, 2.5758293035489},
                      QuantileCase{0.9995, 3.2905267314919255},
                      QuantileCase{0.02425, -1.9729610513118845},
                      QuantileCase{0.01, -2.3263478740408408},
                      QuantileCase{1e-10, -6.361340902404056}));

TEST(NormalQuantile, TwoSidedCriticalValueOf95PercentIs1_959964) {
  EXPECT_NEAR(survey::TwoSidedCriticalValue(0.95), 1.959964, 5e-7);
  EXPECT_NEAR(survey::TwoSidedCriticalValue(0.99), 2.575829, 5e-7);
  EXPECT_NEAR(survey::TwoSidedCriticalValue(0.999), 3.290527, 5e-7);
}

}  // namespace
}  // namespace kpi::testing
