// plugins/predictive/models/gamma_gamma.h -- the Gamma-Gamma model of
// spend per transaction: Fader, Hardie & Lee (2005), "RFM and CLV: using
// iso-value curves for customer base analysis", Journal of Marketing
// Research 42(4), and Fader & Hardie (2013), "The Gamma-Gamma model of
// monetary value".
//
// Assumptions: a customer's transaction values are gamma(p, nu)
// distributed around the customer's mean; nu is gamma(q, v) distributed
// across customers; and spend is independent of purchase frequency
// (FrequencySpendCorrelation reports how far the data are from that).
// Fitted on repeat buyers (x > 0) with their mean repeat transaction value
// m_x > 0.
//
// Thread safety: plain functions; reentrant.
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_GAMMA_GAMMA_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_GAMMA_GAMMA_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "plugins/predictive/models/log_likelihood_fit.h"

namespace kpi::predictive {

struct GammaGammaParams {
  double p = 0;
  double q = 0;
  double v = 0;
};

// OK when every parameter is finite and > 0; else INVALID_ARGUMENT.
absl::Status CheckGammaGammaParams(const GammaGammaParams& params);

// A repeat buyer: x repeat transactions of mean value m, `weight` buyers
// with these values.
struct SpendSummary {
  double x = 0;
  double m = 0;
  double weight = 0;
};

// Identical (x, m) pairs merged, weighted by their count and sorted by
// (x, m), so that sums over them do not depend on the input order.
// REQUIRES: weights of the input are the customers each stands for.
std::vector<SpendSummary> GroupSpend(absl::Span<const SpendSummary> buyers);

// The log-likelihood of the buyers' mean values (the density of m_x given
// x, as the lifetimes library writes it) and, when `gradient` is not null,
// its gradient with respect to (ln p, ln q, ln v).
// REQUIRES: valid params; x > 0 and m > 0 in every row.
double GammaGammaLogLikelihood(const GammaGammaParams& params,
                               absl::Span<const SpendSummary> buyers,
                               double* gradient /* [3] or null */);

struct GammaGammaFit {
  GammaGammaParams params;
  FitReport report;
};

// The maximum-likelihood estimate from a deterministic start (p = 1,
// q = 2, v = the weighted mean of m, so the start's mean spend p v / (q - 1)
// is the sample's). INVALID_ARGUMENT when there is no buyer, a row has
// x <= 0 or m <= 0, or the fit fails (a single value of m for everyone
// does not identify the model).
absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const SpendSummary> buyers);

// E[M | x, m_x] = p (v + x m_x) / (p x + q - 1), the expected mean spend
// per transaction of a customer with x repeat transactions of mean m_x
// (the population mean p v / (q - 1) for x = 0). INVALID_ARGUMENT when
// p x + q <= 1 (the expectation is infinite) or it overflows a double.
absl::StatusOr<double> GammaGammaExpectedSpend(const GammaGammaParams& params,
                                               double x, double m);

// The weighted Pearson correlation between x and m over the buyers, or
// nullopt when either does not vary. The model assumes it is near 0.
std::optional<double> FrequencySpendCorrelation(
    absl::Span<const SpendSummary> buyers);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_GAMMA_GAMMA_H_
