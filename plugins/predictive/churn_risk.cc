#include "plugins/predictive/churn_risk.h"

#include <algorithm>
#include <numeric>
#include <optional>
#include <string_view>
#include <vector>

#include "kpi/plugin_text.hpp"
#include "plugins/predictive/customer_base.h"
#include "plugins/predictive/fitted_models.h"

namespace kpi::predictive {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;
constexpr std::string_view kBands[] = {"high", "medium", "low"};

}  // namespace

ChurnRisk::ChurnRisk(const sdk::Params& params)
    : unit_micros_(params.Double(kTimeUnitDays) * kMicrosPerDay),
      horizon_(static_cast<double>(params.Int64(kHorizon))),
      high_risk_(params.Double(kHighRisk)),
      medium_risk_(params.Double(kMediumRisk)),
      given_{params.Double(kR), params.Double(kAlpha), params.Double(kA),
             params.Double(kB)},
      histories_(params.Timestamp(kCalibrationEnd)) {
  if (medium_risk_ > high_risk_) {
    throw sdk::InvalidArgument(
        "medium_risk (" + sdk::FormatNumber(medium_risk_) +
        ") is above high_risk (" + sdk::FormatNumber(high_risk_) +
        "): the medium band lies below the high one");
  }
}

void ChurnRisk::Update(const sdk::Chunk& chunk) {
  histories_.Add(chunk.Keys(kCustomer), chunk.Timestamps(kTime), {});
}

void ChurnRisk::Merge(const ChurnRisk& other) {
  histories_.Merge(other.histories_);
}

void ChurnRisk::Finalize(sdk::Result& result) const {
  const std::optional<PurchaseModel> fitted =
      ModelPurchases(histories_, unit_micros_, given_, result);
  if (!fitted) return;
  const CustomerBase& base = fitted->base;
  const size_t n = base.customers.size();
  const BgNbdParams& p = fitted->model.params;
  WritePurchaseModel(fitted->model, "model", result);
  const BgNbdPredictions predictions = PredictBgNbd(p, base, horizon_);

  std::vector<double> risk(n);
  for (size_t i = 0; i < n; ++i) risk[i] = 1 - predictions.p_alive[i];
  // Riskiest first; ties keep the id order of the customers.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&risk](size_t i, size_t j) { return risk[i] > risk[j]; });
  std::vector<std::string_view> ids, bands;
  std::vector<double> risk_column, p_alive, x, t_x, T, expected;
  std::vector<int64_t> per_band(std::size(kBands), 0);
  for (size_t i : order) {
    const size_t band = risk[i] >= high_risk_     ? 0
                        : risk[i] >= medium_risk_ ? 1
                                                  : 2;
    ++per_band[band];
    const CustomerSummary& s = base.customers[i].summary;
    ids.push_back(base.customers[i].id);
    risk_column.push_back(risk[i]);
    bands.push_back(kBands[band]);
    p_alive.push_back(predictions.p_alive[i]);
    x.push_back(s.x);
    t_x.push_back(s.t_x);
    T.push_back(s.T);
    expected.push_back(predictions.expected_purchases[i]);
  }
  result.TableColumn("customers", "customer", ids);
  result.TableColumn("customers", "risk", risk_column);
  result.TableColumn("customers", "band", bands);
  result.TableColumn("customers", "p_alive", p_alive);
  result.TableColumn("customers", "x", x);
  result.TableColumn("customers", "t_x", t_x);
  result.TableColumn("customers", "T", T);
  result.TableColumn("customers", "expected_purchases", expected);
  result.TableColumn(
      "bands", "band",
      std::vector<std::string_view>(std::begin(kBands), std::end(kBands)));
  result.TableColumn("bands", "customers", per_band);
  result.Ratio(static_cast<double>(per_band[0]), static_cast<double>(n));
  result.Value(100.0 * static_cast<double>(per_band[0]) /
               static_cast<double>(n));
}

}  // namespace kpi::predictive
