// plugins/predictive/models/sbg.h -- the shifted-beta-geometric (sBG) model
// of contractual retention: Fader & Hardie (2007), "How to project customer
// retention", Journal of Interactive Marketing 21(1); discounted expected
// residual lifetime from Fader & Hardie (2010), "Customer-base valuation in
// a contractual setting: the perils of ignoring heterogeneity", Marketing
// Science 29(1).
//
// Assumptions: at the end of each period a customer renews or churns, with
// a churn probability theta that stays the same for that customer over
// time and is beta(alpha, beta) distributed across customers; churn is
// observed (a contract ends). Retention rises with tenure because the
// customers most likely to churn leave first.
//
// Thread safety: plain functions; reentrant.
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_SBG_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_SBG_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "plugins/predictive/models/log_likelihood_fit.h"

namespace kpi::predictive {

struct SbgParams {
  double alpha = 0;
  double beta = 0;
};

// OK when both parameters are finite and > 0; else INVALID_ARGUMENT.
absl::Status CheckSbgParams(const SbgParams& params);

// Observed lifetimes, in periods. A cohort's survival counts are the
// special case of one observation horizon; subscription records give
// customers observed for different numbers of periods.
struct SbgLifetimes {
  // churned[t]: customers who churned in period t (t >= 1; churned[0] is
  // 0): their lifetime T was t.
  std::vector<double> churned;
  // active[n]: customers still active after n periods when observation
  // ended (T > n, censored).
  std::vector<double> active;
};

// The lifetimes of a cohort from its survival counts: survivors[0]
// customers at the start, survivors[t] still active after period t.
// INVALID_ARGUMENT when a count is negative or not finite, a count exceeds
// the one before, or there are fewer than 2 periods (survivors.size() < 3:
// one period identifies only alpha / (alpha + beta)).
absl::StatusOr<SbgLifetimes> LifetimesFromSurvivors(
    absl::Span<const double> survivors);

// The periods the lifetimes reach: the largest t with churned[t] > 0 or n
// with active[n] > 0.
int ObservedPeriods(const SbgLifetimes& lifetimes);

// The log-likelihood sum churned[t] ln P(T = t) + active[n] ln S(n), and
// when `gradient` is not null its gradient with respect to
// (ln alpha, ln beta).
double SbgLogLikelihood(const SbgParams& params, const SbgLifetimes& lifetimes,
                        double* gradient /* [2] or null */);

struct SbgFit {
  SbgParams params;
  FitReport report;
};

// The maximum-likelihood estimate from alpha = beta = 1. INVALID_ARGUMENT
// when fewer than 2 periods are observed, no customer churned or every
// customer churned in period 1 (a parameter runs to 0 or infinity), or the
// fit fails.
absl::StatusOr<SbgFit> FitSbg(const SbgLifetimes& lifetimes);

// The retention rate of period t (the share of customers active after
// t - 1 periods who are still active after t): (beta + t - 1) /
// (alpha + beta + t - 1). REQUIRES: t >= 1.
double SbgRetentionRate(const SbgParams& params, int t);

// S(t), the share of a cohort still active after t periods, for
// t = 0 .. periods (S(0) = 1).
std::vector<double> SbgSurvival(const SbgParams& params, int periods);

// The discounted expected residual lifetime of a customer active after n
// periods: the expected number of further renewals, the next one
// undiscounted and each later one discounted by (1 + discount_rate) per
// period: sum over j >= 1 of S(n + j) / S(n) / (1 + d)^(j - 1) =
// (beta + n) / (alpha + beta + n) 2F1(1, beta + n + 1; alpha + beta + n + 1;
// 1 / (1 + d)). INVALID_ARGUMENT when the series cannot be evaluated.
// REQUIRES: valid params; n >= 0; discount_rate > 0.
absl::StatusOr<double> SbgDiscountedResidualLifetime(const SbgParams& params,
                                                     int n,
                                                     double discount_rate);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_SBG_H_
