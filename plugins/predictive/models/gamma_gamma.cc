#include "plugins/predictive/models/gamma_gamma.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "plugins/predictive/models/special_functions.h"

namespace kpi::predictive {
namespace {

constexpr const char* kNames[] = {"p", "q", "v"};

}  // namespace

absl::Status CheckGammaGammaParams(const GammaGammaParams& params) {
  const double values[] = {params.p, params.q, params.v};
  for (size_t i = 0; i < 3; ++i) {
    if (!(std::isfinite(values[i]) && values[i] > 0)) {
      return absl::InvalidArgumentError(
          absl::StrCat("Gamma-Gamma parameter ", kNames[i], " (", values[i],
                       ") must be finite and > 0"));
    }
  }
  return absl::OkStatus();
}

std::vector<SpendSummary> GroupSpend(absl::Span<const SpendSummary> buyers) {
  std::vector<SpendSummary> sorted(buyers.begin(), buyers.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const SpendSummary& s, const SpendSummary& t) {
              return std::tie(s.x, s.m) < std::tie(t.x, t.m);
            });
  std::vector<SpendSummary> grouped;
  for (const SpendSummary& s : sorted) {
    if (!grouped.empty() && grouped.back().x == s.x &&
        grouped.back().m == s.m) {
      grouped.back().weight += s.weight;
    } else {
      grouped.push_back(s);
    }
  }
  return grouped;
}

double GammaGammaLogLikelihood(const GammaGammaParams& params,
                               absl::Span<const SpendSummary> buyers,
                               double* gradient) {
  const double p = params.p, q = params.q, v = params.v;
  const double log_gamma_q = LogGamma(q);
  const double digamma_q = Digamma(q);
  const double log_v = std::log(v);
  double ll = 0, d_p = 0, d_q = 0, d_v = 0;
  for (const SpendSummary& s : buyers) {
    const double px = p * s.x;
    const double log_m = std::log(s.m);
    const double log_x = std::log(s.x);
    const double log_xm_v = std::log(s.x * s.m + v);
    ll +=
        s.weight * (LogGamma(px + q) - LogGamma(px) - log_gamma_q + q * log_v +
                    (px - 1) * log_m + px * log_x - (px + q) * log_xm_v);
    if (gradient == nullptr) continue;
    const double digamma_px_q = Digamma(px + q);
    d_p += s.weight * s.x *
           (digamma_px_q - Digamma(px) + log_m + log_x - log_xm_v);
    d_q += s.weight * (digamma_px_q - digamma_q + log_v - log_xm_v);
    d_v += s.weight * (q / v - (px + q) / (s.x * s.m + v));
  }
  if (gradient != nullptr) {
    gradient[0] = p * d_p;
    gradient[1] = q * d_q;
    gradient[2] = v * d_v;
  }
  return ll;
}

absl::StatusOr<GammaGammaFit> FitGammaGamma(
    absl::Span<const SpendSummary> buyers) {
  double weight = 0, sum_m = 0;
  for (const SpendSummary& s : buyers) {
    if (!(s.x > 0 && s.m > 0 && std::isfinite(s.m))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Gamma-Gamma fit: every buyer needs x > 0 repeat transactions of "
          "mean value m > 0; got x = ",
          s.x, ", m = ", s.m));
    }
    weight += s.weight;
    sum_m += s.weight * s.m;
  }
  if (weight == 0) {
    return absl::InvalidArgumentError(
        "Gamma-Gamma fit: no repeat buyer (x > 0) to fit spend on");
  }
  const double start[] = {1, 2, sum_m / weight};
  const LogLikelihood log_likelihood = [buyers](absl::Span<const double> theta,
                                                absl::Span<double> gradient) {
    const GammaGammaParams params{std::exp(theta[0]), std::exp(theta[1]),
                                  std::exp(theta[2])};
    return GammaGammaLogLikelihood(params, buyers, gradient.data());
  };
  absl::StatusOr<LogLikelihoodFit> fit = MaximizeLogLikelihood(
      log_likelihood, kNames, start, weight, "Gamma-Gamma");
  if (!fit.ok()) return fit.status();
  return GammaGammaFit{{fit->params[0], fit->params[1], fit->params[2]},
                       fit->report};
}

absl::StatusOr<double> GammaGammaExpectedSpend(const GammaGammaParams& params,
                                               double x, double m) {
  const double denominator = params.p * x + params.q - 1;
  if (!(denominator > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("Gamma-Gamma expected spend is infinite for x = ", x,
                     ": p x + q = ", params.p * x + params.q,
                     " is not above 1 (for x = 0, q must exceed 1)"));
  }
  const double value = params.p * (params.v + x * m) / denominator;
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Gamma-Gamma expected spend overflows for x = ", x, ", m = ", m));
  }
  return value;
}

std::optional<double> FrequencySpendCorrelation(
    absl::Span<const SpendSummary> buyers) {
  double w = 0, mean_x = 0, mean_m = 0;
  for (const SpendSummary& s : buyers) {
    w += s.weight;
    mean_x += s.weight * s.x;
    mean_m += s.weight * s.m;
  }
  if (w == 0) return std::nullopt;
  mean_x /= w;
  mean_m /= w;
  double sxx = 0, smm = 0, sxm = 0;
  for (const SpendSummary& s : buyers) {
    const double dx = s.x - mean_x, dm = s.m - mean_m;
    sxx += s.weight * dx * dx;
    smm += s.weight * dm * dm;
    sxm += s.weight * dx * dm;
  }
  if (!(sxx > 0 && smm > 0)) return std::nullopt;
  return sxm / std::sqrt(sxx * smm);
}

}  // namespace kpi::predictive
