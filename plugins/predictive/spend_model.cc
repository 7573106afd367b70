#include "plugins/predictive/spend_model.h"

#include <cmath>
#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::predictive {
namespace {

constexpr const char* kGammaGammaNames[] = {"p", "q", "v"};
// A correlation this strong breaks the model's independence assumption
// visibly (Fader & Hardie's note reports 0.11 on CDNOW).
constexpr double kStrongCorrelation = 0.3;

}  // namespace

absl::StatusOr<SpendModel> FitSpend(
    const std::vector<SummarizedCustomer>& customers, const double (&given)[3],
    sdk::Result& result) {
  SpendModel spend;
  std::vector<SpendSummary> buyers;
  int64_t zero_spend = 0;
  for (const SummarizedCustomer& c : customers) {
    if (!std::isfinite(c.summary.mean_repeat_amount)) {
      throw sdk::InvalidArgument(
          "the amounts of customer " + sdk::Quote(c.id) +
          " add up beyond the largest representable number");
    }
    if (c.summary.x == 0) continue;
    if (c.summary.mean_repeat_amount > 0) {
      buyers.push_back({c.summary.x, c.summary.mean_repeat_amount, 1});
    } else {
      ++zero_spend;
    }
  }
  if (zero_spend > 0) {
    result.Warning(sdk::Counted(zero_spend, "repeat buyer", "repeat buyers") +
                   " with repeat purchases worth 0 left out of the spend "
                   "model (it describes positive values)");
  }
  spend.buyers = GroupSpend(buyers);
  std::optional<GammaGammaParams> params;
  if (auto values = GivenParameters(given, kGammaGammaNames, "Gamma-Gamma")) {
    params = GammaGammaParams{(*values)[0], (*values)[1], (*values)[2]};
  }
  absl::StatusOr<UsedModel<GammaGammaParams>> model =
      UseOrFitGammaGamma(params, spend.buyers);
  if (!model.ok()) return model.status();
  spend.model = *model;
  spend.correlation = FrequencySpendCorrelation(spend.buyers);
  if (spend.correlation.has_value() &&
      std::fabs(*spend.correlation) >= kStrongCorrelation) {
    result.Warning("frequency and spend per transaction correlate (Pearson " +
                   sdk::FormatNumber(*spend.correlation) +
                   " over the repeat buyers): the Gamma-Gamma model assumes "
                   "they are independent");
  }
  spend.expected_spend.reserve(customers.size());
  for (const SummarizedCustomer& c : customers) {
    absl::StatusOr<double> e = GammaGammaExpectedSpend(
        spend.model.params, c.summary.x, c.summary.mean_repeat_amount);
    if (!e.ok()) return e.status();
    spend.expected_spend.push_back(*e);
  }
  return spend;
}

void WriteSpendModel(const SpendModel& spend, std::string_view table,
                     sdk::Result& result) {
  const GammaGammaParams& p = spend.model.params;
  const double values[] = {p.p, p.q, p.v};
  WriteModelTable(result, table, kGammaGammaNames, values, spend.model.report,
                  spend.model.fitted);
  if (spend.correlation.has_value()) {
    result.TableColumn(table, "frequency_spend_correlation",
                       sdk::View<double>(&*spend.correlation, 1));
  }
}

}  // namespace kpi::predictive
