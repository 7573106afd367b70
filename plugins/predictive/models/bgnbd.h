// plugins/predictive/models/bgnbd.h -- the BG/NBD model of Fader, Hardie &
// Lee (2005), "Counting your customers the easy way: an alternative to the
// Pareto/NBD model", Marketing Science 24(2).
//
// Assumptions: while alive, a customer buys as a Poisson process of rate
// lambda, gamma(r, alpha) distributed across customers; after each
// purchase the customer drops out with probability p, beta(a, b)
// distributed across customers; dropout is unobserved. Fitted on
// (x, t_x, T) per customer (customer_summary.h).
//
// Numerics: the likelihood sums its two terms in log space (log-sum-exp),
// so ((alpha + T) / (alpha + t_x))^(r + x) never overflows, whatever x and
// T; the conditional expectation uses Euler's transformation of its
// Gaussian hypergeometric function, which turns 2F1(r + x, b + x;
// a + b + x - 1; z) (whose parameters grow with x) into a 3F2 whose
// numerator parameters do not depend on x, and removes the division by
// a - 1 (so a = 1 and a < 1 need no special case, and no term whose log
// would be taken can go negative). Predictions are finite for any finite
// non-negative input, or the function says why not.
//
// Thread safety: plain functions; reentrant.
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_BGNBD_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_BGNBD_H_

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "plugins/predictive/models/customer_summary.h"
#include "plugins/predictive/models/log_likelihood_fit.h"

namespace kpi::predictive {

struct BgNbdParams {
  double r = 0;
  double alpha = 0;
  double a = 0;
  double b = 0;
};

// OK when every parameter is finite and > 0; else INVALID_ARGUMENT naming
// the first one that is not.
absl::Status CheckBgNbdParams(const BgNbdParams& params);

// The log-likelihood of `rows` (each weighted by its number of customers)
// and, when `gradient` is not null, its gradient with respect to
// (ln r, ln alpha, ln a, ln b).
// REQUIRES: CheckBgNbdParams(params).ok(); rows sorted by x (as
// GroupSummaries sorts them); 0 <= t_x <= T.
double BgNbdLogLikelihood(const BgNbdParams& params,
                          absl::Span<const WeightedSummary> rows,
                          double* gradient /* [4] or null */);

struct BgNbdFit {
  BgNbdParams params;
  FitReport report;
};

// The maximum-likelihood estimate from a deterministic start (r = 1,
// a = b = 1, alpha = mean T / (mean x + 1), the mean purchase rate's
// scale). INVALID_ARGUMENT, never NaN, when there are no customers, no
// customer made a repeat purchase (the model cannot tell the purchase rate
// from dropout), T is 0 for every customer (a degenerate calibration
// period), or the fit fails (log_likelihood_fit.h).
absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const WeightedSummary> rows);

// P(alive | x, t_x, T): 1 when x = 0 (the model's customers can only drop
// out right after a purchase). REQUIRES: valid params, 0 <= t_x <= T.
double BgNbdProbabilityAlive(const BgNbdParams& params, double x, double t_x,
                             double T);

// E[Y(t) | x, t_x, T], the purchases a customer with this history is
// expected to make in the next t units; INVALID_ARGUMENT when the
// hypergeometric function cannot be evaluated (never NaN).
// REQUIRES: valid params, 0 <= t_x <= T, t >= 0.
absl::StatusOr<double> BgNbdExpectedPurchases(const BgNbdParams& params,
                                              double x, double t_x, double T,
                                              double t);

// E[X(t)], the purchases a new customer is expected to make in the first t
// units after the first purchase.
absl::StatusOr<double> BgNbdExpectedCumulativePurchases(
    const BgNbdParams& params, double t);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_BGNBD_H_
