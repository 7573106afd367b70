#include "plugins/predictive/bgnbd.h"

#include <optional>
#include <vector>

#include "plugins/predictive/customer_base.h"
#include "plugins/predictive/fitted_models.h"
#include "plugins/predictive/models/bgnbd.h"

namespace kpi::predictive {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;

}  // namespace

BgNbd::BgNbd(const sdk::Params& params)
    : unit_micros_(params.Double(kTimeUnitDays) * kMicrosPerDay),
      horizon_(static_cast<double>(params.Int64(kHorizon))),
      given_{params.Double(kR), params.Double(kAlpha), params.Double(kA),
             params.Double(kB)},
      histories_(params.Timestamp(kCalibrationEnd)) {}

void BgNbd::Update(const sdk::Chunk& chunk) {
  histories_.Add(chunk.Keys(kCustomer), chunk.Timestamps(kTime), {});
}

void BgNbd::Merge(const BgNbd& other) { histories_.Merge(other.histories_); }

void BgNbd::Finalize(sdk::Result& result) const {
  const std::optional<PurchaseModel> fitted =
      ModelPurchases(histories_, unit_micros_, given_, result);
  if (!fitted) return;
  const CustomerBase& base = fitted->base;
  const size_t n = base.customers.size();
  const BgNbdParams& p = fitted->model.params;
  WritePurchaseModel(fitted->model, "model", result);

  const BgNbdPredictions predictions = PredictBgNbd(p, base, horizon_);
  std::vector<std::string_view> ids(n);
  std::vector<double> x(n), t_x(n), T(n);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    ids[i] = base.customers[i].id;
    x[i] = base.customers[i].summary.x;
    t_x[i] = base.customers[i].summary.t_x;
    T[i] = base.customers[i].summary.T;
    total += predictions.expected_purchases[i];
  }
  result.TableColumn("customers", "customer", ids);
  result.TableColumn("customers", "x", x);
  result.TableColumn("customers", "t_x", t_x);
  result.TableColumn("customers", "T", T);
  result.TableColumn("customers", "p_alive", predictions.p_alive);
  result.TableColumn("customers", "expected_purchases",
                     predictions.expected_purchases);

  std::vector<int64_t> periods;
  std::vector<double> cumulative;
  for (int64_t t = 1; t <= static_cast<int64_t>(horizon_); ++t) {
    absl::StatusOr<double> e =
        BgNbdExpectedCumulativePurchases(p, static_cast<double>(t));
    if (!e.ok()) throw sdk::InvalidArgument(std::string(e.status().message()));
    periods.push_back(t);
    cumulative.push_back(*e);
  }
  result.TableColumn("population", "period", periods);
  result.TableColumn("population", "expected_purchases", cumulative);
  result.Value(total);
}

}  // namespace kpi::predictive
