#include "plugins/predictive/models/log_likelihood_fit.h"

#include <nlopt.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace kpi::predictive {
namespace {

// NLopt stops when a step changes the log-likelihood or the log-parameters
// by less than these, relative; the gradient test below then decides.
constexpr double kFunctionTolerance = 1e-14;
constexpr double kParameterTolerance = 1e-11;
constexpr int kMaxEvaluations = 5000;
// Runs of L-BFGS after the first, each from where the last stopped.
constexpr int kRestarts = 3;
constexpr double kGradientTolerancePerObservation = 1e-4;
// A log-parameter this close to a bound sits on it.
constexpr double kAtBound = 1e-6;

struct Objective {
  const LogLikelihood* log_likelihood = nullptr;
  nlopt_opt opt = nullptr;
  int evaluations = 0;
  bool non_finite = false;
  std::vector<double> non_finite_at;
};

double Evaluate(unsigned n, const double* x, double* gradient, void* data) {
  auto* objective = static_cast<Objective*>(data);
  ++objective->evaluations;
  std::vector<double> scratch(gradient == nullptr ? n : 0);
  double* g = gradient != nullptr ? gradient : scratch.data();
  const double value =
      (*objective->log_likelihood)(absl::MakeConstSpan(x, n), {g, n});
  bool finite = std::isfinite(value);
  for (unsigned i = 0; i < n; ++i) finite = finite && std::isfinite(g[i]);
  if (!finite) {
    objective->non_finite = true;
    objective->non_finite_at.assign(x, x + n);
    // Nothing sensible follows from a non-finite value: stop, and report.
    nlopt_force_stop(objective->opt);
    return -HUGE_VAL;
  }
  return value;
}

struct NloptDeleter {
  void operator()(nlopt_opt opt) const { nlopt_destroy(opt); }
};

std::string Parameters(absl::Span<const char* const> names,
                       absl::Span<const double> log_params) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&text, i ? ", " : "", names[i], " = ",
                    std::exp(log_params[i]));
  }
  return text;
}

}  // namespace

absl::StatusOr<LogLikelihoodFit> MaximizeLogLikelihood(
    const LogLikelihood& log_likelihood, absl::Span<const char* const> names,
    absl::Span<const double> start, double observations,
    absl::string_view model) {
  const unsigned n = static_cast<unsigned>(start.size());
  std::unique_ptr<nlopt_opt_s, NloptDeleter> opt(
      nlopt_create(NLOPT_LD_LBFGS, n));
  if (opt == nullptr) return absl::InternalError("NLopt: out of memory");
  Objective objective;
  objective.log_likelihood = &log_likelihood;
  objective.opt = opt.get();
  nlopt_set_max_objective(opt.get(), &Evaluate, &objective);
  nlopt_set_lower_bounds1(opt.get(), -kLogBound);
  nlopt_set_upper_bounds1(opt.get(), kLogBound);
  nlopt_set_ftol_rel(opt.get(), kFunctionTolerance);
  nlopt_set_xtol_rel(opt.get(), kParameterTolerance);
  nlopt_set_maxeval(opt.get(), kMaxEvaluations);

  std::vector<double> x(n);
  for (unsigned i = 0; i < n; ++i) x[i] = std::log(start[i]);
  LogLikelihoodFit fit;
  std::vector<double> gradient(n);
  nlopt_result result = NLOPT_FAILURE;
  // L-BFGS may stop short (a failed line search, round-off) where its
  // curvature memory misleads it; a restart from the point it reached,
  // with fresh memory, usually finishes the job.
  for (int run = 0; run <= kRestarts; ++run) {
    double best = 0;
    result = nlopt_optimize(opt.get(), x.data(), &best);
    if (objective.non_finite) {
      return absl::InvalidArgumentError(absl::StrCat(
          model, " fit failed: the log-likelihood is not finite at ",
          Parameters(names, objective.non_finite_at)));
    }
    if (result == NLOPT_INVALID_ARGS || result == NLOPT_OUT_OF_MEMORY) {
      return absl::InternalError(absl::StrCat(
          model,
          " fit: NLopt refused to run: ", nlopt_result_to_string(result)));
    }
    fit.report.log_likelihood = log_likelihood(x, absl::MakeSpan(gradient));
    double squares = 0;
    for (double g : gradient) squares += g * g;
    fit.report.gradient_norm = std::sqrt(squares);
    if (fit.report.gradient_norm <=
        kGradientTolerancePerObservation * observations) {
      break;
    }
  }
  fit.report.evaluations = objective.evaluations;
  for (unsigned i = 0; i < n; ++i) {
    if (std::fabs(x[i]) >= kLogBound - kAtBound) {
      return absl::InvalidArgumentError(absl::StrCat(
          model, " fit failed: the data do not identify the model (", names[i],
          " runs to ", x[i] > 0 ? "infinity" : "zero", ": ",
          Parameters(names, x), ")"));
    }
  }
  if (!(fit.report.gradient_norm <=
        kGradientTolerancePerObservation * observations)) {
    return absl::InvalidArgumentError(absl::StrCat(
        model, " fit did not converge: NLopt L-BFGS stopped (",
        nlopt_result_to_string(result), ") after ", objective.evaluations,
        " evaluations at ", Parameters(names, x), " with gradient norm ",
        fit.report.gradient_norm));
  }
  fit.params.resize(n);
  for (unsigned i = 0; i < n; ++i) fit.params[i] = std::exp(x[i]);
  return fit;
}

}  // namespace kpi::predictive
