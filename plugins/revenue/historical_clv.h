// plugins/revenue/historical_clv.h -- historical customer lifetime value,
// the simple form.
//
//   CLV = average_purchase_value x purchase_frequency x lifespan_years
//         x gross_margin
// in the currency of the input, with purchase_frequency in purchases per
// customer per year. Record form, from transactions (customer, time,
// amount) over the observed span (last - first transaction time, over all
// rows, in years of 365.25 days):
//   average_purchase_value = revenue / transactions
//   purchase_frequency     = transactions / customers / span
// so CLV = revenue per customer per observed year x lifespan x margin.
// Undefined without transactions, and when the span is 0 (every
// transaction at one instant: no rate per year can be observed).
//
// lifespan_years is a parameter in both forms: it is an assumption about
// the future, not something the records show (and inputs and parameters
// share one namespace).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_HISTORICAL_CLV_H_
#define KPI_PLUGINS_REVENUE_HISTORICAL_CLV_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kpi/plugin.hpp"
#include "plugins/revenue/examples.h"
#include "plugins/revenue/money.h"

namespace kpi::revenue {

class HistoricalClv {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("average_purchase_value", KPI_TYPE_DOUBLE,
                  "Average revenue per purchase.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("purchase_frequency", KPI_TYPE_DOUBLE,
                  "Purchases per customer per year.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Column("customer", KPI_TYPE_KEY,
                  "Customer who made the purchase (not empty).")
          .Required()
          .Form("records"),
      sdk::Column("time", KPI_TYPE_TIMESTAMP, "When the purchase was made.")
          .Required()
          .Form("records"),
      sdk::Column("amount", KPI_TYPE_DOUBLE,
                  "Revenue of the purchase, in the currency of the result.")
          .Required()
          .Min(0)
          .Max(kMaxAmount)
          .Form("records")};
  static constexpr auto kAveragePurchaseValue =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "average_purchase_value");
  static constexpr auto kPurchaseFrequency =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "purchase_frequency");
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");
  static constexpr auto kAmount =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "amount");

  static constexpr kpi_param_spec kParams[] = {
      sdk::DoubleParam("lifespan_years", 0,
                       "Expected customer lifespan, in years.")
          .Min(0)
          .Required(),
      sdk::DoubleParam("gross_margin", 1,
                       "Share of revenue kept as margin, 0..1 (1: CLV in "
                       "revenue).")
          .Min(0)
          .Max(1)};
  static constexpr auto kLifespanYears =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "lifespan_years");
  static constexpr auto kGrossMargin =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "gross_margin");

  static constexpr sdk::MetricInfo kInfo{
      "historical_clv",
      "Historical customer lifetime value: average_purchase_value x "
      "purchase_frequency (per year) x lifespan_years x gross_margin, in the "
      "currency of the input. Record form, from transactions: average "
      "purchase value = revenue / transactions, purchase frequency = "
      "transactions / customers / observed span in years (last - first "
      "transaction time, years of 365.25 days). Undefined without "
      "transactions or when the span is 0.",
      "currency"};

  // Declared examples, checked at load: the catalog's worked example (APV
  // 50 x 4 purchases a year x 5 years) as totals and as one customer's
  // four purchases of 40 and 60 spanning exactly one year (365.25
  // days); no purchases.
  static constexpr double kFifty[] = {50};
  static constexpr double kFour[] = {4};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("average_purchase_value", kFifty),
      sdk::ExampleInput("purchase_frequency", kFour)};
  static constexpr kpi_string_view kBuyer[] = {sdk::Str("x"), sdk::Str("x"),
                                               sdk::Str("x"), sdk::Str("x")};
  static constexpr int64_t kPurchaseTimes[] = {
      example::kJan1st2023, example::kApr1st2023, example::kOct1st2023,
      example::kJan1st6am};
  static constexpr double kPurchaseAmounts[] = {40, 60, 40, 60};
  static constexpr kpi_example_input kPurchases[] = {
      sdk::ExampleKeys("customer", kBuyer),
      sdk::ExampleTimestamps("time", kPurchaseTimes),
      sdk::ExampleInput("amount", kPurchaseAmounts)};
  static constexpr kpi_example_input kNoPurchases[] = {
      sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
      sdk::ExampleEmptyColumn("time", KPI_TYPE_TIMESTAMP),
      sdk::ExampleEmptyColumn("amount", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example_param kFiveYears[] = {
      sdk::ExampleParam("lifespan_years", sdk::DoubleValue(5))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("APV 50 x 4 a year x 5 years", kCatalogTotals)
          .Params(kFiveYears)
          .Expect(1000),
      sdk::Example("one buyer's year of purchases", kPurchases)
          .Params(kFiveYears)
          .Expect(1000),
      sdk::Example("no purchases", kNoPurchases)
          .Params(kFiveYears)
          .ExpectUndefined()};

  explicit HistoricalClv(const sdk::Params& params);

  // Takes the aggregate scalars or adds the chunk's transactions (the host
  // refuses an empty customer id).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters. Throws sdk::InvalidArgument when both carry aggregate
  // scalars (a lifetime value cannot be summed).
  void Merge(const HistoricalClv& other);
  // Value; in the record form also sample size (customers). Undefined as
  // above.
  void Finalize(sdk::Result& result) const;

 private:
  double lifespan_years_;
  double gross_margin_;
  bool aggregate_ = false;  // the aggregate form arrived
  double average_purchase_value_ = 0;
  double purchase_frequency_ = 0;
  // Record form.
  double transactions_ = 0;  // a count, exact up to 2^53
  Nanos revenue_ = 0;
  int64_t first_time_ = INT64_MAX;
  int64_t last_time_ = INT64_MIN;
  // Whether each customer (by the host's key code) made a transaction in
  // this state, and how many did.
  std::vector<uint8_t> bought_;
  size_t customers_ = 0;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_HISTORICAL_CLV_H_
