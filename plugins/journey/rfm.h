// plugins/journey/rfm.h -- RFM segmentation.
//
// Transactions (customer, time, amount) up to an as_of instant. Per
// customer: recency = days from the last purchase to as_of, frequency = the
// number of transactions, monetary = their total amount. Each is scored
// 1..q (q = quantiles, 5 or 4) by quantile bins, ties sharing the score of
// their middle (see quantile_score.h); recency in reverse, so the most recent
// buyers score highest. The scores name a segment by the first matching rule of
// kRfmSegments. Tables: "customers" (one row per customer, sorted by id)
// and "segments" (customers per segment, in rule order); the value is the
// number of customers.
//
// The state is one small record per customer (last purchase, count, sum),
// by the host's key code, merged by max and addition, so a customer's
// transactions may arrive in any chunk or state. Amounts are summed with
// Neumaier's compensation, so a customer's total does not depend on how the
// rows were split.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_JOURNEY_RFM_H_
#define KPI_PLUGINS_JOURNEY_RFM_H_

#include <cstdint>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"

namespace kpi::journey {

// A named RFM segment: the score ranges it takes, inclusive. A bound <= 0
// is relative to the top score q: 0 means q, -1 means q - 1. So "high" (the
// top two bins) is [-1, 0]: 4-5 with 5 quantiles, 3-4 with 4.
struct RfmSegmentRule {
  const char* name;
  int r_min, r_max;
  int f_min, f_max;
  int m_min, m_max;
};

// The segment rules; a customer belongs to the first that matches, and the
// last matches everyone.
inline constexpr RfmSegmentRule kRfmSegments[] = {
    // Bought recently, often, and spent the most.
    {"champions", -1, 0, -1, 0, -1, 0},
    // Bought often and spent much, but not lately: win them back.
    {"at_risk", 1, 2, -1, 0, -1, 0},
    // Buy often and not long ago.
    {"loyal", 3, 0, -1, 0, 1, 0},
    // Bought recently, and rarely (first purchases): the two lowest
    // frequency scores, since tied one-time buyers share the score of their
    // middle (quantile_score.h).
    {"new", -1, 0, 1, 2, 1, 0},
    // The longest gone, and bought rarely.
    {"lost", 1, 1, 1, 2, 1, 0},
    // Gone a while, and bought rarely.
    {"hibernating", 1, 2, 1, 2, 1, 0},
    // Everyone else.
    {"others", 1, 0, 1, 0, 1, 0},
};

class Rfm {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_KEY,
                  "The customer who made the purchase.")
          .Required(),
      sdk::Column("time", KPI_TYPE_TIMESTAMP,
                  "When the purchase was made; not after as_of.")
          .Required(),
      sdk::Column("amount", KPI_TYPE_DOUBLE,
                  "What the purchase was worth (revenue), >= 0.")
          .Required()
          .Min(0)};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");
  static constexpr auto kAmount =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "amount");

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("as_of", 0,
                          "The instant recency is measured to, usually the "
                          "end of the data; no transaction may be later.")
          .Required(),
      sdk::Int64Param("quantiles", 5,
                      "Scores per dimension: 5 (quintiles, 1-5) or 4 "
                      "(quartiles, 1-4).")
          .Integral()
          .Min(4)
          .Max(5)};
  static constexpr auto kAsOf =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "as_of");
  static constexpr auto kQuantiles =
      sdk::Param<KPI_TYPE_INT64>(kParams, "quantiles");

  static constexpr sdk::MetricInfo kInfo{
      "rfm",
      "RFM segmentation of transactions (customer, time, amount) as of an "
      "instant. Per customer: recency_days = (as_of - last purchase) in "
      "days, frequency = transactions, monetary = total amount; each scored "
      "1..q (quantiles, 5 or 4) as 1 + floor(q x mid / customers), mid "
      "being the middle rank (from 0, worst first) of the customers tied "
      "with it, so ties share the score of their middle; recency in reverse "
      "(recent = high). Segments, first match wins, with high = q-1..q: "
      "champions (R, "
      "F, M high), at_risk (R <= 2, F and M high), loyal (R >= 3, F high), "
      "new (R high, F <= 2), lost (R = 1, F <= 2), hibernating (R <= 2, F <= "
      "2), others. Tables \"customers\" (by customer id) and \"segments\". "
      "Value: the number of customers. Undefined without transactions.",
      "customers"};

  // Declared examples, checked at load: four purchases of three customers
  // (the value counts customers); no purchases.
  static constexpr kpi_string_view kBuyers[] = {sdk::Str("a"), sdk::Str("a"),
                                                sdk::Str("b"), sdk::Str("c")};
  // 2024-01-05, 2024-02-10, 2024-01-20, 2024-02-20 (us since the epoch).
  static constexpr int64_t kPurchaseTimes[] = {
      1704412800000000, 1707523200000000, 1705708800000000, 1708387200000000};
  static constexpr double kPurchaseAmounts[] = {100, 50, 30, 200};
  static constexpr kpi_example_input kPurchases[] = {
      sdk::ExampleKeys("customer", kBuyers),
      sdk::ExampleTimestamps("time", kPurchaseTimes),
      sdk::ExampleInput("amount", kPurchaseAmounts)};
  static constexpr kpi_example_input kNoPurchases[] = {
      sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
      sdk::ExampleEmptyColumn("time", KPI_TYPE_TIMESTAMP),
      sdk::ExampleEmptyColumn("amount", KPI_TYPE_DOUBLE)};
  // 2024-03-01.
  static constexpr kpi_example_param kAsOfMarch[] = {
      sdk::ExampleParam("as_of", sdk::TimestampValue(1709251200000000))};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("three customers", kPurchases).Params(kAsOfMarch).Expect(3),
      sdk::Example("no purchases", kNoPurchases)
          .Params(kAsOfMarch)
          .ExpectUndefined()};

  explicit Rfm(const sdk::Params& params);

  // Folds the chunk's transactions into the per-customer records. Throws
  // sdk::InvalidArgument, naming the customer, for a transaction after
  // as_of.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` has the same parameters.
  void Merge(const Rfm& other);
  // Value (customers), sample size (customers), tables "customers" and
  // "segments"; undefined without transactions; a warning when there are
  // fewer customers than quantiles.
  void Finalize(sdk::Result& result) const;

 private:
  struct Totals {
    int64_t last = 0;  // latest purchase, us since the epoch
    int64_t transactions = 0;
    // Neumaier sum of the amounts: sum + compensation.
    double sum = 0;
    double compensation = 0;

    void AddAmount(double amount);
    double Monetary() const { return sum + compensation; }
  };

  int64_t as_of_;
  int64_t quantiles_;
  sdk::PerKey<Totals> customers_;
};

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_RFM_H_
