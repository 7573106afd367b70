#include "plugins/predictive/bgnbd.h"

#include <optional>
#include <vector>

#include "plugins/predictive/customer_base.h"
#include "plugins/predictive/fitted_models.h"
#include "plugins/predictive/models/bgnbd.h"

namespace kpi::predictive {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;
constexpr const char* kBgNbdNames[] = {"r", "alpha", "a", "b"};

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
  const CustomerBase base = BuildCustomerBase(histories_, unit_micros_);
  const size_t n = base.customers.size();
  result.SampleSize(static_cast<double>(n));
  WarnAboutLaterPurchases(histories_, result);
  if (n == 0) {
    result.Undefined(
        "no purchases by calibration_end: there is no customer to fit or "
        "score");
    return;
  }
  std::optional<BgNbdParams> given;
  if (auto values = GivenParameters(given_, kBgNbdNames, "BG/NBD")) {
    given = BgNbdParams{(*values)[0], (*values)[1], (*values)[2], (*values)[3]};
  }
  const absl::StatusOr<UsedModel<BgNbdParams>> model =
      UseOrFitBgNbd(given, base.grouped.rows);
  if (!model.ok()) return UndefinedBecause(model.status(), result);
  const BgNbdParams& p = model->params;
  const double values[] = {p.r, p.alpha, p.a, p.b};
  WriteModelTable(result, "model", kBgNbdNames, values, model->report,
                  model->fitted);

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
