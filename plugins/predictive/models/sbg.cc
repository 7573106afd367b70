#include "plugins/predictive/models/sbg.h"

#include <cmath>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "plugins/predictive/models/hypergeometric.h"
#include "plugins/predictive/models/special_functions.h"

namespace kpi::predictive {
namespace {

constexpr const char* kNames[] = {"alpha", "beta"};

}  // namespace

absl::Status CheckSbgParams(const SbgParams& params) {
  const double values[] = {params.alpha, params.beta};
  for (size_t i = 0; i < 2; ++i) {
    if (!(std::isfinite(values[i]) && values[i] > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("sBG parameter ", kNames[i], " (", values[i],
                       ") must be finite and > 0"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SbgLifetimes> LifetimesFromSurvivors(
    absl::Span<const double> survivors) {
  if (survivors.size() < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sBG needs survival counts over at least 2 periods (the cohort size "
        "and 2 more counts); got ",
        survivors.size(), survivors.size() == 1 ? " count" : " counts"));
  }
  SbgLifetimes lifetimes;
  lifetimes.churned.assign(survivors.size(), 0);
  lifetimes.active.assign(survivors.size(), 0);
  for (size_t t = 0; t < survivors.size(); ++t) {
    if (!(std::isfinite(survivors[t]) && survivors[t] >= 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("sBG survival count of period ", t, " (", survivors[t],
                       ") must be finite and >= 0"));
    }
    if (t == 0) continue;
    if (survivors[t] > survivors[t - 1]) {
      return absl::InvalidArgumentError(
          absl::StrCat("sBG survival counts must not increase: period ", t,
                       " has ", survivors[t], " after ", survivors[t - 1]));
    }
    lifetimes.churned[t] = survivors[t - 1] - survivors[t];
  }
  lifetimes.active.back() = survivors.back();
  return lifetimes;
}

int ObservedPeriods(const SbgLifetimes& lifetimes) {
  int periods = 0;
  for (size_t t = 0; t < lifetimes.churned.size(); ++t) {
    if (lifetimes.churned[t] > 0) periods = static_cast<int>(t);
  }
  for (size_t n = 0; n < lifetimes.active.size(); ++n) {
    if (lifetimes.active[n] > 0 && static_cast<int>(n) > periods) {
      periods = static_cast<int>(n);
    }
  }
  return periods;
}

double SbgLogLikelihood(const SbgParams& params, const SbgLifetimes& lifetimes,
                        double* gradient) {
  const double alpha = params.alpha, beta = params.beta;
  // P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta) and
  // S(n) = B(alpha, beta + n) / B(alpha, beta), in logs, with their
  // derivatives through the digamma function.
  const double log_beta_ab = LogBeta(alpha, beta);
  const double d_alpha_ab = Digamma(alpha) - Digamma(alpha + beta);
  const double d_beta_ab = Digamma(beta) - Digamma(alpha + beta);
  double ll = 0, d_alpha = 0, d_beta = 0;
  for (size_t t = 1; t < lifetimes.churned.size(); ++t) {
    const double w = lifetimes.churned[t];
    if (w == 0) continue;
    const double tt = static_cast<double>(t);
    ll += w * (LogBeta(alpha + 1, beta + tt - 1) - log_beta_ab);
    if (gradient == nullptr) continue;
    const double digamma_all = Digamma(alpha + beta + tt);
    d_alpha += w * (Digamma(alpha + 1) - digamma_all - d_alpha_ab);
    d_beta += w * (Digamma(beta + tt - 1) - digamma_all - d_beta_ab);
  }
  for (size_t n = 1; n < lifetimes.active.size(); ++n) {
    const double w = lifetimes.active[n];
    if (w == 0) continue;  // and S(0) = 1 says nothing
    const double nn = static_cast<double>(n);
    ll += w * (LogBeta(alpha, beta + nn) - log_beta_ab);
    if (gradient == nullptr) continue;
    const double digamma_all = Digamma(alpha + beta + nn);
    d_alpha += w * (Digamma(alpha) - digamma_all - d_alpha_ab);
    d_beta += w * (Digamma(beta + nn) - digamma_all - d_beta_ab);
  }
  if (gradient != nullptr) {
    gradient[0] = alpha * d_alpha;
    gradient[1] = beta * d_beta;
  }
  return ll;
}

absl::StatusOr<SbgFit> FitSbg(const SbgLifetimes& lifetimes) {
  if (const int periods = ObservedPeriods(lifetimes); periods < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sBG fit needs customers observed over at least 2 periods; the data "
        "reach ",
        periods, periods == 1 ? " period" : " periods",
        " (one period identifies only alpha / (alpha + beta))"));
  }
  double churned = 0, observed = 0;
  for (double c : lifetimes.churned) churned += c;
  for (double a : lifetimes.active) observed += a;
  observed += churned;
  if (churned == 0) {
    return absl::InvalidArgumentError(
        "sBG fit: no customer churned, so the churn probabilities cannot be "
        "estimated");
  }
  const double start[] = {1, 1};
  const LogLikelihood log_likelihood = [&lifetimes](
                                           absl::Span<const double> theta,
                                           absl::Span<double> gradient) {
    const SbgParams params{std::exp(theta[0]), std::exp(theta[1])};
    return SbgLogLikelihood(params, lifetimes, gradient.data());
  };
  absl::StatusOr<LogLikelihoodFit> fit =
      MaximizeLogLikelihood(log_likelihood, kNames, start, observed, "sBG");
  if (!fit.ok()) return fit.status();
  return SbgFit{{fit->params[0], fit->params[1]}, fit->report};
}

double SbgRetentionRate(const SbgParams& params, int t) {
  return (params.beta + t - 1) / (params.alpha + params.beta + t - 1);
}

std::vector<double> SbgSurvival(const SbgParams& params, int periods) {
  std::vector<double> survival(static_cast<size_t>(periods) + 1, 1.0);
  for (int t = 1; t <= periods; ++t) {
    survival[t] = survival[t - 1] * SbgRetentionRate(params, t);
  }
  return survival;
}

absl::StatusOr<double> SbgDiscountedResidualLifetime(const SbgParams& params,
                                                     int n,
                                                     double discount_rate) {
  const double b = params.beta + n;
  const double c = params.alpha + params.beta + n;
  const std::optional<double> h =
      Hypergeometric2F1(1, b + 1, c + 1, 1 / (1 + discount_rate));
  if (!h.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sBG discounted expected residual lifetime: 2F1(1, ", b + 1, "; ",
        c + 1, "; ", 1 / (1 + discount_rate), ") cannot be evaluated"));
  }
  const double value = b / c * *h;
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sBG discounted expected residual lifetime overflows at n = ", n));
  }
  return value;
}

}  // namespace kpi::predictive
