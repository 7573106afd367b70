// plugins/retention/retention_rate.h -- customer retention rate.
//
// retention = (E - N) / S x 100, in %, with S = customers_at_start,
// E = customers_at_end and N = new_customers: the share of the customers at
// the start who are still customers at the end. (E - S) / S, which popular
// articles give under this name, is net customer growth, not retention.
// Two input forms:
//   - aggregate: the scalars `customers_at_start`, `customers_at_end` and
//     `new_customers`;
//   - records: subscriptions (`customer`, `start`, `end`) and the period
//     (`period_start`, `period_end`), see PeriodStatus: S = customers active
//     at period_start, E = customers active at period_end, N = customers
//     active at period_end who were not active at period_start (first-time
//     and returning customers alike), so E - N is exactly the customers of S
//     still active at the end.
//
// The aggregate state is the three counts; the record state is per customer,
// so a customer's subscriptions may be split across chunks and states.
// Merging the states of segments gives the retention of their union.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_RETENTION_RETENTION_RATE_H_
#define KPI_PLUGINS_RETENTION_RETENTION_RATE_H_

#include "kpi/plugin.hpp"
#include "plugins/retention/examples.h"
#include "plugins/retention/period_status.h"

namespace kpi::retention {

class RetentionRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("customers_at_start", KPI_TYPE_INT64,
                  "Customers at the start of the period (S).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("customers_at_end", KPI_TYPE_INT64,
                  "Customers at the end of the period (E).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("new_customers", KPI_TYPE_INT64,
                  "Customers acquired during the period (N).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      subscription_records::kCustomer,
      subscription_records::kStart,
      subscription_records::kEnd};
  static constexpr auto kCustomersAtStart =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "customers_at_start");
  static constexpr auto kCustomersAtEnd =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "customers_at_end");
  static constexpr auto kNewCustomers =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "new_customers");
  static constexpr SubscriptionInputs kSubscriptions =
      FindSubscriptionInputs(kInputs);
  static constexpr auto& kInputOrders = subscription_records::kInputOrders;

  static constexpr kpi_param_spec kParams[] = {
      subscription_records::kPeriodStart,
      sdk::TimestampParam("period_end", 0,
                          "End of the period (records form): E is the "
                          "customers with a subscription active then.")
          .Required("records")};
  static constexpr auto kPeriodStart =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_start");
  static constexpr auto kPeriodEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_end");

  static constexpr sdk::MetricInfo kInfo{
      "retention_rate",
      "Customer retention rate: (customers_at_end - new_customers) / "
      "customers_at_start x 100, in %: the share of the customers at the "
      "start still customers at the end. Not (E - S) / S, which is net "
      "customer growth. From the totals, or from subscription records "
      "(customer, start, end) and period_start / period_end: a customer is "
      "active at t when a subscription has start <= t < end; S = active at "
      "period_start, E = active at period_end, N = active at period_end but "
      "not at period_start (new or returning), so E - N = customers of S "
      "still active. Undefined when customers_at_start is 0; a warning when "
      "more customers are retained than existed at the start.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example, the
  // January book of examples.h, no customers at the start.
  static constexpr int64_t kTwoHundred[] = {200};
  static constexpr int64_t kTwoHundredTwenty[] = {220};
  static constexpr int64_t kForty[] = {40};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("customers_at_start", kTwoHundred),
      sdk::ExampleInput("customers_at_end", kTwoHundredTwenty),
      sdk::ExampleInput("new_customers", kForty)};
  static constexpr kpi_example_input kNoCustomers[] = {
      sdk::ExampleInput("customers_at_start", kNone),
      sdk::ExampleInput("customers_at_end", kNone),
      sdk::ExampleInput("new_customers", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("S 200, N 40, E 220", kCatalogTotals).Expect(90),
      sdk::Example("January book: S 4, E 4, N 1", example::kJanuaryBook)
          .Params(example::kJanuary)
          .Expect(75),
      sdk::Example("no customers at the start", kNoCustomers)
          .ExpectUndefined()};

  explicit RetentionRate(const sdk::Params& params);

  // Adds the chunk's scalars (aggregate form) or subscriptions (records
  // form). Throws sdk::InvalidArgument when new_customers exceeds
  // customers_at_end (retained customers would be negative) and for an
  // empty period. (The host refuses a subscription ending before it
  // starts: kInputOrders.)
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric, created with the same
  // parameters.
  void Merge(const RetentionRate& other);
  // Value, ratio (E - N, S) and sample size (S); undefined when S is 0; a
  // warning when E - N exceeds S.
  void Finalize(sdk::Result& result) const;

 private:
  // Aggregate form: sums of whole numbers, kept as double: exact up to 2^53
  // and, unlike int64, merging states can never overflow.
  double customers_at_start_ = 0;
  double customers_at_end_ = 0;
  double new_customers_ = 0;
  // Records form.
  PeriodStatus records_;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_RETENTION_RATE_H_
