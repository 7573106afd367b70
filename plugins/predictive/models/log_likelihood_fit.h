// plugins/predictive/models/log_likelihood_fit.h -- maximum likelihood with
// NLopt's L-BFGS over the logs of positive parameters, the one optimiser of
// the BG/NBD, Gamma-Gamma and sBG fits.
//
// Optimising log-parameters keeps every parameter positive without
// constraints the method would have to respect; the logs are bounded to
// [-kLogBound, kLogBound] so that a likelihood whose supremum lies at 0 or
// infinity (data that do not identify the model) stops at a bound and is
// reported as such rather than wandering off to overflow. The fit is
// deterministic: same function, same start, same answer.
//
// Thread safety: reentrant; `log_likelihood` is called from the calling
// thread only.
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_LOG_LIKELIHOOD_FIT_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_LOG_LIKELIHOOD_FIT_H_

#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kpi::predictive {

// How a fit ended.
struct FitReport {
  // Evaluations of the log-likelihood and its gradient (NLopt counts
  // evaluations, not L-BFGS iterations; an iteration takes one or more).
  int evaluations = 0;
  double log_likelihood = 0;  // at the estimate
  // Euclidean norm of the gradient with respect to the log-parameters at
  // the estimate (d LL / d ln theta = theta x d LL / d theta).
  double gradient_norm = 0;
};

// The log-likelihood at parameters exp(log_params), writing its gradient
// with respect to log_params into `gradient` (same size).
using LogLikelihood = std::function<double(absl::Span<const double> log_params,
                                           absl::Span<double> gradient)>;

struct LogLikelihoodFit {
  std::vector<double> params;  // the estimates (not their logs)
  FitReport report;
};

// A parameter's log is kept within [-kLogBound, kLogBound].
inline constexpr double kLogBound = 20;

// Maximises `log_likelihood` from `start` (parameters, all > 0).
// `names` name the parameters in messages; `observations` (customers, or
// cohort members) scales the convergence test: the fit converged when the
// gradient norm is at most 1e-4 per observation. Fails with
// INVALID_ARGUMENT, naming `model`, when the log-likelihood is not finite,
// a parameter runs to a bound (the data do not identify it) or the fit does
// not converge; never returns NaN.
// REQUIRES: names.size() == start.size(); observations > 0.
absl::StatusOr<LogLikelihoodFit> MaximizeLogLikelihood(
    const LogLikelihood& log_likelihood, absl::Span<const char* const> names,
    absl::Span<const double> start, double observations,
    absl::string_view model);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_LOG_LIKELIHOOD_FIT_H_
