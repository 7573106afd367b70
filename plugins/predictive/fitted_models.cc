#include "plugins/predictive/fitted_models.h"

#include <cmath>
#include <string>
#include <vector>

#include "kpi/plugin_text.hpp"

namespace kpi::predictive {
namespace {

double Norm(absl::Span<const double> gradient) {
  double squares = 0;
  for (double g : gradient) squares += g * g;
  return std::sqrt(squares);
}

// The report of given parameters: no evaluations, and the log-likelihood
// and gradient norm there, which must be finite to be reported.
absl::StatusOr<FitReport> GivenReport(double log_likelihood,
                                      absl::Span<const double> gradient,
                                      std::string_view model) {
  FitReport report;
  report.log_likelihood = log_likelihood;
  report.gradient_norm = Norm(gradient);
  if (!std::isfinite(report.log_likelihood) ||
      !std::isfinite(report.gradient_norm)) {
    return absl::InvalidArgumentError(
        std::string(model) +
        ": the log-likelihood of the data at the given parameters is not "
        "finite (parameters or values too large)");
  }
  return report;
}

}  // namespace

std::optional<std::vector<double>> GivenParameters(
    absl::Span<const double> values, absl::Span<const char* const> names,
    std::string_view model) {
  size_t given = 0;
  for (double v : values) given += v > 0 ? 1 : 0;
  if (given == 0) return std::nullopt;
  if (given == values.size()) {
    return std::vector<double>(values.begin(), values.end());
  }
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    list += std::string(i ? ", " : "") + names[i] + " = " +
            sdk::FormatNumber(values[i]);
  }
  throw sdk::InvalidArgument(
      std::string(model) + " parameters are given in part (" + list +
      "): give all of them to predict from a stored fit, or none to fit");
}

absl::StatusOr<UsedModel<BgNbdParams>> UseOrFitBgNbd(
    const std::optional<BgNbdParams>& given,
    absl::Span<const WeightedSummary> rows) {
  if (!given.has_value()) {
    absl::StatusOr<BgNbdFit> fit = FitBgNbd(rows);
    if (!fit.ok()) return fit.status();
    return UsedModel<BgNbdParams>{fit->params, fit->report, true};
  }
  if (absl::Status s = CheckBgNbdParams(*given); !s.ok()) return s;
  double gradient[4];
  const double ll = BgNbdLogLikelihood(*given, rows, gradient);
  absl::StatusOr<FitReport> report = GivenReport(ll, gradient, "BG/NBD");
  if (!report.ok()) return report.status();
  return UsedModel<BgNbdParams>{*given, *report, false};
}

absl::StatusOr<UsedModel<GammaGammaParams>> UseOrFitGammaGamma(
    const std::optional<GammaGammaParams>& given,
    absl::Span<const SpendSummary> buyers) {
  if (!given.has_value()) {
    absl::StatusOr<GammaGammaFit> fit = FitGammaGamma(buyers);
    if (!fit.ok()) return fit.status();
    return UsedModel<GammaGammaParams>{fit->params, fit->report, true};
  }
  if (absl::Status s = CheckGammaGammaParams(*given); !s.ok()) return s;
  double gradient[3];
  const double ll = GammaGammaLogLikelihood(*given, buyers, gradient);
  absl::StatusOr<FitReport> report = GivenReport(ll, gradient, "Gamma-Gamma");
  if (!report.ok()) return report.status();
  return UsedModel<GammaGammaParams>{*given, *report, false};
}

absl::StatusOr<UsedModel<SbgParams>> UseOrFitSbg(
    const std::optional<SbgParams>& given, const SbgLifetimes& lifetimes) {
  if (!given.has_value()) {
    absl::StatusOr<SbgFit> fit = FitSbg(lifetimes);
    if (!fit.ok()) return fit.status();
    return UsedModel<SbgParams>{fit->params, fit->report, true};
  }
  if (absl::Status s = CheckSbgParams(*given); !s.ok()) return s;
  double gradient[2];
  const double ll = SbgLogLikelihood(*given, lifetimes, gradient);
  absl::StatusOr<FitReport> report = GivenReport(ll, gradient, "sBG");
  if (!report.ok()) return report.status();
  return UsedModel<SbgParams>{*given, *report, false};
}

void UndefinedBecause(const absl::Status& status, sdk::Result& result) {
  const absl::string_view message = status.message();
  result.Undefined(std::string_view(message.data(), message.size()));
}

void WriteModelTable(sdk::Result& result, std::string_view table,
                     absl::Span<const char* const> names,
                     absl::Span<const double> values, const FitReport& report,
                     bool fitted) {
  for (size_t i = 0; i < names.size(); ++i) {
    result.TableColumn(table, names[i], sdk::View<double>(&values[i], 1));
  }
  const double ll = report.log_likelihood;
  const double norm = report.gradient_norm;
  const int64_t evaluations = report.evaluations;
  const int64_t was_fitted = fitted ? 1 : 0;
  result.TableColumn(table, "log_likelihood", sdk::View<double>(&ll, 1));
  result.TableColumn(table, "gradient_norm", sdk::View<double>(&norm, 1));
  result.TableColumn(table, "evaluations", sdk::View<int64_t>(&evaluations, 1));
  result.TableColumn(table, "fitted", sdk::View<int64_t>(&was_fitted, 1));
}

}  // namespace kpi::predictive
