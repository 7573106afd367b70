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
#include "plugins/revenue/subscriptions.h"

namespace kpi::revenue {

class Mrr {
 public:
  enum Input { kCustomers, kArpc, kFirstSubscriptionColumn };
  enum Param { kAsOf };

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

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("as_of", 0,
                          "The instant MRR is measured at (record form).")
          .Required("records")};

  static constexpr sdk::MetricInfo kInfo{
      "mrr",
      "Monthly recurring revenue, in the currency of the input. Record form: "
      "sum of amount / billing_months over the subscriptions active at as_of "
      "(start <= as_of < end), so an annual plan counts 1/12 of its price. "
      "Aggregate form: customers x arpc. 0 when nothing is active.",
      "currency"};

  explicit Mrr(const sdk::Params& params);

  // Adds the aggregate scalars or the subscription records of the chunk.
  // Throws sdk::InvalidArgument for a subscription ending before it starts
  // or an empty customer id.
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
