// plugins/predictive/gamma_gamma.h -- the `gamma_gamma` metric: the
// Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005,
// "RFM and CLV") fitted to the repeat buyers of a call's transactions, or
// given by a stored fit, and each customer's expected spend.
//
// From transactions (customer, time, amount) up to calibration_end: per
// customer x (repeat transactions) and m, the mean value of the repeat
// transactions (the first purchase is left out, as in the paper). p, q, v
// are fitted on the repeat buyers with m > 0 unless all three are given.
// Value: the population's mean spend per transaction, p v / (q - 1).
// Tables: "model" (one row: p, q, v, log_likelihood, gradient_norm,
// evaluations, fitted, and frequency_spend_correlation, the Pearson
// correlation of x and m over the repeat buyers when both vary) and
// "customers" (by id: x, mean_repeat_amount, expected_spend = E[M | x, m]).
// A warning when the correlation is far from 0: the model assumes spend
// independent of frequency.
//
// The state is every customer's calibration purchases (purchase_histories.h).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_PREDICTIVE_GAMMA_GAMMA_H_
#define KPI_PLUGINS_PREDICTIVE_GAMMA_GAMMA_H_

#include <cstdint>

#include "kpi/plugin.hpp"
#include "plugins/predictive/cdnow_examples.h"
#include "plugins/predictive/declarations.h"
#include "plugins/predictive/purchase_histories.h"

namespace kpi::predictive {

class GammaGamma {
 public:
  static constexpr kpi_input_spec kInputs[] = {kCustomerInput, kTimeInput,
                                               kAmountInput};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");
  static constexpr auto kAmount =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "amount");

  static constexpr kpi_param_spec kParams[] = {kCalibrationEndParam, kPParam,
                                               kQParam, kVParam};
  static constexpr auto kCalibrationEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "calibration_end");
  static constexpr auto kP = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "p");
  static constexpr auto kQ = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "q");
  static constexpr auto kV = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "v");

  static constexpr sdk::MetricInfo kInfo{
      "gamma_gamma",
      "Gamma-Gamma model (Fader, Hardie & Lee 2005) of spend per "
      "transaction from transactions (customer, time, amount) up to "
      "calibration_end. Per customer: x = repeat transactions (purchases at "
      "one instant are one, their amounts summed), m = mean value of the "
      "repeat transactions. Fits p, q, v on the repeat buyers (x > 0, "
      "m > 0), or predicts only when all three are given. Value: the mean "
      "spend per transaction, p v / (q - 1). Tables \"model\" (parameters, "
      "log_likelihood, gradient_norm, evaluations, fitted, "
      "frequency_spend_correlation) and \"customers\" (by id: x, "
      "mean_repeat_amount, expected_spend = p (v + x m) / (p x + q - 1)). "
      "Undefined without purchases by calibration_end.",
      "amount per transaction"};

  // Declared examples, checked at load: CDNOW customers 0001-0003
  // (shared/datasets/cdnow/CDNOW_sample.txt) with the published fit p =
  // 6.25, q = 3.74, v = 15.44 given: the value is p v / (q - 1).
  static constexpr kpi_example_param kPublishedFit[] = {
      sdk::ExampleParam("calibration_end",
                        sdk::TimestampValue(kCdnowCalibrationEnd)),
      sdk::ExampleParam("p", sdk::DoubleValue(6.25)),
      sdk::ExampleParam("q", sdk::DoubleValue(3.74)),
      sdk::ExampleParam("v", sdk::DoubleValue(15.44))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("three CDNOW customers with the published fit",
                   kCdnowPurchasesWithAmounts)
          .Params(kPublishedFit)
          .Expect(6.25 * 15.44 / 2.74, 1e-9),
      sdk::Example("no purchases", kNoPurchasesWithAmounts)
          .Params(kPublishedFit)
          .ExpectUndefined()};

  explicit GammaGamma(const sdk::Params& params);

  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` has the same parameters.
  void Merge(const GammaGamma& other);
  // Undefined, with the reason, when the fit fails (no repeat buyer with a
  // positive mean, values that do not identify the model) or q <= 1 (the
  // mean spend is infinite). Throws sdk::InvalidArgument when the given
  // parameters are partial.
  void Finalize(sdk::Result& result) const;

 private:
  double given_[3];  // p, q, v; all 0 to fit
  PurchaseHistories histories_;
};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_GAMMA_GAMMA_H_
