// The Gamma-Gamma spend model (plugins/predictive/models/gamma_gamma.h):
// the published CDNOW fit on the 946 repeat buyers, from the raw
// transactions.
#include "plugins/predictive/models/gamma_gamma.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/predictive/cdnow.h"

namespace kpi::predictive {
namespace {

using testing::CdnowSample;
using testing::CdnowSamplePath;
using testing::CdnowSummaries;

std::vector<SpendSummary> RepeatBuyers(
    const std::vector<CustomerSummary>& customers) {
  std::vector<SpendSummary> buyers;
  for (const CustomerSummary& c : customers) {
    if (c.x > 0) buyers.push_back({c.x, c.mean_repeat_amount, 1});
  }
  return buyers;
}

TEST(GammaGammaFit, ReproducesThePublishedCdnowFitOnThe946RepeatBuyers) {
  const std::vector<testing::CdnowTransaction> sample = CdnowSample();
  if (sample.empty()) GTEST_SKIP() << "no " << CdnowSamplePath();
  const std::vector<SpendSummary> buyers =
      GroupSpend(RepeatBuyers(CdnowSummaries(sample)));
  double weight = 0;
  for (const SpendSummary& b : buyers) weight += b.weight;
  EXPECT_EQ(weight, 946);
  absl::StatusOr<GammaGammaFit> fit = FitGammaGamma(buyers);
  ASSERT_TRUE(fit.ok()) << fit.status();
  // Fader, Hardie & Lee (2005) / the CDNOW README: p = 6.25, q = 3.74,
  // v = 15.44; the log-likelihood of that density (as the lifetimes library
  // writes it) at the estimate, mpmath: -4055.9178.
  EXPECT_NEAR(fit->params.p, 6.25, 0.005);
  EXPECT_NEAR(fit->params.q, 3.74, 0.005);
  EXPECT_NEAR(fit->params.v, 15.44, 0.005);
  EXPECT_NEAR(fit->report.log_likelihood, -4055.9, 0.05);
  // The model assumes spend independent of frequency; on CDNOW the
  // correlation is weak (FHL 2005 report 0.11).
  std::optional<double> rho = FrequencySpendCorrelation(buyers);
  ASSERT_TRUE(rho.has_value());
  EXPECT_NEAR(*rho, 0.11, 0.01);
}

TEST(GammaGammaLogLikelihood, AnalyticGradientMatchesCentralDifferences) {
  const std::vector<SpendSummary> buyers = {
      {1, 20, 3}, {2, 35.5, 1}, {6, 12.25, 2}};
  const GammaGammaParams at{6.25, 3.74, 15.44};
  double gradient[3];
  GammaGammaLogLikelihood(at, buyers, gradient);
  const double theta[] = {std::log(at.p), std::log(at.q), std::log(at.v)};
  for (int i = 0; i < 3; ++i) {
    const double h = 1e-6;
    double up[3], down[3];
    std::copy(theta, theta + 3, up);
    std::copy(theta, theta + 3, down);
    up[i] += h;
    down[i] -= h;
    const auto ll = [&buyers](const double* t) {
      return GammaGammaLogLikelihood(
          {std::exp(t[0]), std::exp(t[1]), std::exp(t[2])}, buyers, nullptr);
    };
    EXPECT_NEAR(gradient[i], (ll(up) - ll(down)) / (2 * h), 1e-5)
        << "parameter " << i;
  }
}

TEST(GammaGammaExpectedSpend, ShrinksTowardThePopulationMean) {
  const GammaGammaParams p{6.25, 3.74, 15.44};
  // The population mean p v / (q - 1) for a customer without repeats.
  absl::StatusOr<double> none = GammaGammaExpectedSpend(p, 0, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_NEAR(*none, 6.25 * 15.44 / 2.74, 1e-12);
  // One repeat of 100: between 100 and the mean, by eq. 5 of Fader &
  // Hardie's note: p (v + x m) / (p x + q - 1).
  absl::StatusOr<double> one = GammaGammaExpectedSpend(p, 1, 100);
  ASSERT_TRUE(one.ok());
  EXPECT_NEAR(*one, 6.25 * (15.44 + 100) / (6.25 + 2.74), 1e-12);
  EXPECT_GT(*one, *none);
  EXPECT_LT(*one, 100);
  // q <= 1: no finite population mean.
  EXPECT_FALSE(GammaGammaExpectedSpend({6.25, 0.9, 15.44}, 0, 0).ok());
}

TEST(GammaGammaFit, FailsClearlyWithoutRepeatBuyers) {
  absl::StatusOr<GammaGammaFit> fit = FitGammaGamma({});
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("no repeat buyer"), std::string::npos);
  fit = FitGammaGamma({{2, 0, 1}});
  ASSERT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(fit.status().message().find("m > 0"), std::string::npos);
}

TEST(GammaGammaFit, FailsClearlyWhenEveryoneSpendsTheSame) {
  // One mean value for all: the spread of nu is unidentified.
  absl::StatusOr<GammaGammaFit> fit = FitGammaGamma({{1, 10, 5}, {3, 10, 4}});
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kpi::predictive
