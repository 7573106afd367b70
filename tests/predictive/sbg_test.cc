// The shifted-beta-geometric model (plugins/predictive/models/sbg.h): the
// worked examples of Fader & Hardie (2007), "How to project customer
// retention".
#include "plugins/predictive/models/sbg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace kpi::predictive {
namespace {

// Fader & Hardie (2007), table 1: 1,000 customers, survivors after years
// 1-7 (year 0 the cohort).
constexpr double kHighEnd[] = {1000, 869, 743, 653, 593, 551, 517, 491};
constexpr double kRegular[] = {1000, 631, 468, 382, 326, 289, 262, 241};

SbgFit Fit(absl::Span<const double> survivors) {
  absl::StatusOr<SbgLifetimes> lifetimes = LifetimesFromSurvivors(survivors);
  EXPECT_TRUE(lifetimes.ok()) << lifetimes.status();
  absl::StatusOr<SbgFit> fit = FitSbg(*lifetimes);
  EXPECT_TRUE(fit.ok()) << fit.status();
  return fit.value_or(SbgFit{});
}

TEST(SbgFit, ReproducesTheHighEndWorkedExample) {
  const SbgFit fit = Fit(kHighEnd);
  EXPECT_NEAR(fit.params.alpha, 0.668, 0.0005);
  EXPECT_NEAR(fit.params.beta, 3.806, 0.0005);
  EXPECT_LT(fit.report.gradient_norm, 1e-3);
}

TEST(SbgFit, ReproducesTheRegularWorkedExample) {
  const SbgFit fit = Fit(kRegular);
  EXPECT_NEAR(fit.params.alpha, 0.704, 0.0005);
  EXPECT_NEAR(fit.params.beta, 1.182, 0.0005);
}

TEST(SbgSurvival, ProjectsTheWorkedExamples) {
  // Survivors of 1,000 by the fitted model, years 0-12: years 1-7 are the
  // fit to the data above, years 8-12 the projection of Fader & Hardie
  // (2007, figure 3). Expected: S(t) = prod over i <= t of (beta + i - 1) /
  // (alpha + beta + i - 1) at the printed estimates, by hand (Python).
  const double high[] = {1000.0, 850.7, 746.9, 669.8, 610.0, 561.9, 522.3,
                         488.9,  460.5, 435.8, 414.2, 395.1, 378.0};
  const double regular[] = {1000.0, 626.7, 473.8, 388.0, 332.1, 292.4, 262.5,
                            239.1,  220.1, 204.4, 191.2, 179.9, 170.1};
  const std::vector<double> fitted_high = SbgSurvival(Fit(kHighEnd).params, 12);
  const std::vector<double> fitted_regular =
      SbgSurvival(Fit(kRegular).params, 12);
  for (int t = 0; t <= 12; ++t) {
    EXPECT_NEAR(1000 * fitted_high[t], high[t], 0.1) << "high end, year " << t;
    EXPECT_NEAR(1000 * fitted_regular[t], regular[t], 0.1)
        << "regular, year " << t;
  }
  // Retention rises with tenure: the likeliest to churn leave first.
  for (int t = 2; t <= 12; ++t) {
    EXPECT_GT(SbgRetentionRate({0.668, 3.806}, t),
              SbgRetentionRate({0.668, 3.806}, t - 1));
  }
}

TEST(SbgDiscountedResidualLifetime, IsTheDiscountedSumOfSurvival) {
  const SbgParams params{0.704, 1.182};
  const double d = 0.1;
  for (int n : {0, 1, 4}) {
    // sum over j >= 1 of S(n + j) / S(n) / (1 + d)^(j - 1), summed out.
    const std::vector<double> s = SbgSurvival(params, n + 3000);
    double sum = 0;
    for (int j = 1; j <= 3000; ++j) {
      sum += s[n + j] / s[n] / std::pow(1 + d, j - 1);
    }
    absl::StatusOr<double> derl = SbgDiscountedResidualLifetime(params, n, d);
    ASSERT_TRUE(derl.ok()) << derl.status();
    EXPECT_NEAR(*derl, sum, 1e-9) << "n = " << n;
  }
}

TEST(SbgFit, FailsClearlyWithFewerThanTwoPeriods) {
  const double one_period[] = {1000, 631};
  absl::StatusOr<SbgLifetimes> lifetimes = LifetimesFromSurvivors(one_period);
  ASSERT_EQ(lifetimes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(lifetimes.status().message().find("at least 2 periods"),
            std::string::npos);
  SbgLifetimes direct;
  direct.churned = {0, 369};
  direct.active = {0, 631};
  absl::StatusOr<SbgFit> fit = FitSbg(direct);
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("at least 2 periods"),
            std::string::npos);
}

TEST(SbgFit, FailsClearlyWithoutChurnOrWithIncreasingCounts) {
  const double none_lost[] = {100, 100, 100};
  absl::StatusOr<SbgFit> fit = FitSbg(*LifetimesFromSurvivors(none_lost));
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("no customer churned"),
            std::string::npos);
  const double increasing[] = {100, 90, 95};
  EXPECT_EQ(LifetimesFromSurvivors(increasing).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SbgFit, FailsClearlyWhenEveryoneLeavesInTheFirstPeriod) {
  const double all_gone[] = {100, 0, 0};
  absl::StatusOr<SbgFit> fit = FitSbg(*LifetimesFromSurvivors(all_gone));
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kpi::predictive
