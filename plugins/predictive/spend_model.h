// plugins/predictive/spend_model.h -- the Gamma-Gamma model as the spend
// metrics (gamma_gamma, predictive_clv) use it: the repeat buyers of a
// customer base, the model fitted to them or given, and each customer's
// expected spend.
#ifndef KPI_PLUGINS_PREDICTIVE_SPEND_MODEL_H_
#define KPI_PLUGINS_PREDICTIVE_SPEND_MODEL_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "kpi/plugin.hpp"
#include "plugins/predictive/fitted_models.h"
#include "plugins/predictive/purchase_histories.h"

namespace kpi::predictive {

struct SpendModel {
  UsedModel<GammaGammaParams> model;
  // Repeat buyers with m > 0, grouped: what the model is fitted on.
  std::vector<SpendSummary> buyers;
  // Per customer (same order as the input): E[M | x, m].
  std::vector<double> expected_spend;
  std::optional<double> correlation;  // of x and m over `buyers`
};

// `given` holds p, q, v, all 0 to fit. Warns about repeat buyers left out
// (mean 0) and a frequency-spend correlation of 0.3 or more in size.
// INVALID_ARGUMENT when the fit fails or an expected spend is infinite
// (q <= 1); throws sdk::InvalidArgument when the given parameters are
// partial or a customer's amounts add up to more than a double holds.
absl::StatusOr<SpendModel> FitSpend(
    const std::vector<SummarizedCustomer>& customers, const double (&given)[3],
    sdk::Result& result);

// The "model" table of the Gamma-Gamma parameters, named `table`.
void WriteSpendModel(const SpendModel& spend, std::string_view table,
                     sdk::Result& result);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_SPEND_MODEL_H_
