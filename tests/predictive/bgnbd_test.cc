// The BG/NBD model (plugins/predictive/models/bgnbd.h): the published CDNOW
// fit from the raw transactions, predictions against independent values
// (mpmath at 40 digits, from FHL 2005 eq. 10 as printed), and the numerical
// failures of the established Python implementations, each giving a finite
// answer here.
#include "plugins/predictive/models/bgnbd.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <vector>

#include "tests/predictive/cdnow.h"

namespace kpi::predictive {
namespace {

using testing::CdnowSample;
using testing::CdnowSamplePath;
using testing::CdnowSummaries;

// FHL (2005), table 1 / the CDNOW README.
constexpr BgNbdParams kCdnow{0.243, 4.414, 0.793, 2.426};

std::vector<WeightedSummary> One(double x, double t_x, double T) {
  return {{x, t_x, T, 1}};
}

TEST(BgNbdFit, ReproducesThePublishedCdnowFitFromTheRawTransactions) {
  const std::vector<testing::CdnowTransaction> sample = CdnowSample();
  if (sample.empty()) GTEST_SKIP() << "no " << CdnowSamplePath();
  const std::vector<CustomerSummary> customers = CdnowSummaries(sample);
  ASSERT_EQ(customers.size(), 2357u);
  const GroupedSummaries grouped = GroupSummaries(customers);
  // Same-day purchases and the cohort's first purchase dates make many
  // summaries identical: the likelihood runs over the distinct ones.
  EXPECT_LT(grouped.rows.size(), 1500u);

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(grouped.rows);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_TRUE(fit.ok()) << fit.status();
  ::testing::Test::RecordProperty("fit_seconds", std::to_string(seconds));
  // Printed precision of FHL (2005): r = 0.243, alpha = 4.414, a = 0.793,
  // b = 2.426, LL = -9582.4.
  EXPECT_NEAR(fit->params.r, 0.243, 0.0005);
  EXPECT_NEAR(fit->params.alpha, 4.414, 0.0005);
  EXPECT_NEAR(fit->params.a, 0.793, 0.0005);
  EXPECT_NEAR(fit->params.b, 2.426, 0.0005);
  EXPECT_NEAR(fit->report.log_likelihood, -9582.4, 0.05);
  EXPECT_LT(fit->report.gradient_norm, 1e-2);
  EXPECT_GT(fit->report.evaluations, 0);
}

TEST(BgNbdFit, ConvergesOnCdnowInDaysToTheSameModel) {
  // A seven times smaller unit leaves r, a and b and multiplies alpha by 7:
  // the default start adapts to the unit and the fit converges from it.
  const std::vector<testing::CdnowTransaction> sample = CdnowSample();
  if (sample.empty()) GTEST_SKIP() << "no " << CdnowSamplePath();
  const GroupedSummaries days =
      GroupSummaries(CdnowSummaries(sample, 86400.0 * 1e6));
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(days.rows);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->params.r, 0.243, 0.0005);
  EXPECT_NEAR(fit->params.alpha, 7 * 4.414, 7 * 0.0005);
  EXPECT_NEAR(fit->params.a, 0.793, 0.0005);
  EXPECT_NEAR(fit->params.b, 2.426, 0.0005);
  // The likelihood of times in days is that in weeks less ln 7 per
  // repeat purchase (the density of each repeat time is 7 times smaller;
  // CDNOW has 2,457 repeat purchases in calibration).
  EXPECT_NEAR(fit->report.log_likelihood, -9582.43 - 2457 * std::log(7.0),
              0.05);
}

TEST(BgNbdLogLikelihood, GroupingIdenticalSummariesChangesNothing) {
  const std::vector<CustomerSummary> customers = {
      {0, 0, 30}, {2, 10, 30}, {0, 0, 30}, {2, 10, 30}, {5, 29, 35}};
  std::vector<WeightedSummary> ungrouped;
  for (const CustomerSummary& c : customers) {
    ungrouped.push_back({c.x, c.t_x, c.T, 1});
  }
  std::sort(ungrouped.begin(), ungrouped.end(),
            [](const WeightedSummary& s, const WeightedSummary& t) {
              return s.x < t.x;
            });
  const GroupedSummaries grouped = GroupSummaries(customers);
  ASSERT_EQ(grouped.rows.size(), 3u);
  EXPECT_EQ(grouped.row_of[1], grouped.row_of[3]);
  EXPECT_NEAR(BgNbdLogLikelihood(kCdnow, grouped.rows, nullptr),
              BgNbdLogLikelihood(kCdnow, ungrouped, nullptr), 1e-9);
}

TEST(BgNbdLogLikelihood, AnalyticGradientMatchesCentralDifferences) {
  const std::vector<WeightedSummary> rows = {
      {0, 0, 38.9, 3}, {1, 1.7, 38.9, 2}, {2, 30.4, 38.9, 1}, {7, 20, 33, 4}};
  double gradient[4];
  BgNbdLogLikelihood(kCdnow, rows, gradient);
  const double theta[] = {std::log(kCdnow.r), std::log(kCdnow.alpha),
                          std::log(kCdnow.a), std::log(kCdnow.b)};
  for (int i = 0; i < 4; ++i) {
    const double h = 1e-6;
    double up[4], down[4];
    std::copy(theta, theta + 4, up);
    std::copy(theta, theta + 4, down);
    up[i] += h;
    down[i] -= h;
    const auto at = [&rows](const double* t) {
      return BgNbdLogLikelihood(
          {std::exp(t[0]), std::exp(t[1]), std::exp(t[2]), std::exp(t[3])},
          rows, nullptr);
    };
    EXPECT_NEAR(gradient[i], (at(up) - at(down)) / (2 * h), 1e-5)
        << "parameter " << i;
  }
}

TEST(BgNbdProbabilityAlive, IsOneForACustomerWithNoRepeatPurchase) {
  EXPECT_EQ(BgNbdProbabilityAlive(kCdnow, 0, 0, 38.86), 1);
  EXPECT_EQ(BgNbdProbabilityAlive(kCdnow, 0, 0, 1e9), 1);
}

TEST(BgNbdProbabilityAlive, FallsAsTheLastPurchaseRecedes) {
  double previous = 1;
  for (double t_x = 38; t_x >= 0.5; t_x -= 2.5) {
    const double p = BgNbdProbabilityAlive(kCdnow, 3, t_x, 38.86);
    EXPECT_LT(p, previous) << "t_x = " << t_x;
    EXPECT_GT(p, 0);
    previous = p;
  }
}

TEST(BgNbdExpectedPurchases, MatchesThePapersWorkedCustomer) {
  // FHL (2005), section 5: x = 2, t_x = 30.43, T = 38.86 expects 1.226
  // purchases in the next 39 weeks; mpmath: 1.2260281747671444637.
  absl::StatusOr<double> e =
      BgNbdExpectedPurchases(kCdnow, 2, 30.43, 38.86, 39);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 1.2260281747671444637, 1e-12);
}

TEST(BgNbdExpectedPurchases, IsFiniteWhereTheHypergeometricTermIsNegative) {
  // For a < 1 (CDNOW's 0.793) the factor 1 - (...)^(r+x) 2F1(...) of eq. 10
  // is negative (its coefficient (a+b+x-1)/(a-1) is too), so an
  // implementation taking its log gets NaN. mpmath: 0.19509805201126264.
  absl::StatusOr<double> e = BgNbdExpectedPurchases(kCdnow, 0, 0, 38.86, 39);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 0.19509805201126264100, 1e-12);
  // a = 1 exactly, where eq. 10 is 0/0; mpmath at a = 1 + 1e-20:
  // 0.51106636409156942664.
  e = BgNbdExpectedPurchases({0.243, 4.414, 1, 2.426}, 3, 20, 30, 10);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 0.51106636409156942664, 1e-12);
  // a > 1; mpmath: 0.29025729810382261636.
  e = BgNbdExpectedPurchases({0.243, 4.414, 2.5, 2.426}, 3, 20, 30, 10);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 0.29025729810382261636, 1e-12);
}

TEST(BgNbdExpectedPurchases, IsFiniteForHugeHistories) {
  // ((alpha + T) / (alpha + t_x))^(r + x) overflows a double here (about
  // 10^434 and beyond): the odds are taken in logs.
  const double p_alive = BgNbdProbabilityAlive(kCdnow, 1e6, 999000, 1e6);
  EXPECT_TRUE(std::isfinite(p_alive));
  EXPECT_GE(p_alive, 0);
  EXPECT_LT(p_alive, 1e-300);
  absl::StatusOr<double> e =
      BgNbdExpectedPurchases(kCdnow, 1e6, 999000, 1e6, 52);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(std::isfinite(*e));
  EXPECT_GE(*e, 0);
  EXPECT_LT(*e, 1e-300);  // mpmath: 2.0266e-427
  // A million repeat purchases over ten million weeks, the last one just
  // now: about 0.1 a week; mpmath: 5.1999836897598833116.
  e = BgNbdExpectedPurchases(kCdnow, 1e6, 1e7 - 1, 1e7, 52);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 5.1999836897598833116, 1e-9);
}

TEST(BgNbdExpectedPurchases, IsMonotoneInTheHorizon) {
  const double customers[][3] = {
      {0, 0, 38.86}, {2, 30.43, 38.86}, {1, 1.71, 38.86}, {20, 38, 39}};
  for (const auto& c : customers) {
    double previous = 0;
    for (double t = 1; t <= 520; t *= 1.5) {
      absl::StatusOr<double> e =
          BgNbdExpectedPurchases(kCdnow, c[0], c[1], c[2], t);
      ASSERT_TRUE(e.ok()) << e.status();
      EXPECT_GT(*e, previous) << "x = " << c[0] << ", t = " << t;
      previous = *e;
    }
  }
}

TEST(BgNbdExpectedCumulativePurchases, MatchesEquation9AndIsMonotone) {
  // E[X(78)] with the CDNOW parameters; mpmath: 1.8605190579427685363.
  absl::StatusOr<double> e = BgNbdExpectedCumulativePurchases(kCdnow, 78);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(*e, 1.8605190579427685363, 1e-12);
  double previous = 0;
  for (int week = 1; week <= 78; ++week) {
    e = BgNbdExpectedCumulativePurchases(kCdnow, week);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_GT(*e, previous) << "week " << week;
    previous = *e;
  }
}

TEST(BgNbdFit, FailsClearlyWhenNoCustomerRepeats) {
  const std::vector<WeightedSummary> rows = {{0, 0, 10, 5}, {0, 0, 20, 3}};
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(rows);
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("no customer made a repeat purchase"),
            std::string::npos)
      << fit.status();
}

TEST(BgNbdFit, FailsClearlyOnADegenerateCalibrationPeriod) {
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(One(0, 0, 0));
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("no customer made a repeat"),
            std::string::npos);
  // Repeat purchases, but every calibration period has length 0.
  fit = FitBgNbd({{2, 0, 0, 4}});
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("degenerate calibration period"),
            std::string::npos)
      << fit.status();
  fit = FitBgNbd({});
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("no customers"), std::string::npos);
}

TEST(BgNbdFit, APopulationWithoutHeterogeneityKeepsItsPurchaseRate) {
  // Fifty customers alike, each with one repeat purchase at the end of 10
  // weeks: nothing tells purchase rates apart, so r and alpha grow together
  // (a gamma distribution narrowing to a point) while r / alpha, the mean
  // rate, stays at 1 purchase in 10 weeks.
  absl::StatusOr<BgNbdFit> fit = FitBgNbd({{1, 10, 10, 50}});
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_GT(fit->params.r, 100);
  EXPECT_NEAR(fit->params.r / fit->params.alpha, 0.1, 1e-3);
  EXPECT_TRUE(std::isfinite(fit->report.log_likelihood));
}

// Customers simulated from the model itself (FHL 2005 section 2), first
// purchases spread over 12 weeks, observed to week 39 at day resolution
// like CDNOW. Deterministic: a fixed seed.
std::vector<CustomerSummary> Simulate(const BgNbdParams& p, size_t customers,
                                      uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> rate(p.r, 1 / p.alpha);
  std::gamma_distribution<double> gamma_a(p.a, 1), gamma_b(p.b, 1);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::uniform_int_distribution<int> first_day(0, 83);
  std::vector<CustomerSummary> out;
  out.reserve(customers);
  for (size_t i = 0; i < customers; ++i) {
    const double lambda = rate(rng);
    const double ga = gamma_a(rng);
    const double drop = ga / (ga + gamma_b(rng));
    const double T = (273 - first_day(rng)) / 7.0;
    std::exponential_distribution<double> gap(lambda);
    CustomerSummary c{0, 0, T, 0};
    for (double t = gap(rng); t <= T; t += gap(rng)) {
      c.x += 1;
      c.t_x = std::floor(t * 7) / 7;  // day resolution
      if (uniform(rng) < drop) break;
    }
    out.push_back(c);
  }
  return out;
}

TEST(BgNbdFit, RecoversSimulatedParametersAt100kCustomers) {
  const BgNbdParams truth{0.25, 4.0, 0.8, 2.5};
  const std::vector<CustomerSummary> customers = Simulate(truth, 100000, 14);
  const auto start = std::chrono::steady_clock::now();
  const GroupedSummaries grouped = GroupSummaries(customers);
  absl::StatusOr<BgNbdFit> fit = FitBgNbd(grouped.rows);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_TRUE(fit.ok()) << fit.status();
  ::testing::Test::RecordProperty("fit_seconds", std::to_string(seconds));
  ::testing::Test::RecordProperty("distinct_summaries",
                                  std::to_string(grouped.rows.size()));
  EXPECT_NEAR(fit->params.r, truth.r, 0.1 * truth.r);
  EXPECT_NEAR(fit->params.alpha, truth.alpha, 0.15 * truth.alpha);
  EXPECT_NEAR(fit->params.a, truth.a, 0.25 * truth.a);
  EXPECT_NEAR(fit->params.b, truth.b, 0.25 * truth.b);
  for (const WeightedSummary& row : grouped.rows) {
    absl::StatusOr<double> e =
        BgNbdExpectedPurchases(fit->params, row.x, row.t_x, row.T, 39);
    ASSERT_TRUE(e.ok()) << e.status();
    ASSERT_TRUE(std::isfinite(*e));
  }
}

}  // namespace
}  // namespace kpi::predictive
