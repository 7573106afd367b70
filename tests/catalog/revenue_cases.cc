// Catalog cases of the revenue family: mrr, mrr_movements,
// gross_revenue_churn, net_revenue_churn, historical_clv and
// contractual_clv. Worked examples are from ../shared/kpi-catalog.md
// ("Revenue family"); the other expectations are computed by hand in the
// comments beside them.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tests/catalog/catalog_harness.h"
#include "tests/catalog/declared_example_cases.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// One subscription record; "" as `end` is an active subscription.
struct Subscription {
  std::string customer;
  double amount;
  int64_t billing_months;
  std::string start;
  std::string end;
};

// `request` with the five subscription columns of `rows`.
Request WithSubscriptions(Request request,
                          const std::vector<Subscription>& rows) {
  std::vector<std::string> customers, starts, ends;
  std::vector<double> amounts;
  std::vector<int64_t> months;
  for (const Subscription& row : rows) {
    customers.push_back(row.customer);
    amounts.push_back(row.amount);
    months.push_back(row.billing_months);
    starts.push_back(row.start);
    ends.push_back(row.end);
  }
  request.Strings("customer", customers)
      .Doubles("amount", amounts)
      .Int64s("billing_months", months)
      .Timestamps("start", starts)
      .Timestamps("end", ends);
  return request;
}

// One purchase.
struct Transaction {
  std::string customer;
  std::string time;
  double amount;
};

Request WithTransactions(Request request,
                         const std::vector<Transaction>& rows) {
  std::vector<std::string> customers, times;
  std::vector<double> amounts;
  for (const Transaction& row : rows) {
    customers.push_back(row.customer);
    times.push_back(row.time);
    amounts.push_back(row.amount);
  }
  request.Strings("customer", customers)
      .Timestamps("time", times)
      .Doubles("amount", amounts);
  return request;
}

// 100 customers paying 50 a month, half of them on a 600/year plan.
std::vector<Subscription> HundredCustomersPaying50() {
  std::vector<Subscription> rows;
  for (int i = 0; i < 100; ++i) {
    const std::string id = "c" + std::to_string(i);
    if (i % 2 == 0) {
      rows.push_back({id, 50, 1, "2024-01-01", ""});
    } else {
      rows.push_back({id, 600, 12, "2023-07-01", ""});
    }
  }
  // Not active at 2024-06-01: ended before, ended exactly then, starts later.
  rows.push_back({"c0", 70, 1, "2023-01-01", "2024-03-01"});
  rows.push_back({"gone", 50, 1, "2023-01-01", "2024-06-01"});
  rows.push_back({"later", 50, 1, "2024-06-02", ""});
  return rows;
}

// Every movement, with whole amounts so each number is exact; measured over
// [2024-01-01, 2024-02-01). Per customer, MRR at start -> at end:
//   keep   100 -> 100  unchanged
//   up      50 ->  80  expansion 30
//   down   100 ->  60  contraction 40 (an annual 1,200 plan is 100 a month)
//   gone    70 ->   0  churn 70
//   fresh    0 ->  25  new
//   trial    0 ->  30  new (a free trial before is not paid history)
//   later    0 ->  90  new (starts exactly at period_end: active then)
//   back     0 ->  45  reactivation (paid 40 in 2023)
//   edge     0 ->  20  reactivation (its last plan ended at period_start)
//   blip     0 ->   0  joined and left inside the period: no movement
//   old      0 ->   0  history only
// starting 320 (4) + new 145 (3) + expansion 30 (1) + reactivation 65 (2)
// - contraction 40 (1) - churn 70 (1) = ending 450 (8).
std::vector<Subscription> EveryMovement() {
  return {
      {"keep", 100, 1, "2023-06-01", ""},
      {"up", 50, 1, "2023-06-01", "2024-01-15"},
      {"up", 80, 1, "2024-01-15", ""},
      {"down", 1200, 12, "2023-01-01", "2024-01-10"},
      {"down", 60, 1, "2024-01-10", ""},
      {"gone", 70, 1, "2023-03-01", "2024-01-20"},
      {"fresh", 25, 1, "2024-01-05", ""},
      {"trial", 0, 1, "2023-12-01", "2024-01-10"},
      {"trial", 30, 1, "2024-01-10", ""},
      {"later", 90, 1, "2024-02-01", ""},
      {"back", 40, 1, "2023-01-01", "2023-09-01"},
      {"back", 45, 1, "2024-01-25", ""},
      {"edge", 20, 1, "2023-11-01", "2024-01-01"},
      {"edge", 20, 1, "2024-01-31", ""},
      {"blip", 10, 1, "2024-01-03", "2024-01-09"},
      {"old", 500, 12, "2020-01-01", "2021-01-01"},
  };
}

// The catalog's worked example as records over [2024-01-01, 2024-02-01):
// MRR 100 at the start, 10 churned (b), 10 contraction (c), 10 expansion
// (d, from a 360/year plan to 40 a month); e joins and leaves inside.
std::vector<Subscription> WorkedRevenueChurn() {
  return {
      {"a", 40, 1, "2023-01-01", ""},
      {"b", 10, 1, "2023-01-01", "2024-01-15"},
      {"c", 20, 1, "2023-01-01", "2024-01-10"},
      {"c", 10, 1, "2024-01-10", ""},
      {"d", 360, 12, "2023-01-01", "2024-01-20"},
      {"d", 40, 1, "2024-01-20", ""},
      {"e", 15, 1, "2024-01-02", "2024-01-28"},
  };
}

// Three customers buying 4 times each (40 and 60 alternately, so the
// average purchase is 50) over exactly one year of 365.25 days:
// purchase frequency 12 / 3 / 1 = 4 a year.
std::vector<Transaction> FourPurchasesAYearOf50() {
  return {
      {"x", "2023-01-01T00:00:00Z", 40}, {"y", "2023-02-01", 60},
      {"z", "2023-03-01", 40},           {"x", "2023-04-01", 60},
      {"y", "2023-05-01", 40},           {"z", "2023-06-01", 60},
      {"x", "2023-07-01", 40},           {"y", "2023-08-01", 60},
      {"z", "2023-09-01", 40},           {"x", "2023-10-01", 60},
      {"z", "2023-12-01", 40},           {"y", "2024-01-01T06:00:00Z", 60},
  };
}

Request Movements(const std::vector<Subscription>& rows) {
  return WithSubscriptions(Request("mrr_movements")
                               .ParamTime("period_start", "2024-01-01")
                               .ParamTime("period_end", "2024-02-01"),
                           rows);
}

Request ChurnRecords(const std::string& metric,
                     const std::vector<Subscription>& rows) {
  return WithSubscriptions(Request(metric)
                               .ParamTime("period_start", "2024-01-01")
                               .ParamTime("period_end", "2024-02-01"),
                           rows);
}

const std::vector<std::string> kMovementNames = {
    "starting",    "new",   "expansion", "reactivation",
    "contraction", "churn", "ending"};

std::vector<CatalogCase> MrrCases() {
  return {
      {"MrrCountsItsExamplesCustomers",
       ExampleRequest("mrr", "100 customers paying 50"),
       std::move(Expect::Ok().SampleSize(100).Unit("currency"))},
      {"MrrOfNoCustomersIsZero",
       Request("mrr").Int("customers", 0).Double("arpc", 50),
       Expect::Value(0).SampleSize(0)},
      // Catalog: a 2,000/year plan -> MRR 166.67 (2000 / 12). The other rows
      // are not active at as_of.
      {"MrrOfA2000PerYearPlanIsATwelfth",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-06-01"),
                         {{"annual", 2000, 12, "2024-01-01", ""},
                          {"annual", 2000, 12, "2023-01-01", "2024-01-01"},
                          {"old", 50, 1, "2022-01-01", "2023-01-01"},
                          {"next", 50, 1, "2024-07-01", ""}}),
       Expect::Value(2000.0 / 12).SampleSize(1).Unit("currency")},
      {"MrrRecordsOf100CustomersPaying50",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-06-01"),
                         HundredCustomersPaying50()),
       Expect::Value(5000).SampleSize(100)},
      // Monthly 100 + quarterly 300 (100/month) for one customer, annual
      // 1,000 for another; start is inclusive, end exclusive.
      {"MrrSumsACustomersSubscriptionsOverBillingPeriods",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-03-01"),
                         {{"a", 100, 1, "2024-03-01", ""},
                          {"a", 300, 3, "2024-01-01", "2024-04-01"},
                          {"a", 999, 1, "2024-01-01", "2024-03-01"},
                          {"b", 1000, 12, "2023-03-01", "2025-03-01"},
                          {"c", 0, 1, "2024-01-01", ""}}),
       Expect::Value(200 + 1000.0 / 12).SampleSize(2)},
      {"MrrIsZeroWithAWarningWhenNothingIsActive",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2025-01-01"),
                         {{"a", 100, 1, "2024-01-01", "2024-06-01"},
                          {"b", 100, 1, "2025-02-01", ""},
                          {"c", 0, 1, "2024-01-01", ""}}),
       Expect::Value(0).SampleSize(0).Warning(
           "no paid subscription is active at as_of "
           "(2025-01-01T00:00:00Z): MRR is 0")},
      {"MrrIsUndefinedWhenCustomersTimesArpcOverflows",
       Request("mrr").Int("customers", 10).Double("arpc", 1e308),
       Expect::Undefined("too large to represent")},
      {"MrrRefusesASubscriptionEndingBeforeItStarts",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-06-01"),
                         {{"a", 100, 1, "2024-01-01", ""},
                          {"zed", 100, 1, "2024-03-01", "2024-02-01"}}),
       Expect::Error(
           StatusCode::kInvalidArgument,
           "input 'end' row 1: 2024-02-01T00:00:00Z is before input 'start' "
           "(2024-03-01T00:00:00Z) in the same row; end must not be before "
           "start")},
      {"MrrRefusesAnEmptyCustomerId",
       WithSubscriptions(
           Request("mrr").ParamTime("as_of", "2024-06-01"),
           {{"a", 100, 1, "2024-01-01", ""}, {"", 100, 1, "2024-01-01", ""}}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'customer' row 1: the key is empty")},
      {"MrrRefusesABillingPeriodOfZeroMonths",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-06-01"),
                         {{"a", 100, 0, "2024-01-01", ""}}),
       Expect::Error(StatusCode::kInvalidArgument, "billing_months")},
      {"MrrRefusesANegativeAmount",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-06-01"),
                         {{"a", -5, 1, "2024-01-01", ""}}),
       Expect::Error(StatusCode::kInvalidArgument, "amount")},
      {"MrrRecordsNeedAsOf",
       WithSubscriptions(Request("mrr"), {{"a", 100, 1, "2024-01-01", ""}}),
       Expect::Error(StatusCode::kInvalidArgument, "as_of")},
  };
}

std::vector<CatalogCase> MovementCases() {
  return {
      {"MrrMovementsClassifyEveryCustomerOnce", Movements(EveryMovement()),
       Expect::Value(130)  // net new MRR: 450 - 320
           .SampleSize(9)
           .Unit("currency")
           .Tolerance(0)  // whole amounts: every number is exact
           .TableStrings("movements", "movement", kMovementNames)
           .TableDoubles("movements", "mrr", {320, 145, 30, 65, 40, 70, 450})
           .TableInt64s("movements", "customers", {4, 3, 1, 2, 1, 1, 8})},
      // a: annual 1,000 throughout; b: quarterly 100 -> annual 1,000
      // (33.33 -> 83.33); c: annual 250 from inside the period; e:
      // quarterly 200 until inside the period. In exact arithmetic:
      // starting 1000/12 + 100/3 + 200/3 = 183.33, ending 2250/12 = 187.5,
      // and 183.33 + 20.83 + 50 - 66.67 = 187.5.
      {"MrrMovementsIdentityHoldsWithAnnualAndQuarterlyPlans",
       Movements({{"a", 1000, 12, "2023-01-01", ""},
                  {"b", 100, 3, "2023-01-01", "2024-01-15"},
                  {"b", 1000, 12, "2024-01-15", ""},
                  {"c", 250, 12, "2024-01-10", ""},
                  {"e", 200, 3, "2023-06-01", "2024-01-20"},
                  {"f", 50, 1, "2022-01-01", "2022-06-01"}}),
       Expect::Value(2250.0 / 12 - (1000.0 / 12 + 100.0))
           .SampleSize(4)
           .TableDoubles(
               "movements", "mrr",
               {1000.0 / 12 + 100.0, 250.0 / 12, 1000.0 / 12 - 100.0 / 3, 0, 0,
                200.0 / 3, 2250.0 / 12})
           .TableInt64s("movements", "customers", {3, 1, 1, 0, 0, 1, 3})},
      // p: 30.3 -> 10.1 + 20.2, q: 363.6/year -> 30.3/month, s: 10.1 + 20.2
      // -> 30.3. Equal in exact arithmetic, not in double (10.1 + 20.2 is
      // 30.299999999999997): none of them moved.
      {"MrrMovementsCountAnEqualRepricingAsUnchanged",
       Movements({{"p", 30.3, 1, "2023-01-01", "2024-01-10"},
                  {"p", 10.1, 1, "2024-01-10", ""},
                  {"p", 20.2, 1, "2024-01-10", ""},
                  {"q", 363.6, 12, "2023-01-01", "2024-01-10"},
                  {"q", 30.3, 1, "2024-01-10", ""},
                  {"r", 100, 1, "2023-06-01", ""},
                  {"s", 10.1, 1, "2023-01-01", "2024-01-05"},
                  {"s", 20.2, 1, "2023-01-01", "2024-01-05"},
                  {"s", 30.3, 1, "2024-01-05", ""}}),
       Expect::Value(0)
           .SampleSize(4)
           .TableDoubles("movements", "mrr", {190.9, 0, 0, 0, 0, 0, 190.9})
           .TableInt64s("movements", "customers", {4, 0, 0, 0, 0, 0, 4})},
      {"MrrMovementsOfNoRecordsAreZeroWithAWarning", Movements({}),
       Expect::Value(0)
           .SampleSize(0)
           .Warning("no customer has MRR at period_start or at period_end")
           .TableDoubles("movements", "mrr", {0, 0, 0, 0, 0, 0, 0})
           .TableInt64s("movements", "customers", {0, 0, 0, 0, 0, 0, 0})},
      // Rows, but nobody has MRR at either date: one joined and left inside
      // the period, one left years ago.
      {"MrrMovementsWithoutMrrAtEitherDateAreZeroWithAWarning",
       Movements({{"blip", 10, 1, "2024-01-03", "2024-01-09"},
                  {"old", 500, 12, "2020-01-01", "2021-01-01"},
                  {"free", 0, 1, "2023-01-01", ""}}),
       Expect::Value(0)
           .SampleSize(0)
           .Warning("no customer has MRR at period_start or at period_end")
           .TableDoubles("movements", "mrr", {0, 0, 0, 0, 0, 0, 0})
           .TableInt64s("movements", "customers", {0, 0, 0, 0, 0, 0, 0})},
      {"MrrMovementsRefuseAPeriodEndingBeforeItStarts",
       WithSubscriptions(Request("mrr_movements")
                             .ParamTime("period_start", "2024-02-01")
                             .ParamTime("period_end", "2024-01-01"),
                         EveryMovement()),
       Expect::Error(StatusCode::kInvalidArgument,
                     "period_end (2024-01-01T00:00:00Z) must be after "
                     "period_start (2024-02-01T00:00:00Z)")},
      {"MrrMovementsRefuseAnEmptyPeriod",
       WithSubscriptions(Request("mrr_movements")
                             .ParamTime("period_start", "2024-01-01")
                             .ParamTime("period_end", "2024-01-01"),
                         EveryMovement()),
       Expect::Error(StatusCode::kInvalidArgument,
                     "must be after period_start")},
      {"MrrMovementsRefuseASubscriptionEndingBeforeItStarts",
       Movements({{"a", 10, 1, "2023-01-01", ""},
                  {"zed", 10, 1, "2024-01-01", "2023-12-01"}}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'end' row 1: 2023-12-01T00:00:00Z is before "
                     "input 'start'")},
      {"MrrMovementsNeedPeriodEnd",
       WithSubscriptions(
           Request("mrr_movements").ParamTime("period_start", "2024-01-01"),
           EveryMovement()),
       Expect::Error(StatusCode::kInvalidArgument, "period_end")},
  };
}

std::vector<CatalogCase> RevenueChurnCases() {
  return {
      {"GrossRevenueChurnCountsItsExamplesLostAndStartingMrr",
       ExampleRequest("gross_revenue_churn",
                      "MRR 100, 10 churned, 10 contraction"),
       std::move(Expect::Ok().Ratio(20, 100).Unit("%"))},
      {"NetRevenueChurnCountsItsExamplesNetLostAndStartingMrr",
       ExampleRequest("net_revenue_churn",
                      "MRR 100, 10 churned, 10 contraction, 10 expansion"),
       std::move(Expect::Ok().Ratio(10, 100).Unit("%"))},
      // (5 + 0 - 20 - 5) / 100: expansion outweighs the losses.
      {"NetRevenueChurnIsNegativeWhenExpansionOutweighsLosses",
       Request("net_revenue_churn")
           .Double("mrr_at_start", 100)
           .Double("churned_mrr", 5)
           .Double("contraction_mrr", 0)
           .Double("expansion_mrr", 20)
           .Double("reactivation_mrr", 5),
       Expect::Value(-20).Ratio(-20, 100)},
      {"GrossRevenueChurnWithoutMrrAtStartSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("gross_revenue_churn", "no MRR at the start"),
       std::move(Expect::Undefined("mrr_at_start is 0").Ratio(0, 0))},
      {"NetRevenueChurnIsUndefinedWithoutMrrAtStart",
       Request("net_revenue_churn")
           .Double("mrr_at_start", 0)
           .Double("churned_mrr", 0)
           .Double("contraction_mrr", 0)
           .Double("expansion_mrr", 10),
       Expect::Undefined("mrr_at_start is 0")},
      {"NetRevenueChurnIsUndefinedWhenItOverflows",
       Request("net_revenue_churn")
           .Double("mrr_at_start", 1e-300)
           .Double("churned_mrr", 0)
           .Double("contraction_mrr", 0)
           .Double("expansion_mrr", 1e308),
       Expect::Undefined("too large to represent")},
      {"GrossRevenueChurnRefusesLossesAboveTheStartingMrr",
       Request("gross_revenue_churn")
           .Double("mrr_at_start", 100)
           .Double("churned_mrr", 60)
           .Double("contraction_mrr", 50),
       Expect::Error(StatusCode::kInvalidArgument,
                     "churned_mrr + contraction_mrr (60 + 50) exceeds "
                     "mrr_at_start (100)")},
      {"GrossRevenueChurnRefusesNegativeChurnedMrr",
       Request("gross_revenue_churn")
           .Double("mrr_at_start", 100)
           .Double("churned_mrr", -1)
           .Double("contraction_mrr", 0),
       Expect::Error(StatusCode::kInvalidArgument, "churned_mrr")},
      // The worked example as records gives the same numbers.
      {"GrossRevenueChurnOfTheWorkedExampleRecords",
       ChurnRecords("gross_revenue_churn", WorkedRevenueChurn()),
       Expect::Value(20).Ratio(20, 100).SampleSize(4)},
      {"NetRevenueChurnOfTheWorkedExampleRecords",
       ChurnRecords("net_revenue_churn", WorkedRevenueChurn()),
       Expect::Value(10).Ratio(10, 100).SampleSize(4)},
      // The movements of EveryMovement(): (70 + 40) / 320 and
      // (70 + 40 - 30 - 65) / 320.
      {"GrossRevenueChurnFromEveryMovement",
       ChurnRecords("gross_revenue_churn", EveryMovement()),
       Expect::Value(34.375).Ratio(110, 320).SampleSize(4)},
      {"NetRevenueChurnFromEveryMovement",
       ChurnRecords("net_revenue_churn", EveryMovement()),
       Expect::Value(4.6875).Ratio(15, 320).SampleSize(4)},
      {"NetRevenueChurnRecordsAreUndefinedWithoutMrrAtStart",
       ChurnRecords("net_revenue_churn",
                    {{"a", 10, 1, "2024-01-05", ""},
                     {"b", 20, 1, "2024-01-06", ""},
                     {"c", 30, 1, "2022-01-06", "2023-01-01"},
                     {"c", 30, 1, "2024-01-10", ""}}),
       Expect::Undefined("no MRR at period_start").Ratio(-30, 0)},
      {"GrossRevenueChurnRecordsNeedPeriodStart",
       WithSubscriptions(
           Request("gross_revenue_churn").ParamTime("period_end", "2024-02-01"),
           WorkedRevenueChurn()),
       Expect::Error(StatusCode::kInvalidArgument, "period_start")},
      {"GrossRevenueChurnRecordsRefuseAnEmptyPeriod",
       WithSubscriptions(Request("gross_revenue_churn")
                             .ParamTime("period_start", "2024-02-01")
                             .ParamTime("period_end", "2024-02-01"),
                         WorkedRevenueChurn()),
       Expect::Error(StatusCode::kInvalidArgument,
                     "must be after period_start")},
  };
}

std::vector<CatalogCase> ClvCases() {
  return {
      {"HistoricalClvIsInCurrency",
       ExampleRequest("historical_clv", "APV 50 x 4 a year x 5 years"),
       std::move(Expect::Ok().Unit("currency"))},
      // Catalog: 100/month x 12 x 1 year -> 1,200.
      {"HistoricalClvOfAMonthlyBuyerOverAYear",
       Request("historical_clv")
           .Double("average_purchase_value", 100)
           .Double("purchase_frequency", 12)
           .ParamDouble("lifespan_years", 1),
       Expect::Value(1200)},
      {"HistoricalClvTimesGrossMargin",
       Request("historical_clv")
           .Double("average_purchase_value", 50)
           .Double("purchase_frequency", 4)
           .ParamDouble("lifespan_years", 5)
           .ParamDouble("gross_margin", 0.25),
       Expect::Value(250)},
      {"HistoricalClvRecordsOfTheWorkedExample",
       WithTransactions(
           Request("historical_clv").ParamDouble("lifespan_years", 5),
           FourPurchasesAYearOf50()),
       Expect::Value(1000).SampleSize(3)},
      // 1,000 x 0.4.
      {"HistoricalClvRecordsTimesGrossMargin",
       WithTransactions(Request("historical_clv")
                            .ParamDouble("lifespan_years", 5)
                            .ParamDouble("gross_margin", 0.4),
                        FourPurchasesAYearOf50()),
       Expect::Value(400)},
      {"HistoricalClvIsUndefinedWhenEveryPurchaseIsAtOneInstant",
       WithTransactions(
           Request("historical_clv").ParamDouble("lifespan_years", 5),
           {{"x", "2024-01-01", 10},
            {"y", "2024-01-01", 20},
            {"z", "2024-01-01", 30}}),
       Expect::Undefined("every transaction is at the same time "
                         "(2024-01-01T00:00:00Z)")
           .SampleSize(3)},
      {"HistoricalClvWithoutTransactionsSaysWhy",
       ExampleRequest("historical_clv", "no purchases"),
       Expect::Undefined("no transactions")},
      {"HistoricalClvIsUndefinedWhenTheProductOverflows",
       Request("historical_clv")
           .Double("average_purchase_value", 1e200)
           .Double("purchase_frequency", 1e200)
           .ParamDouble("lifespan_years", 1),
       Expect::Undefined("too large to represent")},
      {"HistoricalClvNeedsLifespan",
       Request("historical_clv")
           .Double("average_purchase_value", 50)
           .Double("purchase_frequency", 4),
       Expect::Error(StatusCode::kInvalidArgument, "lifespan_years")},
      {"HistoricalClvRefusesAGrossMarginAboveOne",
       Request("historical_clv")
           .Double("average_purchase_value", 50)
           .Double("purchase_frequency", 4)
           .ParamDouble("lifespan_years", 5)
           .ParamDouble("gross_margin", 1.5),
       Expect::Error(StatusCode::kInvalidArgument, "gross_margin")},
      {"ContractualClvIsInCurrency",
       ExampleRequest("contractual_clv", "margin 1, r 0.8, i 0.1"),
       std::move(Expect::Ok().Unit("currency"))},
      // 10 x 1 / (1 + 0.25 - 1): retained for ever, but discounted.
      {"ContractualClvOfAlwaysRetainedCustomerIsFiniteWhenDiscounted",
       Request("contractual_clv")
           .Double("margin", 10)
           .Double("retention", 1)
           .Double("discount_rate", 0.25),
       Expect::Value(40)},
      {"ContractualClvWithoutRetentionIsZero",
       Request("contractual_clv")
           .Double("margin", 10)
           .Double("retention", 0)
           .Double("discount_rate", 0.1),
       Expect::Value(0)},
      {"ContractualClvIsUndefinedWhenNeverLostAndUndiscounted",
       Request("contractual_clv")
           .Double("margin", 10)
           .Double("retention", 1)
           .Double("discount_rate", 0),
       Expect::Undefined("unbounded")},
      {"ContractualClvRefusesRetentionAboveOne",
       Request("contractual_clv")
           .Double("margin", 10)
           .Double("retention", 1.2)
           .Double("discount_rate", 0.1),
       Expect::Error(StatusCode::kInvalidArgument, "retention")},
  };
}

std::vector<CatalogCase> RevenueCases() {
  std::vector<CatalogCase> cases;
  for (auto* family :
       {&MrrCases, &MovementCases, &RevenueChurnCases, &ClvCases}) {
    for (CatalogCase& c : (*family)()) cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<FormPair> RevenueFormPairs() {
  return {
      {"MrrRecordsMatchCustomersTimesArpc",
       WithSubscriptions(Request("mrr").ParamTime("as_of", "2024-06-01"),
                         HundredCustomersPaying50()),
       Request("mrr").Int("customers", 100).Double("arpc", 50)},
      {"GrossRevenueChurnRecordsMatchTheirTotals",
       ChurnRecords("gross_revenue_churn", EveryMovement()),
       Request("gross_revenue_churn")
           .Double("mrr_at_start", 320)
           .Double("churned_mrr", 70)
           .Double("contraction_mrr", 40)},
      {"NetRevenueChurnRecordsMatchTheirTotals",
       ChurnRecords("net_revenue_churn", EveryMovement()),
       Request("net_revenue_churn")
           .Double("mrr_at_start", 320)
           .Double("churned_mrr", 70)
           .Double("contraction_mrr", 40)
           .Double("expansion_mrr", 30)
           .Double("reactivation_mrr", 65)},
      {"NetRevenueChurnWorkedExampleRecordsMatchTheirTotals",
       ChurnRecords("net_revenue_churn", WorkedRevenueChurn()),
       Request("net_revenue_churn")
           .Double("mrr_at_start", 100)
           .Double("churned_mrr", 10)
           .Double("contraction_mrr", 10)
           .Double("expansion_mrr", 10)},
      {"HistoricalClvRecordsMatchTheirAverages",
       WithTransactions(
           Request("historical_clv").ParamDouble("lifespan_years", 5),
           FourPurchasesAYearOf50()),
       Request("historical_clv")
           .Double("average_purchase_value", 50)
           .Double("purchase_frequency", 4)
           .ParamDouble("lifespan_years", 5)},
  };
}

}  // namespace

KPI_CATALOG_CASES(Revenue, RevenueCases);
INSTANTIATE_TEST_SUITE_P(Revenue, FormPairTest,
                         ::testing::ValuesIn(RevenueFormPairs()),
                         CaseName<FormPair>);

}  // namespace kpi::testing
