// plugins/retention/repeat_purchase_rate.h -- repeat purchase rate.
//
// repeat purchase rate = customers with >= 2 orders in the window /
// customers with >= 1 order in the window x 100, in %. Two input forms:
//   - aggregate: the scalars `repeat_customers` and `customers`;
//   - records: orders (`customer`, `time`) and the window (`window_start`,
//     `window_end`), half-open: an order counts when
//     window_start <= time < window_end. An order is a distinct
//     (customer, time): rows with the same customer and the same instant
//     are one order (the lines of a basket), so a table of order lines
//     does not make every multi-line buyer a repeat buyer. With dates only
//     (midnight timestamps), purchases on the same day are one order, the
//     convention of Fader, Hardie & Lee (2005) on the CDNOW data.
//
// The record state keeps, per customer who ordered in the window (by the
// host's key code), the first order instant seen and whether a second,
// different one was seen: exact whatever way a customer's orders are split
// across chunks and states.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_RETENTION_REPEAT_PURCHASE_RATE_H_
#define KPI_PLUGINS_RETENTION_REPEAT_PURCHASE_RATE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"
#include "plugins/retention/examples.h"
#include "plugins/retention/records.h"

namespace kpi::retention {

class RepeatPurchaseRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("repeat_customers", KPI_TYPE_INT64,
                  "Customers with two or more orders in the window.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("customers", KPI_TYPE_INT64,
                  "Customers with one or more orders in the window.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Column("customer", KPI_TYPE_KEY, "Customer id of each order.")
          .Required()
          .Form("records"),
      sdk::Column("time", KPI_TYPE_TIMESTAMP,
                  "When the order was placed. Rows with the same customer "
                  "and time are one order.")
          .Required()
          .Form("records")};
  static constexpr auto kRepeatCustomers =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "repeat_customers");
  static constexpr auto kCustomers =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "customers");
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("window_start", 0,
                          "Start of the window (records form, inclusive).")
          .Required("records"),
      sdk::TimestampParam("window_end", 0,
                          "End of the window (records form, exclusive).")
          .Required("records")};
  static constexpr auto kWindowStart =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "window_start");
  static constexpr auto kWindowEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "window_end");

  static constexpr sdk::MetricInfo kInfo{
      "repeat_purchase_rate",
      "Repeat purchase rate: customers with >= 2 orders in the window / "
      "customers with >= 1 order in the window x 100, in %. From the totals "
      "repeat_customers and customers, or from orders (customer, time) and "
      "window_start <= time < window_end; an order is a distinct (customer, "
      "time), so the lines of one basket are one order. Undefined when no "
      "customer ordered in the window.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example; orders
  // where only a repeats (b's two rows are one basket, c's first order and
  // d's second fall outside the window); no customers.
  static constexpr int64_t kTwoHundred[] = {200};
  static constexpr int64_t kThousand[] = {1000};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("repeat_customers", kTwoHundred),
      sdk::ExampleInput("customers", kThousand)};
  static constexpr kpi_string_view kOrderCustomers[] = {
      sdk::Str("a"), sdk::Str("a"), sdk::Str("b"), sdk::Str("b"),
      sdk::Str("c"), sdk::Str("c"), sdk::Str("d"), sdk::Str("d")};
  static constexpr int64_t kOrderTimes[] = {
      example::kJan5th,  example::kFeb10th,     example::kJan7th,
      example::kJan7th,  example::kDec20th2023, example::kJan15th,
      example::kJan20th, example::kApr1st};
  static constexpr kpi_example_input kOrders[] = {
      sdk::ExampleKeys("customer", kOrderCustomers),
      sdk::ExampleTimestamps("time", kOrderTimes)};
  static constexpr kpi_example_param kFirstQuarter[] = {
      sdk::ExampleParam("window_start", sdk::TimestampValue(example::kJan1st)),
      sdk::ExampleParam("window_end", sdk::TimestampValue(example::kApr1st))};
  static constexpr kpi_example_input kNoCustomers[] = {
      sdk::ExampleInput("repeat_customers", kNone),
      sdk::ExampleInput("customers", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("200 repeat buyers of 1,000", kCatalogTotals).Expect(20),
      sdk::Example("orders: 1 of 4 customers repeats", kOrders)
          .Params(kFirstQuarter)
          .Expect(25),
      sdk::Example("no customers", kNoCustomers).ExpectUndefined()};

  explicit RepeatPurchaseRate(const sdk::Params& params);

  // Adds the chunk's scalars (aggregate form) or orders (records form).
  // Throws sdk::InvalidArgument when repeat_customers exceeds customers,
  // and for an empty window.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric, created with the same
  // parameters.
  void Merge(const RepeatPurchaseRate& other);
  // Value, ratio (repeat customers, customers) and sample size (customers);
  // undefined when there are no customers.
  void Finalize(sdk::Result& result) const;

 private:
  // What the window holds of one customer's orders: enough to tell one
  // order from two.
  struct Orders {
    int64_t first = 0;    // the first order instant seen
    bool repeat = false;  // an order at another instant was seen
  };

  TimeRange window_;
  // Aggregate form: whole numbers kept as double (exact up to 2^53, no
  // overflow when merging).
  double repeat_customers_ = 0;
  double customers_ = 0;
  // Records form: customers with an order in the window.
  bool has_records_ = false;
  sdk::PerKey<Orders> orders_;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_REPEAT_PURCHASE_RATE_H_
