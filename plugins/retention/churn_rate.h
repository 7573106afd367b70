// plugins/retention/churn_rate.h -- logo churn rate.
//
// churn = customers_lost / customers_at_start x 100, in %, with the standard
// (ChartMogul) definition: S is the customers active at the start of the
// period, and only customers of S who left count as lost. A customer who
// joined and left inside the period is in neither count. Two input forms:
//   - aggregate: the scalars `customers_at_start` and `customers_lost`;
//   - records: subscriptions (`customer`, `start`, `end`) and the period
//     (`period_start`, `period_end`): S = customers active at period_start,
//     lost = customers of S not active at period_end (see PeriodStatus).
//
// The aggregate state is the two counts; the record state is per customer,
// so a customer's subscriptions may be split across chunks and states.
// Merging the states of segments gives the churn of their union.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_RETENTION_CHURN_RATE_H_
#define KPI_PLUGINS_RETENTION_CHURN_RATE_H_

#include "kpi/plugin.hpp"
#include "plugins/retention/examples.h"
#include "plugins/retention/period_status.h"

namespace kpi::retention {

class ChurnRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("customers_at_start", KPI_TYPE_INT64,
                  "Customers active at the start of the period (S).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("customers_lost", KPI_TYPE_INT64,
                  "Customers of S lost during the period. Customers who "
                  "joined and left inside the period are not counted.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      subscription_records::kCustomer, subscription_records::kStart,
      subscription_records::kEnd};
  static constexpr auto kCustomersAtStart =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "customers_at_start");
  static constexpr auto kCustomersLost =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "customers_lost");
  static constexpr SubscriptionInputs kSubscriptions =
      FindSubscriptionInputs(kInputs);
  static constexpr auto& kInputOrders = subscription_records::kInputOrders;

  static constexpr kpi_param_spec kParams[] = {
      subscription_records::kPeriodStart,
      sdk::TimestampParam("period_end", 0,
                          "End of the period (records form): customers of S "
                          "with no subscription active then are lost.")
          .Required("records")};
  static constexpr auto kPeriodStart =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_start");
  static constexpr auto kPeriodEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_end");

  static constexpr sdk::MetricInfo kInfo{
      "churn_rate",
      "Logo churn rate: customers_lost / customers_at_start x 100, in %. "
      "Standard (ChartMogul) definition: S is the customers active at the "
      "start of the period and only customers of S who left are lost; "
      "customers who joined and left inside the period are in neither "
      "count. From the totals, or from subscription records (customer, "
      "start, end) and period_start / period_end: a customer is active at t "
      "when a subscription has start <= t < end; S = customers active at "
      "period_start, lost = those of S not active at period_end. A monthly "
      "rate is never annualised by multiplying by 12 (annual retention = "
      "(1 - monthly churn)^12). Undefined when customers_at_start is 0.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example, the
  // January book of examples.h, no customers at the start.
  static constexpr int64_t kThousand[] = {1000};
  static constexpr int64_t kFifty[] = {50};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("customers_at_start", kThousand),
      sdk::ExampleInput("customers_lost", kFifty)};
  static constexpr kpi_example_input kNoCustomers[] = {
      sdk::ExampleInput("customers_at_start", kNone),
      sdk::ExampleInput("customers_lost", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("1,000 at the start, 50 lost", kCatalogTotals).Expect(5),
      sdk::Example("January book: 1 of 4 lost, 1 joined and left",
                   example::kJanuaryBook)
          .Params(example::kJanuary)
          .Expect(25),
      sdk::Example("no customers at the start", kNoCustomers)
          .ExpectUndefined()};

  explicit ChurnRate(const sdk::Params& params);

  // Adds the chunk's scalars (aggregate form) or subscriptions (records
  // form). Throws sdk::InvalidArgument when customers_lost exceeds
  // customers_at_start (the lost customers must come from S) and for an
  // empty period. (The host refuses a subscription ending before it
  // starts: kInputOrders.)
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric, created with the same
  // parameters.
  void Merge(const ChurnRate& other);
  // Value, ratio (lost, S) and sample size (S); undefined when S is 0.
  void Finalize(sdk::Result& result) const;

 private:
  // Aggregate form: sums of whole numbers, kept as double: exact up to 2^53
  // and, unlike int64, merging states can never overflow.
  double customers_at_start_ = 0;
  double customers_lost_ = 0;
  // Records form.
  PeriodStatus records_;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_CHURN_RATE_H_
