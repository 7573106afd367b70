#include "plugins/predictive/models/bgnbd.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "plugins/predictive/models/hypergeometric.h"
#include "plugins/predictive/models/special_functions.h"

namespace kpi::predictive {
namespace {

constexpr const char* kNames[] = {"r", "alpha", "a", "b"};

// The terms of the likelihood that depend on the parameters and x only,
// computed once per distinct x (rows come sorted by x).
struct PerX {
  double x = -1;
  double log_gamma_r_x = 0, digamma_r_x = 0;
  double log_gamma_b_x = 0, digamma_b_x = 0;
  double log_gamma_b_x1 = 0, digamma_b_x1 = 0;  // b + x - 1, for x > 0
  double log_gamma_ab_x = 0, digamma_ab_x = 0;

  void Set(const BgNbdParams& p, double new_x) {
    x = new_x;
    log_gamma_r_x = LogGamma(p.r + x);
    digamma_r_x = Digamma(p.r + x);
    log_gamma_b_x = LogGamma(p.b + x);
    digamma_b_x = Digamma(p.b + x);
    if (x > 0) {
      log_gamma_b_x1 = LogGamma(p.b + x - 1);
      digamma_b_x1 = Digamma(p.b + x - 1);
    }
    log_gamma_ab_x = LogGamma(p.a + p.b + x);
    digamma_ab_x = Digamma(p.a + p.b + x);
  }
};

// (a + b + x - 1) / (a - 1) x (1 - ((alpha + T) / (alpha + T + t))^(r + x)
// x 2F1(r + x, b + x; a + b + x - 1; z)), z = t / (alpha + T + t): the
// numerator of FHL (2005) eq. 10, and E[X(t)] for x = T = 0. By Euler's
// transformation the product of the power and the 2F1 is
// (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; c; z), c = a + b + x - 1, and
// 2F1(A, a - 1; c; z) = 1 + (a - 1) A z / c 3F2(A + 1, a, 1; c + 1, 2; z),
// so the whole is
//   c (-L) expm1(u) / u - e^u A z 3F2(A + 1, a, 1; c + 1, 2; z)
// with L = ln(1 - z) and u = (a - 1) L: no 1 / (a - 1), no parameter that
// grows with x in the series' numerator, and nothing whose log is taken.
absl::StatusOr<double> ExpectationNumerator(const BgNbdParams& p, double x,
                                            double T, double t) {
  if (t == 0) return 0.0;
  const double c = p.a + p.b + x - 1;
  const double L = -std::log1p(t / (p.alpha + T));
  const double z = t / (p.alpha + T + t);
  const double u = (p.a - 1) * L;
  const double expm1_over_u = u == 0 ? 1.0 : std::expm1(u) / u;
  const double A = p.a + p.b - 1 - p.r;
  const std::optional<double> h = Hypergeometric3F2(A + 1, p.a, 1, c + 1, 2, z);
  if (!h.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "BG/NBD expectation: the hypergeometric function 3F2(", A + 1, ", ",
        p.a, ", 1; ", c + 1, ", 2; ", z, ") cannot be evaluated"));
  }
  const double value = c * -L * expm1_over_u - std::exp(u) * A * z * *h;
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "BG/NBD expectation overflows for x = ", x, ", T = ", T, ", t = ", t));
  }
  // The expectation is positive; rounding may leave a tiny negative value
  // when t is negligible against alpha + T.
  return std::max(value, 0.0);
}

}  // namespace

absl::Status CheckBgNbdParams(const BgNbdParams& p) {
  const double values[] = {p.r, p.alpha, p.a, p.b};
  for (size_t i = 0; i < 4; ++i) {
    if (!(std::isfinite(values[i]) && values[i] > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("BG/NBD parameter ", kNames[i], " (", values[i],
                       ") must be finite and > 0"));
    }
  }
  return absl::OkStatus();
}

double BgNbdLogLikelihood(const BgNbdParams& p,
                          absl::Span<const WeightedSummary> rows,
                          double* gradient) {
  const double log_gamma_r = LogGamma(p.r);
  const double log_gamma_a = LogGamma(p.a);
  const double log_a = std::log(p.a);
  const double log_alpha = std::log(p.alpha);
  const double log_beta_ab = LogBeta(p.a, p.b);
  const double digamma_r = Digamma(p.r);
  const double digamma_a = Digamma(p.a);
  const double digamma_b = Digamma(p.b);
  const double digamma_ab = Digamma(p.a + p.b);
  double ll = 0;
  double d_r = 0, d_alpha = 0, d_a = 0, d_b = 0;
  PerX per_x;
  for (const WeightedSummary& row : rows) {
    if (row.x != per_x.x) per_x.Set(p, row.x);
    const double x = row.x;
    const double log_alpha_T = std::log(p.alpha + row.T);
    // ln of B(a, b + x) / (alpha + T)^(r + x), and for x > 0 of
    // B(a + 1, b + x - 1) / (alpha + t_x)^(r + x): the two terms of the
    // likelihood (FHL 2005 eq. 6) over their common factors.
    const double term1 = log_gamma_a + per_x.log_gamma_b_x -
                         per_x.log_gamma_ab_x - (p.r + x) * log_alpha_T;
    double lse = term1, w1 = 1, w2 = 0, log_alpha_tx = 0;
    if (x > 0) {
      log_alpha_tx = std::log(p.alpha + row.t_x);
      const double term2 = log_gamma_a + log_a + per_x.log_gamma_b_x1 -
                           per_x.log_gamma_ab_x - (p.r + x) * log_alpha_tx;
      const double m = std::max(term1, term2);
      lse = m + std::log(std::exp(term1 - m) + std::exp(term2 - m));
      w1 = std::exp(term1 - lse);
      w2 = std::exp(term2 - lse);
    }
    const double w = row.weight;
    ll += w * (per_x.log_gamma_r_x - log_gamma_r + p.r * log_alpha -
               log_beta_ab + lse);
    if (gradient == nullptr) continue;
    d_r += w * (per_x.digamma_r_x - digamma_r + log_alpha - w1 * log_alpha_T -
                w2 * log_alpha_tx);
    d_alpha += w * (p.r / p.alpha -
                    (p.r + x) * (w1 / (p.alpha + row.T) +
                                 (x > 0 ? w2 / (p.alpha + row.t_x) : 0)));
    d_a += w * (digamma_ab - digamma_a + w1 * (digamma_a - per_x.digamma_ab_x) +
                w2 * (digamma_a + 1 / p.a - per_x.digamma_ab_x));
    d_b += w * (digamma_ab - digamma_b +
                w1 * (per_x.digamma_b_x - per_x.digamma_ab_x) +
                w2 * (per_x.digamma_b_x1 - per_x.digamma_ab_x));
  }
  if (gradient != nullptr) {
    // Chain rule to the log-parameters.
    gradient[0] = p.r * d_r;
    gradient[1] = p.alpha * d_alpha;
    gradient[2] = p.a * d_a;
    gradient[3] = p.b * d_b;
  }
  return ll;
}

absl::StatusOr<BgNbdFit> FitBgNbd(absl::Span<const WeightedSummary> rows) {
  double customers = 0, sum_x = 0, sum_T = 0;
  for (const WeightedSummary& row : rows) {
    customers += row.weight;
    sum_x += row.weight * row.x;
    sum_T += row.weight * row.T;
  }
  if (customers == 0) {
    return absl::InvalidArgumentError("BG/NBD fit: no customers");
  }
  if (sum_x == 0) {
    return absl::InvalidArgumentError(
        "BG/NBD fit: no customer made a repeat purchase in the calibration "
        "period, so the purchase rate cannot be told from dropout");
  }
  if (sum_T == 0) {
    return absl::InvalidArgumentError(
        "BG/NBD fit: degenerate calibration period: every customer's first "
        "purchase is at its end (T = 0)");
  }
  const double mean_x = sum_x / customers;
  const double mean_T = sum_T / customers;
  const double start[] = {1, mean_T / (mean_x + 1), 1, 1};
  const LogLikelihood log_likelihood = [rows](absl::Span<const double> theta,
                                              absl::Span<double> gradient) {
    const BgNbdParams p{std::exp(theta[0]), std::exp(theta[1]),
                        std::exp(theta[2]), std::exp(theta[3])};
    return BgNbdLogLikelihood(p, rows, gradient.data());
  };
  absl::StatusOr<LogLikelihoodFit> fit =
      MaximizeLogLikelihood(log_likelihood, kNames, start, customers, "BG/NBD");
  if (!fit.ok()) return fit.status();
  return BgNbdFit{
      {fit->params[0], fit->params[1], fit->params[2], fit->params[3]},
      fit->report};
}

double BgNbdProbabilityAlive(const BgNbdParams& p, double x, double t_x,
                             double T) {
  if (x == 0) return 1;
  // P = 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)),
  // the odds in logs so that the power cannot overflow.
  const double log_odds =
      std::log(p.a) - std::log(p.b + x - 1) +
      (p.r + x) * (std::log(p.alpha + T) - std::log(p.alpha + t_x));
  if (log_odds > 0) {
    const double e = std::exp(-log_odds);
    return e / (1 + e);
  }
  return 1 / (1 + std::exp(log_odds));
}

absl::StatusOr<double> BgNbdExpectedPurchases(const BgNbdParams& p, double x,
                                              double t_x, double T, double t) {
  absl::StatusOr<double> numerator = ExpectationNumerator(p, x, T, t);
  if (!numerator.ok()) return numerator.status();
  return *numerator * BgNbdProbabilityAlive(p, x, t_x, T);
}

absl::StatusOr<double> BgNbdExpectedCumulativePurchases(const BgNbdParams& p,
                                                        double t) {
  return ExpectationNumerator(p, 0, 0, t);
}

}  // namespace kpi::predictive
