// plugins/predictive/churn_risk.h -- the `churn_risk` metric: customers of
// a non-contractual business ranked by the BG/NBD probability that they have
// already left, 1 - P(alive), with bands, so a report can list the
// customers to contact first.
//
// From transactions (customer, time) up to calibration_end, with the
// BG/NBD model fitted (or given, as in bgnbd.h). Bands: "high" at
// risk >= high_risk, "medium" at risk >= medium_risk, else "low". Value:
// the share of customers in the high band, in %. Tables "model" (as bgnbd),
// "customers" (riskiest first, then by id: risk, band, p_alive, x, t_x, T,
// expected_purchases in the next horizon units) and "bands" (high, medium,
// low: customers).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_PREDICTIVE_CHURN_RISK_H_
#define KPI_PLUGINS_PREDICTIVE_CHURN_RISK_H_

#include <cstdint>

#include "kpi/plugin.hpp"
#include "plugins/predictive/cdnow_examples.h"
#include "plugins/predictive/declarations.h"
#include "plugins/predictive/purchase_histories.h"

namespace kpi::predictive {

class ChurnRisk {
 public:
  static constexpr kpi_input_spec kInputs[] = {kCustomerInput, kTimeInput};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");

  static constexpr kpi_param_spec kParams[] = {
      kCalibrationEndParam,
      kTimeUnitDaysParam,
      sdk::Int64Param("horizon", 39,
                      "Time units ahead for each customer's expected "
                      "purchases.")
          .Integral()
          .Min(1)
          .Max(1000),
      sdk::DoubleParam("high_risk", 0.7,
                       "Risk (1 - P(alive)) from which a customer is in the "
                       "\"high\" band.")
          .Min(0)
          .Max(1),
      sdk::DoubleParam("medium_risk", 0.3,
                       "Risk from which a customer is in the \"medium\" band; "
                       "not above high_risk.")
          .Min(0)
          .Max(1),
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
  static constexpr auto kHighRisk =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "high_risk");
  static constexpr auto kMediumRisk =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "medium_risk");
  static constexpr auto kR = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "r");
  static constexpr auto kAlpha = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "alpha");
  static constexpr auto kA = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "a");
  static constexpr auto kB = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "b");

  static constexpr sdk::MetricInfo kInfo{
      "churn_risk",
      "Churn risk of a non-contractual business: each customer's risk = 1 - "
      "P(alive) under the BG/NBD model of transactions (customer, time) up "
      "to calibration_end (fitted, or given by r, alpha, a, b). Bands: high "
      "(risk >= high_risk), medium (>= medium_risk), low. Value: the share "
      "of customers in the high band, in %. Tables \"model\", \"customers\" "
      "(riskiest first: risk, band, p_alive, x, t_x, T, expected_purchases) "
      "and \"bands\". Undefined without purchases by calibration_end.",
      "%"};

  // Declared examples, checked at load: CDNOW customers 0001-0003
  // (shared/datasets/cdnow/CDNOW_sample.txt) with the published BG/NBD fit
  // given and high_risk 0.5: 0002 (one repeat, in week 2) has risk 0.788,
  // the one of three in the high band; 0001 0.273; 0003 never bought
  // again, so P(alive) = 1 and its risk is 0.
  static constexpr kpi_example_param kPublishedFit[] = {
      sdk::ExampleParam("calibration_end",
                        sdk::TimestampValue(kCdnowCalibrationEnd)),
      sdk::ExampleParam("high_risk", sdk::DoubleValue(0.5)),
      sdk::ExampleParam("r", sdk::DoubleValue(0.243)),
      sdk::ExampleParam("alpha", sdk::DoubleValue(4.414)),
      sdk::ExampleParam("a", sdk::DoubleValue(0.793)),
      sdk::ExampleParam("b", sdk::DoubleValue(2.426))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("three CDNOW customers with the published fit",
                   kCdnowPurchases)
          .Params(kPublishedFit)
          .Expect(100.0 / 3, 1e-9),
      sdk::Example("no purchases", kNoPurchases)
          .Params(kPublishedFit)
          .ExpectUndefined()};

  // Throws sdk::InvalidArgument when medium_risk exceeds high_risk.
  explicit ChurnRisk(const sdk::Params& params);

  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` has the same parameters.
  void Merge(const ChurnRisk& other);
  // Undefined, with the reason, when the fit fails. Throws
  // sdk::InvalidArgument when the given parameters are partial.
  void Finalize(sdk::Result& result) const;

 private:
  double unit_micros_;
  double horizon_;
  double high_risk_;
  double medium_risk_;
  double given_[4];  // r, alpha, a, b; all 0 to fit
  PurchaseHistories histories_;
};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_CHURN_RISK_H_
