#include "plugins/predictive/gamma_gamma.h"

#include <string_view>
#include <vector>

#include "kpi/plugin_text.hpp"
#include "plugins/predictive/customer_base.h"
#include "plugins/predictive/fitted_models.h"
#include "plugins/predictive/spend_model.h"

namespace kpi::predictive {
namespace {

// The customer summaries do not depend on the unit for this model (x and m
// only); days keep t_x and T readable should they ever be shown.
constexpr double kMicrosPerDay = 86400.0 * 1e6;

}  // namespace

GammaGamma::GammaGamma(const sdk::Params& params)
    : given_{params.Double(kP), params.Double(kQ), params.Double(kV)},
      histories_(params.Timestamp(kCalibrationEnd)) {}

void GammaGamma::Update(const sdk::Chunk& chunk) {
  histories_.Add(chunk.Keys(kCustomer), chunk.Timestamps(kTime),
                 chunk.Doubles(kAmount));
}

void GammaGamma::Merge(const GammaGamma& other) {
  histories_.Merge(other.histories_);
}

void GammaGamma::Finalize(sdk::Result& result) const {
  const std::vector<SummarizedCustomer> customers =
      histories_.Summaries(kMicrosPerDay);
  const size_t n = customers.size();
  result.SampleSize(static_cast<double>(n));
  WarnAboutLaterPurchases(histories_, result);
  if (n == 0) {
    result.Undefined(
        "no purchases by calibration_end: there is no customer to fit or "
        "score");
    return;
  }
  const absl::StatusOr<SpendModel> spend = FitSpend(customers, given_, result);
  if (!spend.ok()) return UndefinedBecause(spend.status(), result);
  WriteSpendModel(*spend, "model", result);
  std::vector<std::string_view> ids(n);
  std::vector<double> x(n), m(n);
  for (size_t i = 0; i < n; ++i) {
    ids[i] = customers[i].id;
    x[i] = customers[i].summary.x;
    m[i] = customers[i].summary.mean_repeat_amount;
  }
  result.TableColumn("customers", "customer", ids);
  result.TableColumn("customers", "x", x);
  result.TableColumn("customers", "mean_repeat_amount", m);
  result.TableColumn("customers", "expected_spend", spend->expected_spend);
  const GammaGammaParams& p = spend->model.params;
  if (!(p.q > 1)) {
    result.Undefined("q = " + sdk::FormatNumber(p.q) +
                     " is not above 1: the population's mean spend per "
                     "transaction, p v / (q - 1), is infinite");
    return;
  }
  result.Value(p.p * p.v / (p.q - 1));
}

}  // namespace kpi::predictive
