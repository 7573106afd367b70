#include "plugins/predictive/customer_base.h"

#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::predictive {

CustomerBase BuildCustomerBase(const PurchaseHistories& histories,
                               double unit_micros) {
  CustomerBase base;
  base.customers = histories.Summaries(unit_micros);
  std::vector<CustomerSummary> summaries;
  summaries.reserve(base.customers.size());
  for (const SummarizedCustomer& c : base.customers) {
    summaries.push_back(c.summary);
  }
  base.grouped = GroupSummaries(summaries);
  return base;
}

BgNbdPredictions PredictBgNbd(const BgNbdParams& params,
                              const CustomerBase& base, double horizon) {
  const std::vector<WeightedSummary>& rows = base.grouped.rows;
  std::vector<double> p_alive(rows.size()), expected(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const WeightedSummary& row = rows[i];
    p_alive[i] = BgNbdProbabilityAlive(params, row.x, row.t_x, row.T);
    absl::StatusOr<double> e =
        BgNbdExpectedPurchases(params, row.x, row.t_x, row.T, horizon);
    if (!e.ok()) throw sdk::InvalidArgument(std::string(e.status().message()));
    expected[i] = *e;
  }
  BgNbdPredictions out;
  out.p_alive.reserve(base.customers.size());
  out.expected_purchases.reserve(base.customers.size());
  for (uint32_t row : base.grouped.row_of) {
    out.p_alive.push_back(p_alive[row]);
    out.expected_purchases.push_back(expected[row]);
  }
  return out;
}

void WarnAboutLaterPurchases(const PurchaseHistories& histories,
                             sdk::Result& result) {
  if (histories.later_purchases() == 0) return;
  result.Warning(sdk::Counted(histories.later_purchases(), "purchase row",
                              "purchase rows") +
                 " after calibration_end " +
                 sdk::FormatInstant(histories.calibration_end()) +
                 " not used (a holdout period)");
}

namespace {
constexpr const char* kBgNbdNames[] = {"r", "alpha", "a", "b"};
}  // namespace

std::optional<PurchaseModel> ModelPurchases(const PurchaseHistories& histories,
                                            double unit_micros,
                                            absl::Span<const double> given,
                                            sdk::Result& result) {
  CustomerBase base = BuildCustomerBase(histories, unit_micros);
  result.SampleSize(static_cast<double>(base.customers.size()));
  WarnAboutLaterPurchases(histories, result);
  if (base.customers.empty()) {
    result.Undefined(
        "no purchases by calibration_end: there is no customer to fit or "
        "score");
    return std::nullopt;
  }
  std::optional<BgNbdParams> stored;
  if (auto v = GivenParameters(given, kBgNbdNames, "BG/NBD")) {
    stored = BgNbdParams{(*v)[0], (*v)[1], (*v)[2], (*v)[3]};
  }
  absl::StatusOr<UsedModel<BgNbdParams>> model =
      UseOrFitBgNbd(stored, base.grouped.rows);
  if (!model.ok()) {
    UndefinedBecause(model.status(), result);
    return std::nullopt;
  }
  return PurchaseModel{std::move(base), *std::move(model)};
}

void WritePurchaseModel(const UsedModel<BgNbdParams>& model,
                        std::string_view table, sdk::Result& result) {
  const BgNbdParams& p = model.params;
  const double values[] = {p.r, p.alpha, p.a, p.b};
  WriteModelTable(result, table, kBgNbdNames, values, model.report,
                  model.fitted);
}

}  // namespace kpi::predictive
