// plugins/predictive/bgnbd.h -- the `bgnbd` metric: the BG/NBD model of
// repeat purchasing (Fader, Hardie & Lee 2005) fitted to transactions, or
// given by a stored fit, and its predictions per customer.
//
// From transactions (customer, time) and the calibration end, every
// customer's (x, t_x, T) in time units (customer_summary.h conventions);
// r, alpha, a, b fitted by maximum likelihood unless all four are given.
// Value: the repeat purchases these customers are expected to make in the
// next `horizon` units, summed. Tables: "model" (one row: r, alpha, a, b,
// log_likelihood, gradient_norm, evaluations, fitted), "customers" (by id:
// x, t_x, T, p_alive, expected_purchases) and "population" (period 1 ..
// horizon: expected_purchases, the cumulative repeat purchases E[X(t)] of
// a new customer).
//
// The state is every customer's calibration purchases (purchase_histories.h),
// merged by concatenation: exact whatever way rows are split.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_PREDICTIVE_BGNBD_H_
#define KPI_PLUGINS_PREDICTIVE_BGNBD_H_

#include <cstdint>

#include "kpi/plugin.hpp"
#include "plugins/predictive/cdnow_examples.h"
#include "plugins/predictive/declarations.h"
#include "plugins/predictive/purchase_histories.h"

namespace kpi::predictive {

class BgNbd {
 public:
  static constexpr kpi_input_spec kInputs[] = {kCustomerInput, kTimeInput};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");

  static constexpr kpi_param_spec kParams[] = {
      kCalibrationEndParam,
      kTimeUnitDaysParam,
      sdk::Int64Param("horizon", 39,
                      "Time units ahead to predict purchases for (39 weeks "
                      "is the CDNOW holdout period).")
          .Integral()
          .Min(1)
          .Max(1000),
      kRParam,
      kAlphaParam,
      kAParam,
      kBParam};
  static constexpr auto kCalibrationEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "calibration_end");
  static constexpr auto kTimeUnitDays =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "time_unit_days");
  static constexpr auto kHorizon =
      sdk::Param<KPI_TYPE_INT64>(kParams, "horizon");
  static constexpr auto kR = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "r");
  static constexpr auto kAlpha = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "alpha");
  static constexpr auto kA = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "a");
  static constexpr auto kB = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "b");

  static constexpr sdk::MetricInfo kInfo{
      "bgnbd",
      "BG/NBD model (Fader, Hardie & Lee 2005) of repeat purchases from "
      "transactions (customer, time) up to calibration_end. Per customer, in "
      "time units (time_unit_days, weeks by default): x = repeat "
      "transactions (purchases at one instant are one), t_x = first to last "
      "purchase, T = first purchase to calibration_end. Fits r, alpha, a, b "
      "by maximum likelihood, or predicts only when all four are given. "
      "Value: repeat purchases expected of these customers in the next "
      "horizon units. Tables \"model\" (parameters, log_likelihood, "
      "gradient_norm, evaluations, fitted), \"customers\" (by id: x, t_x, T, "
      "p_alive, expected_purchases) and \"population\" (expected cumulative "
      "repeat purchases of a new customer per period). Undefined without "
      "purchases by calibration_end.",
      "purchases"};

  // Declared examples, checked at load: the CDNOW customers of
  // cdnow_examples.h with FHL (2005)'s estimates given. Expected purchases
  // in the next 39 weeks, by FHL (2005) eq. 10 in mpmath: 1.2261158,
  // 0.2033510 and 0.1951097.
  static constexpr kpi_example_param kPublishedFit[] = {
      sdk::ExampleParam("calibration_end",
                        sdk::TimestampValue(kCdnowCalibrationEnd)),
      sdk::ExampleParam("r", sdk::DoubleValue(0.243)),
      sdk::ExampleParam("alpha", sdk::DoubleValue(4.414)),
      sdk::ExampleParam("a", sdk::DoubleValue(0.793)),
      sdk::ExampleParam("b", sdk::DoubleValue(2.426))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("three CDNOW customers with the published fit",
                   kCdnowPurchases)
          .Params(kPublishedFit)
          .Expect(1.6245765122292159, 1e-9),
      sdk::Example("no purchases", kNoPurchases)
          .Params(kPublishedFit)
          .ExpectUndefined()};

  explicit BgNbd(const sdk::Params& params);

  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` has the same parameters.
  void Merge(const BgNbd& other);
  // Undefined, with the fit's reason, when the fit fails (no repeat
  // purchases, a degenerate calibration period, data that do not identify
  // the model). Throws sdk::InvalidArgument when the given parameters are
  // partial or an expectation cannot be evaluated.
  void Finalize(sdk::Result& result) const;

 private:
  double unit_micros_;
  double horizon_;
  double given_[4];  // r, alpha, a, b; all 0 to fit
  PurchaseHistories histories_;
};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_BGNBD_H_
