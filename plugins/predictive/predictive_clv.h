// plugins/predictive/predictive_clv.h -- the `predictive_clv` metric:
// customer lifetime value over a horizon as BG/NBD expected purchases times
// Gamma-Gamma expected spend (Fader, Hardie & Lee 2005, "RFM and CLV"),
// discounted and scaled by a margin.
//
// Per customer, with d the per-unit rate equivalent to the annual
// discount_rate:
//   clv = margin x E[M | x, m] x sum over k = 1 .. horizon of
//         (E[Y(k) | x, t_x, T] - E[Y(k - 1) | x, t_x, T]) / (1 + d)^k,
// the purchases expected in each future unit, discounted to now. Both
// models are fitted to the call's transactions unless their parameters are
// given. Value: the customers' total clv. Tables "purchase_model" and
// "spend_model" (as bgnbd's and gamma_gamma's "model"), and "customers" (by
// clv, highest first, then id: x, t_x, T, p_alive, expected_purchases over
// the horizon, expected_spend, clv).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_PREDICTIVE_PREDICTIVE_CLV_H_
#define KPI_PLUGINS_PREDICTIVE_PREDICTIVE_CLV_H_

#include <cstdint>

#include "kpi/plugin.hpp"
#include "plugins/predictive/cdnow_examples.h"
#include "plugins/predictive/declarations.h"
#include "plugins/predictive/purchase_histories.h"

namespace kpi::predictive {

class PredictiveClv {
 public:
  static constexpr kpi_input_spec kInputs[] = {kCustomerInput, kTimeInput,
                                               kAmountInput};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");
  static constexpr auto kAmount =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "amount");

  static constexpr kpi_param_spec kParams[] = {
      kCalibrationEndParam,
      kTimeUnitDaysParam,
      sdk::Int64Param("horizon", 52,
                      "Time units of future purchases the value counts (52 "
                      "weeks: a year).")
          .Integral()
          .Min(1)
          .Max(1000),
      sdk::DoubleParam("discount_rate", 0.1,
                       "Annual discount rate (0.1: 10% a year), applied per "
                       "time unit at the equivalent rate.")
          .Min(0)
          .Max(10),
      sdk::DoubleParam("margin", 1,
                       "Share of spend that is profit, 0..1 (1: the value is "
                       "revenue).")
          .Min(0)
          .Max(1),
      kRParam,
      kAlphaParam,
      kAParam,
      kBParam,
      kPParam,
      kQParam,
      kVParam};
  static constexpr auto kCalibrationEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "calibration_end");
  static constexpr auto kTimeUnitDays =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "time_unit_days");
  static constexpr auto kHorizon =
      sdk::Param<KPI_TYPE_INT64>(kParams, "horizon");
  static constexpr auto kDiscountRate =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "discount_rate");
  static constexpr auto kMargin =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "margin");
  static constexpr auto kR = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "r");
  static constexpr auto kAlpha = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "alpha");
  static constexpr auto kA = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "a");
  static constexpr auto kB = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "b");
  static constexpr auto kP = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "p");
  static constexpr auto kQ = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "q");
  static constexpr auto kV = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "v");

  static constexpr sdk::MetricInfo kInfo{
      "predictive_clv",
      "Predictive customer lifetime value from transactions (customer, "
      "time, amount) up to calibration_end: BG/NBD expected purchases in "
      "each of the next horizon time units times Gamma-Gamma expected spend "
      "per transaction, discounted at discount_rate a year and times margin. "
      "Both models fitted unless their parameters (r, alpha, a, b; p, q, v) "
      "are given. Value: the customers' total. Tables \"purchase_model\", "
      "\"spend_model\" and \"customers\" (highest clv first: x, t_x, T, "
      "p_alive, expected_purchases, expected_spend, clv). Undefined without "
      "purchases by calibration_end.",
      "amount"};

  // Declared examples, checked at load: CDNOW customers 0001-0003
  // (shared/datasets/cdnow/CDNOW_sample.txt) with both published fits
  // given, over the default year at 10% and full margin (the value
  // recomputed in mpmath from FHL 2005 eq. 10 and the Gamma-Gamma mean).
  static constexpr kpi_example_param kPublishedFits[] = {
      sdk::ExampleParam("calibration_end",
                        sdk::TimestampValue(kCdnowCalibrationEnd)),
      sdk::ExampleParam("r", sdk::DoubleValue(0.243)),
      sdk::ExampleParam("alpha", sdk::DoubleValue(4.414)),
      sdk::ExampleParam("a", sdk::DoubleValue(0.793)),
      sdk::ExampleParam("b", sdk::DoubleValue(2.426)),
      sdk::ExampleParam("p", sdk::DoubleValue(6.25)),
      sdk::ExampleParam("q", sdk::DoubleValue(3.74)),
      sdk::ExampleParam("v", sdk::DoubleValue(15.44))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("three CDNOW customers with the published fits",
                   kCdnowPurchasesWithAmounts)
          .Params(kPublishedFits)
          .Expect(49.943321213581002, 1e-9),
      sdk::Example("no purchases", kNoPurchasesWithAmounts)
          .Params(kPublishedFits)
          .ExpectUndefined()};

  explicit PredictiveClv(const sdk::Params& params);

  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` has the same parameters.
  void Merge(const PredictiveClv& other);
  // Undefined, with the reason, when a fit fails (see bgnbd.h,
  // gamma_gamma.h). Throws sdk::InvalidArgument when given parameters are
  // partial.
  void Finalize(sdk::Result& result) const;

 private:
  double unit_micros_;
  int64_t horizon_;
  double unit_discount_;  // per time unit
  double margin_;
  double purchase_given_[4];  // r, alpha, a, b
  double spend_given_[3];     // p, q, v
  PurchaseHistories histories_;
};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_PREDICTIVE_CLV_H_
