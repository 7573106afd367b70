// plugins/predictive/fitted_models.h -- "fit once, predict many": a metric
// either fits its model to the call's data or takes a stored fit's
// parameters, and writes which in a one-row model table.
//
// A parameter set is all 0 (the declared default: fit) or all > 0 (given:
// no fit, only prediction); anything else is the caller's mistake. A fit
// that fails is a property of the data, not a mistake of the caller: the
// metric's result is undefined with the model's reason (so one segment too
// small to fit does not fail a grouped call).
#ifndef KPI_PLUGINS_PREDICTIVE_FITTED_MODELS_H_
#define KPI_PLUGINS_PREDICTIVE_FITTED_MODELS_H_

#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "kpi/plugin.hpp"
#include "plugins/predictive/models/bgnbd.h"
#include "plugins/predictive/models/gamma_gamma.h"
#include "plugins/predictive/models/log_likelihood_fit.h"
#include "plugins/predictive/models/sbg.h"

namespace kpi::predictive {

// The values of `names` when all are > 0, nullopt when all are 0. Throws
// sdk::InvalidArgument when some are 0 and others are not.
std::optional<std::vector<double>> GivenParameters(
    absl::Span<const double> values, absl::Span<const char* const> names,
    std::string_view model);

// A model's parameters as a metric uses them, and how it got them: fitted
// (the fit's report) or given (evaluations 0, the log-likelihood and its
// gradient norm at the given parameters on the call's data).
template <typename Params>
struct UsedModel {
  Params params;
  FitReport report;
  bool fitted = false;
};

// The given model, or the fit; INVALID_ARGUMENT with the model's message
// when the fit fails.
absl::StatusOr<UsedModel<BgNbdParams>> UseOrFitBgNbd(
    const std::optional<BgNbdParams>& given,
    absl::Span<const WeightedSummary> rows);
absl::StatusOr<UsedModel<GammaGammaParams>> UseOrFitGammaGamma(
    const std::optional<GammaGammaParams>& given,
    absl::Span<const SpendSummary> buyers);
absl::StatusOr<UsedModel<SbgParams>> UseOrFitSbg(
    const std::optional<SbgParams>& given, const SbgLifetimes& lifetimes);

// The result is undefined, for `status`'s message.
void UndefinedBecause(const absl::Status& status, sdk::Result& result);

// A one-row table `table`: a column per parameter (`names`, `values`), then
// log_likelihood, gradient_norm, evaluations and fitted (1 or 0).
void WriteModelTable(sdk::Result& result, std::string_view table,
                     absl::Span<const char* const> names,
                     absl::Span<const double> values, const FitReport& report,
                     bool fitted);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_FITTED_MODELS_H_
