// plugins/revenue/mrr.h -- monthly recurring revenue.
//
// Record form: the sum of the monthly-normalised revenue (amount /
// billing_months) of the subscriptions active at `as_of` (start <= as_of <
// end), in the currency of `amount`. A 2,000/year plan adds 166.67, not
// 2,000. Aggregate form: customers x arpc (average revenue per customer per
// month). Never undefined: no active subscription is an MRR of 0, with a
// warning in the record form.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_MRR_H_
#define KPI_PLUGINS_REVENUE_MRR_H_

#include <cstdint>

#include "kpi/plugin.hpp"
#include "plugins/revenue/examples.h"
#include "plugins/revenue/subscriptions.h"

namespace kpi::revenue {

class Mrr {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("customers", KPI_TYPE_INT64, "Paying customers.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("arpc", KPI_TYPE_DOUBLE,
                  "Average monthly recurring revenue per paying customer.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      SubscriptionInput(kCustomer, "records"),
      SubscriptionInput(kAmount, "records"),
      SubscriptionInput(kBillingMonths, "records"),
      SubscriptionInput(kStart, "records"),
      SubscriptionInput(kEnd, "records")};
  static constexpr auto kCustomers =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "customers");
  static constexpr auto kArpc = sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "arpc");
  static constexpr SubscriptionInputs kSubscriptions =
      FindSubscriptionInputs(kInputs);
  static constexpr auto& kInputOrders = kSubscriptionOrders;

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("as_of", 0,
                          "The instant MRR is measured at (record form).")
          .Required("records")};
  static constexpr auto kAsOf =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "as_of");

  static constexpr sdk::MetricInfo kInfo{
      "mrr",
      "Monthly recurring revenue, in the currency of the input. Record form: "
      "sum of amount / billing_months over the subscriptions active at as_of "
      "(start <= as_of < end), so an annual plan counts 1/12 of its price. "
      "Aggregate form: customers x arpc. 0 when nothing is active.",
      "currency"};

  // Declared examples, checked at load: the catalog's worked examples (100
  // customers paying 50 a month; a 2,000/year plan is 166.67 a month) and
  // no subscription, which is an MRR of 0, not undefined.
  static constexpr int64_t kHundredCustomers[] = {100};
  static constexpr double kFifty[] = {50};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("customers", kHundredCustomers),
      sdk::ExampleInput("arpc", kFifty)};
  static constexpr kpi_string_view kAnnualCustomer[] = {sdk::Str("a")};
  static constexpr double kAnnualPrice[] = {2000};
  static constexpr int64_t kAnnual[] = {12};
  static constexpr int64_t kAnnualStart[] = {example::kJan1st};
  static constexpr int64_t kAnnualEnd[] = {example::kOpen};
  static constexpr kpi_example_input kAnnualPlan[] = {
      sdk::ExampleKeys("customer", kAnnualCustomer),
      sdk::ExampleInput("amount", kAnnualPrice),
      sdk::ExampleInput("billing_months", kAnnual),
      sdk::ExampleTimestamps("start", kAnnualStart),
      sdk::ExampleTimestamps("end", kAnnualEnd)};
  static constexpr kpi_example_input kNoSubscriptions[] = {
      sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
      sdk::ExampleEmptyColumn("amount", KPI_TYPE_DOUBLE),
      sdk::ExampleEmptyColumn("billing_months", KPI_TYPE_INT64),
      sdk::ExampleEmptyColumn("start", KPI_TYPE_TIMESTAMP),
      sdk::ExampleEmptyColumn("end", KPI_TYPE_TIMESTAMP)};
  static constexpr kpi_example_param kAsOfFeb1st[] = {
      sdk::ExampleParam("as_of", sdk::TimestampValue(example::kFeb1st))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("100 customers paying 50", kCatalogTotals).Expect(5000),
      sdk::Example("a 2,000/year plan", kAnnualPlan)
          .Params(kAsOfFeb1st)
          .Expect(2000.0 / 12, 1e-6),
      sdk::Example("no subscriptions", kNoSubscriptions)
          .Params(kAsOfFeb1st)
          .Expect(0)};

  explicit Mrr(const sdk::Params& params);

  // Adds the aggregate scalars or the subscription records of the chunk (the
  // host refuses an empty customer id).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const Mrr& other);
  // Value and sample size (customers; in the record form those with MRR at
  // as_of). A warning when no subscription is active at as_of.
  void Finalize(sdk::Result& result) const;

 private:
  int64_t as_of_;
  bool aggregate_ = false;  // the aggregate form arrived
  double aggregate_mrr_ = 0;
  double aggregate_customers_ = 0;
  SubscriptionBook book_;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_MRR_H_
