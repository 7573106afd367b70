#include "plugins/predictive/predictive_clv.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "plugins/predictive/customer_base.h"
#include "plugins/predictive/fitted_models.h"
#include "plugins/predictive/spend_model.h"

namespace kpi::predictive {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;
constexpr double kDaysPerYear = 365.25;

// sum over k = 1 .. horizon of (E[Y(k)] - E[Y(k - 1)]) / (1 + d)^k for
// each distinct summary row.
std::vector<double> DiscountedPurchases(
    const BgNbdParams& params, const std::vector<WeightedSummary>& rows,
    int64_t horizon, double discount) {
  std::vector<double> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const WeightedSummary& row = rows[i];
    double previous = 0, sum = 0, factor = 1;
    for (int64_t k = 1; k <= horizon; ++k) {
      absl::StatusOr<double> e = BgNbdExpectedPurchases(
          params, row.x, row.t_x, row.T, static_cast<double>(k));
      if (!e.ok()) {
        throw sdk::InvalidArgument(std::string(e.status().message()));
      }
      factor /= 1 + discount;
      sum += (*e - previous) * factor;
      previous = *e;
    }
    out[i] = sum;
  }
  return out;
}

}  // namespace

PredictiveClv::PredictiveClv(const sdk::Params& params)
    : unit_micros_(params.Double(kTimeUnitDays) * kMicrosPerDay),
      horizon_(params.Int64(kHorizon)),
      unit_discount_(std::pow(1 + params.Double(kDiscountRate),
                              params.Double(kTimeUnitDays) / kDaysPerYear) -
                     1),
      margin_(params.Double(kMargin)),
      purchase_given_{params.Double(kR), params.Double(kAlpha),
                      params.Double(kA), params.Double(kB)},
      spend_given_{params.Double(kP), params.Double(kQ), params.Double(kV)},
      histories_(params.Timestamp(kCalibrationEnd)) {}

void PredictiveClv::Update(const sdk::Chunk& chunk) {
  histories_.Add(chunk.Keys(kCustomer), chunk.Timestamps(kTime),
                 chunk.Doubles(kAmount));
}

void PredictiveClv::Merge(const PredictiveClv& other) {
  histories_.Merge(other.histories_);
}

void PredictiveClv::Finalize(sdk::Result& result) const {
  const std::optional<PurchaseModel> purchases =
      ModelPurchases(histories_, unit_micros_, purchase_given_, result);
  if (!purchases) return;
  const CustomerBase& base = purchases->base;
  const size_t n = base.customers.size();
  const absl::StatusOr<SpendModel> spend =
      FitSpend(base.customers, spend_given_, result);
  if (!spend.ok()) return UndefinedBecause(spend.status(), result);
  const BgNbdParams& p = purchases->model.params;
  WritePurchaseModel(purchases->model, "purchase_model", result);
  WriteSpendModel(*spend, "spend_model", result);

  const BgNbdPredictions predictions =
      PredictBgNbd(p, base, static_cast<double>(horizon_));
  const std::vector<double> discounted =
      DiscountedPurchases(p, base.grouped.rows, horizon_, unit_discount_);
  std::vector<double> clv(n);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    clv[i] =
        margin_ * spend->expected_spend[i] * discounted[base.grouped.row_of[i]];
    total += clv[i];
  }
  if (!std::isfinite(total)) {
    throw sdk::InvalidArgument(
        "the customers' lifetime values add up beyond the largest "
        "representable number: are the amounts in the right unit?");
  }
  // Highest value first: the customers to look after come first.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&clv](size_t i, size_t j) { return clv[i] > clv[j]; });
  std::vector<std::string_view> ids;
  std::vector<double> x, t_x, T, p_alive, expected, spend_column, clv_column;
  for (size_t i : order) {
    const CustomerSummary& s = base.customers[i].summary;
    ids.push_back(base.customers[i].id);
    x.push_back(s.x);
    t_x.push_back(s.t_x);
    T.push_back(s.T);
    p_alive.push_back(predictions.p_alive[i]);
    expected.push_back(predictions.expected_purchases[i]);
    spend_column.push_back(spend->expected_spend[i]);
    clv_column.push_back(clv[i]);
  }
  result.TableColumn("customers", "customer", ids);
  result.TableColumn("customers", "x", x);
  result.TableColumn("customers", "t_x", t_x);
  result.TableColumn("customers", "T", T);
  result.TableColumn("customers", "p_alive", p_alive);
  result.TableColumn("customers", "expected_purchases", expected);
  result.TableColumn("customers", "expected_spend", spend_column);
  result.TableColumn("customers", "clv", clv_column);
  result.Value(total);
}

}  // namespace kpi::predictive
