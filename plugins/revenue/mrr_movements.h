// plugins/revenue/mrr_movements.h -- the MRR bridge between two instants.
//
// From subscription records, each customer's MRR at period_start and at
// period_end (see subscriptions.h) is compared and classified as new,
// expansion, reactivation, contraction or churn (see movements.h). The
// result is the table "movements" -- columns movement (starting, new,
// expansion, reactivation, contraction, churn, ending), mrr and customers --
// whose rows satisfy
//   ending = starting + new + expansion + reactivation - contraction - churn
// exactly, and whose headline value is the net new MRR, ending - starting.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_MRR_MOVEMENTS_H_
#define KPI_PLUGINS_REVENUE_MRR_MOVEMENTS_H_

#include "kpi/plugin.hpp"
#include "plugins/revenue/examples.h"
#include "plugins/revenue/movements.h"
#include "plugins/revenue/subscriptions.h"

namespace kpi::revenue {

class MrrMovementsMetric {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      SubscriptionInput(kCustomer, nullptr),
      SubscriptionInput(kAmount, nullptr),
      SubscriptionInput(kBillingMonths, nullptr),
      SubscriptionInput(kStart, nullptr), SubscriptionInput(kEnd, nullptr)};
  static constexpr SubscriptionInputs kSubscriptions =
      FindSubscriptionInputs(kInputs);
  static constexpr auto& kInputOrders = kSubscriptionOrders;

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("period_start", 0,
                          "Start of the period: the first MRR snapshot.")
          .Required(),
      sdk::TimestampParam("period_end", 0,
                          "End of the period: the second MRR snapshot; after "
                          "period_start.")
          .Required()};
  static constexpr auto kPeriodStart =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_start");
  static constexpr auto kPeriodEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_end");

  static constexpr sdk::MetricInfo kInfo{
      "mrr_movements",
      "MRR movements between period_start and period_end, in the currency of "
      "the input: each customer's MRR at both instants (amount / "
      "billing_months of the subscriptions active then) is compared once: "
      "new (0 -> >0, never paid before), reactivation (0 -> >0, paid "
      "before), expansion, contraction, churn (>0 -> 0). Table 'movements' "
      "(movement, mrr, customers; contraction and churn as positive "
      "amounts) with ending = starting + new + expansion + reactivation - "
      "contraction - churn exactly. Value: net new MRR, ending - starting.",
      "currency"};

  // Declared example, checked at load: the churn book of examples.h, whose
  // MRR goes from 100 to 90.
  static constexpr kpi_example kExamples[] = {
      sdk::Example("churn, contraction and expansion of 10 each",
                   example::kChurnBook)
          .Params(example::kJanuary)
          .Expect(-10)};

  // Throws sdk::InvalidArgument unless period_start < period_end.
  explicit MrrMovementsMetric(const sdk::Params& params);

  // Reads the chunk's subscription records (the host refuses an empty
  // customer id).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const MrrMovementsMetric& other);
  // Value (net new MRR), the table "movements", sample size (customers with
  // MRR at either instant); a warning when there are none.
  void Finalize(sdk::Result& result) const;

 private:
  MovementBook book_;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_MRR_MOVEMENTS_H_
