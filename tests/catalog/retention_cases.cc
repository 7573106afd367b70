// The retention family through the catalog harness: churn_rate,
// retention_rate, repeat_purchase_rate and cohort_retention.
//
// Expected numbers are the worked examples of the KPI catalog
// (/work/shared/kpi-catalog.md, "Retention family"), counts worked out by
// hand from the records built below (each generator says what its records
// hold), or come from the CDNOW data of Fader, Hardie & Lee (2005) where a
// comment says so.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/catalog/catalog_harness.h"
#include "tests/catalog/declared_example_cases.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// ---- Record builders
// ----------------------------------------------------------

// "c0042": ids that sort in creation order.
std::string Id(const std::string& prefix, int i) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%s%04d", prefix.c_str(), i);
  return buffer;
}

// Rows of string columns, shuffled before use so that one customer's rows
// land in different chunks, states and segments.
class Rows {
 public:
  // `columns` names the columns, for the reader; every row has one value
  // per column.
  explicit Rows(const std::vector<std::string>& columns)
      : width_(columns.size()) {}
  Rows& Add(std::vector<std::string> row) {
    if (row.size() != width_) std::abort();  // a mistake in the test
    rows_.push_back(std::move(row));
    return *this;
  }
  // Fisher-Yates with a fixed seed (and no std::uniform_int_distribution,
  // whose output differs between standard libraries).
  Rows& Shuffle(uint32_t seed) {
    std::mt19937 random(seed);
    for (size_t i = rows_.size(); i > 1; --i) {
      std::swap(rows_[i - 1], rows_[random() % i]);
    }
    return *this;
  }
  std::vector<std::string> Column(size_t c) const {
    std::vector<std::string> values;
    for (const auto& row : rows_) values.push_back(row[c]);
    return values;
  }
  size_t size() const { return rows_.size(); }

 private:
  size_t width_;
  std::vector<std::vector<std::string>> rows_;
};

// The period of the subscription cases: January 2024.
constexpr char kPeriodStart[] = "2024-01-01";
constexpr char kPeriodEnd[] = "2024-02-01";

// What a book of subscriptions holds, by kind of customer.
struct Book {
  int retained = 0;   // in S and active at the end
  int lost = 0;       // in S, not active at the end
  int fresh = 0;      // first subscription inside the period, active at the
                      // end (in N)
  int returning = 0;  // subscribed before, not in S, back by the end (in N)
  int joined_and_left = 0;  // joined and left inside the period (nowhere)

  Book& Retained(int n) { return Set(retained, n); }
  Book& Lost(int n) { return Set(lost, n); }
  Book& Fresh(int n) { return Set(fresh, n); }
  Book& Returning(int n) { return Set(returning, n); }
  Book& JoinedAndLeft(int n) { return Set(joined_and_left, n); }

 private:
  Book& Set(int& field, int n) {
    field = n;
    return *this;
  }
};

// Subscription records (customer, start, end; "" = still active) for
// January 2024 holding exactly the customers `book` counts, in every shape a
// customer can have: plan changes, pauses inside the period, subscriptions
// starting exactly at period_start or ending exactly at period_end, several
// overlapping subscriptions. Also 3 customers who had left by period_start
// (one of them exactly at it), who count nowhere.
// S = retained + lost; E = retained + fresh + returning;
// N = fresh + returning.
Rows Subscriptions(const Book& book) {
  Rows rows({"customer", "start", "end"});
  for (int i = 0; i < book.retained; ++i) {
    const std::string c = Id("r", i);
    switch (i % 6) {
      case 0:  // one subscription, still active
        rows.Add({c, "2023-06-01", ""});
        break;
      case 1:  // plan change inside the period
        rows.Add({c, "2023-02-01", "2024-01-15"});
        rows.Add({c, "2024-01-15", ""});
        break;
      case 2:  // starts exactly at period_start: in S
        rows.Add({c, kPeriodStart, ""});
        break;
      case 3:  // paused inside the period, back before its end: retained
        rows.Add({c, "2023-05-01", "2024-01-10"});
        rows.Add({c, "2024-01-20T08:30:00Z", ""});
        break;
      case 4:  // ends after the period
        rows.Add({c, "2023-07-01", "2024-03-01"});
        break;
      case 5:  // two overlapping subscriptions
        rows.Add({c, "2023-01-01", ""});
        rows.Add({c, "2023-08-01", "2024-06-01"});
        break;
    }
  }
  for (int i = 0; i < book.lost; ++i) {
    const std::string c = Id("l", i);
    switch (i % 3) {
      case 0:
        rows.Add({c, "2023-03-01", "2024-01-10"});
        break;
      case 1:  // ends exactly at period_end: not active then, so lost
        rows.Add({c, "2023-03-01", kPeriodEnd});
        break;
      case 2:  // two subscriptions, both ending inside the period
        rows.Add({c, "2023-03-01", "2024-01-05"});
        rows.Add({c, "2023-09-01", "2024-01-25T23:59:59Z"});
        break;
    }
  }
  for (int i = 0; i < book.fresh; ++i) {
    // Half start exactly at period_end: active then, so in E and N.
    rows.Add({Id("n", i), i % 2 == 0 ? "2024-01-10" : kPeriodEnd, ""});
  }
  for (int i = 0; i < book.returning; ++i) {
    rows.Add({Id("w", i), "2022-01-01", "2023-01-01"});
    rows.Add({Id("w", i), "2024-01-15", ""});
  }
  for (int i = 0; i < book.joined_and_left; ++i) {
    rows.Add({Id("j", i), "2024-01-05", "2024-01-20"});
  }
  rows.Add({"gone-at-start", "2023-01-01", kPeriodStart});
  rows.Add({"gone-long-ago", "2022-01-01", "2022-06-01"});
  rows.Add({"gone-and-back-later", "2022-01-01", "2022-06-01"});
  rows.Add({"gone-and-back-later", "2024-03-01", ""});
  return rows.Shuffle(20240101);
}

Request SubscriptionRequest(const std::string& metric, const Rows& rows,
                            const std::string& period_start = kPeriodStart,
                            const std::string& period_end = kPeriodEnd) {
  Request request(metric);
  request.Strings("customer", rows.Column(0))
      .Timestamps("start", rows.Column(1))
      .Timestamps("end", rows.Column(2))
      .ParamTime("period_start", period_start)
      .ParamTime("period_end", period_end);
  return request;
}

// Orders (customer, time) around the window of the repeat purchase cases,
// the first quarter of 2024: `buyers` customers with an order in the window,
// the first `repeaters` of them with two or more distinct orders in it.
// Non-repeat buyers also have rows that must not make them repeaters: a
// second line of the same basket (same instant), an order before
// window_start, an order exactly at window_end (excluded). 20 more
// customers order only outside the window.
constexpr char kWindowStart[] = "2024-01-01";
constexpr char kWindowEnd[] = "2024-04-01";

Rows Orders(int buyers, int repeaters) {
  Rows rows({"customer", "time"});
  for (int i = 0; i < buyers; ++i) {
    const std::string c = Id("b", i);
    const std::string day = i % 2 == 0 ? "2024-02-10T12:00:00Z" : kWindowStart;
    rows.Add({c, day});
    if (i < repeaters) {
      rows.Add({c, "2024-03-31T23:59:59Z"});
      if (i % 3 == 0) rows.Add({c, "2024-01-20"});
      continue;
    }
    switch (i % 4) {
      case 0:  // another line of the same basket
        rows.Add({c, day});
        break;
      case 1:  // an earlier order, before the window
        rows.Add({c, "2023-12-31T23:59:59Z"});
        break;
      case 2:  // an order exactly at window_end, outside the window
        rows.Add({c, kWindowEnd});
        break;
      case 3:
        break;
    }
  }
  for (int i = 0; i < 20; ++i) {
    rows.Add({Id("x", i), "2023-11-05"});
    rows.Add({Id("x", i), "2024-05-05"});
  }
  return rows.Shuffle(20240401);
}

Request OrderRequest(const Rows& rows) {
  Request request("repeat_purchase_rate");
  request.Strings("customer", rows.Column(0))
      .Timestamps("time", rows.Column(1))
      .ParamTime("window_start", kWindowStart)
      .ParamTime("window_end", kWindowEnd);
  return request;
}

// ---- CDNOW
// ----------------------------------------------------------------------

// Every 59th customer of the CDNOW sample (sample ids 1, 60, 119, ...,
// 2302: 40 customers, 141 purchases), from
// /work/shared/datasets/cdnow/CDNOW_sample.txt: "sample id, purchase
// dates". Purchases on the same day appear twice (0886, 1535).
constexpr char kCdnowSlice[] =
    "0001 19970101 19970118 19970802 19971212\n"
    "0060 19970104\n"
    "0119 19970106\n"
    "0178 19970109 19970117 19970328 19970519 19970629 19970810 19970827 "
    "19971112 19971127 19980113 19980116 19980221 19980228 19980313 "
    "19980507\n"
    "0237 19970111\n"
    "0296 19970113\n"
    "0355 19970116\n"
    "0414 19970118 19971114\n"
    "0473 19970120\n"
    "0532 19970123 19970423 19980309\n"
    "0591 19970125\n"
    "0650 19970127 19970313 19980321\n"
    "0709 19970129\n"
    "0768 19970131\n"
    "0827 19970202 19970401\n"
    "0886 19970204 19970207 19970207 19970419 19970616 19970820 19980304 "
    "19980306\n"
    "0945 19970206\n"
    "1004 19970207\n"
    "1063 19970209\n"
    "1122 19970211 19970309 19970421 19971003 19971017 19971125 19980407\n"
    "1181 19970213 19970217 19970818 19970831 19971013 19980208 19980307 "
    "19980309 19980319 19980331 19980415 19980514 19980604 19980614\n"
    "1240 19970216\n"
    "1299 19970217\n"
    "1358 19970219\n"
    "1417 19970222\n"
    "1476 19970224 19970814 19970827 19980417\n"
    "1535 19970225 19970918 19970918\n"
    "1594 19970227\n"
    "1653 19970301 19970401 19970504 19970619 19970725 19971108 19971117\n"
    "1712 19970303 19970407 19970413 19970606 19970623 19970713 19970811 "
    "19970902 19970903 19970919 19971027 19971113 19971205 19971208 "
    "19971211 19971216 19971217 19980218 19980327 19980331 19980401 "
    "19980427 19980527 19980625\n"
    "1771 19970305 19970803 19971009\n"
    "1830 19970307\n"
    "1889 19970309 19970701 19971003 19971009 19971009 19971009 19971015 "
    "19971122 19971127 19971210 19980109 19980322 19980612\n"
    "1948 19970311\n"
    "2007 19970313 19970819 19980114\n"
    "2066 19970315 19980423\n"
    "2125 19970317\n"
    "2184 19970319 19970803\n"
    "2243 19970321\n"
    "2302 19970324\n";

// "19970101" -> "1997-01-01".
std::string IsoDate(const std::string& yyyymmdd) {
  return yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" +
         yyyymmdd.substr(6, 2);
}

// Purchases (customer, time) of the slice above, in file order.
Rows CdnowSlice() {
  Rows rows({"customer", "time"});
  std::istringstream lines(kCdnowSlice);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string customer, date;
    fields >> customer;
    while (fields >> date) rows.Add({customer, IsoDate(date)});
  }
  return rows;
}

// The whole CDNOW sample (6,919 purchases of 2,357 customers) when the
// shared data set is next to the repository (../shared/datasets/cdnow, as
// in the workspace) or under $KPI_DATASETS_DIR/cdnow; empty otherwise.
Rows CdnowSample() {
  std::string dir;
  if (const char* env = std::getenv("KPI_DATASETS_DIR")) {
    dir = env;
  } else {
    // __FILE__ is <repo>/tests/catalog/retention_cases.cc.
    std::string file = __FILE__;
    for (int up = 0; up < 4 && !file.empty(); ++up) {
      file = file.substr(0, file.find_last_of('/'));
    }
    dir = file + "/shared/datasets";
  }
  Rows rows({"customer", "time"});
  std::ifstream in(dir + "/cdnow/CDNOW_sample.txt");
  std::string master_id, sample_id, date, cds, value;
  while (in >> master_id >> sample_id >> date >> cds >> value) {
    rows.Add({sample_id, IsoDate(date)});
  }
  return rows;
}

// A request of `metric` with the columns customer and time of `rows`.
Request CustomerTimeRequest(const std::string& metric, const Rows& rows) {
  Request request(metric);
  request.Strings("customer", rows.Column(0))
      .Timestamps("time", rows.Column(1));
  return request;
}

Request ActivityRequest(const Rows& rows) {
  return CustomerTimeRequest("cohort_retention", rows);
}

// ---- Cohort activity
// --------------------------------------------------------------

// Monthly activity of 21 customers, January to April 2024, written out by
// cohort (first activity). Customers are active in these months:
//   January cohort, a0..a9 (10): Jan all; Feb a0..a5; Mar a0 a1 a2 a7;
//     Apr a0.
//   February cohort, b0..b4 (5): Feb all; Mar b0 b1; Apr b0..b3.
//   March cohort, c0..c3 (4): Mar all; Apr c0.
//   April cohort, d0 d1 (2): Apr.
// Some customers have several activities in a month, and some fall on
// the last or first second of a month.
Rows MonthlyActivity() {
  Rows rows({"customer", "time"});
  for (int i = 0; i < 10; ++i) {
    rows.Add({Id("a", i), "2024-01-15"});
    if (i % 3 == 0) rows.Add({Id("a", i), "2024-01-31T23:59:59Z"});
  }
  for (int i = 0; i < 6; ++i) {
    rows.Add({Id("a", i), i == 5 ? "2024-02-01" : "2024-02-10"});
  }
  for (int i : {0, 1, 2, 7}) rows.Add({Id("a", i), "2024-03-03"});
  rows.Add({Id("a", 0), "2024-03-30"});
  rows.Add({Id("a", 0), "2024-04-30T23:59:59Z"});
  for (int i = 0; i < 5; ++i) rows.Add({Id("b", i), "2024-02-20"});
  for (int i : {0, 1}) rows.Add({Id("b", i), "2024-03-01"});
  for (int i = 0; i < 4; ++i) rows.Add({Id("b", i), "2024-04-04"});
  for (int i = 0; i < 4; ++i) rows.Add({Id("c", i), "2024-03-12"});
  rows.Add({Id("c", 0), "2024-04-01"});
  for (int i = 0; i < 2; ++i) rows.Add({Id("d", i), "2024-04-11"});
  return rows.Shuffle(20240501);
}

// Weekly activity across the new year 2024/25, three customers of each of
// four shapes (ISO weeks: 2024-W52 is Mon 2024-12-23 .. Sun 2024-12-29,
// 2025-W01 is Mon 2024-12-30 .. Sun 2025-01-05, 2025-W02 then to Sun
// 2025-01-12):
//   p: 2024-W52, 2025-W01, 2025-W02      (cohort 2024-W52)
//   q: 2024-W52 (its Sunday's last second), 2025-W01 (its Sunday)
//   r: 2025-W01 (its Monday), 2025-W02 (its Sunday)   (cohort 2025-W01)
//   s: 2025-W01 (New Year's Day)
Rows WeeklyActivity() {
  Rows rows({"customer", "time"});
  for (int i = 0; i < 3; ++i) {
    rows.Add({Id("p", i), "2024-12-23"});
    rows.Add({Id("p", i), "2024-12-30"});
    rows.Add({Id("p", i), "2025-01-06"});
    rows.Add({Id("q", i), "2024-12-29T23:59:59Z"});
    rows.Add({Id("q", i), "2025-01-05"});
    rows.Add({Id("r", i), "2024-12-30"});
    rows.Add({Id("r", i), "2025-01-12T18:00:00Z"});
    rows.Add({Id("s", i), "2025-01-01"});
  }
  return rows.Shuffle(20250101);
}

// ---- Cases
// ----------------------------------------------------------------------

std::vector<CatalogCase> ChurnCases() {
  const Rows worked = Subscriptions(
      Book().Retained(90).Lost(10).Fresh(4).Returning(1).JoinedAndLeft(1));
  return {
      {"ChurnCountsItsExamplesLostCustomersAndCustomersAtStart",
       ExampleRequest("churn_rate", "1,000 at the start, 50 lost"),
       std::move(Expect::Ok().Ratio(50, 1000).SampleSize(1000))},
      {"ChurnIs10PercentFor10LostOf100",
       Request("churn_rate")
           .Int("customers_at_start", 100)
           .Int("customers_lost", 10),
       Expect::Value(10).Ratio(10, 100)},
      {"ChurnIs0WhenNoCustomerIsLost",
       Request("churn_rate")
           .Int("customers_at_start", 80)
           .Int("customers_lost", 0),
       Expect::Value(0).Ratio(0, 80)},
      {"ChurnIs100WhenEveryCustomerIsLost",
       Request("churn_rate")
           .Int("customers_at_start", 80)
           .Int("customers_lost", 80),
       Expect::Value(100).Ratio(80, 80)},
      {"ChurnWithNoCustomersAtStartSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("churn_rate", "no customers at the start"),
       std::move(Expect::Undefined("customers_at_start is 0")
                     .Ratio(0, 0)
                     .SampleSize(0))},
      {"ChurnRejectsMoreCustomersLostThanAtStart",
       Request("churn_rate")
           .Int("customers_at_start", 50)
           .Int("customers_lost", 60),
       Expect::Error(StatusCode::kInvalidArgument,
                     "customers_lost (60) exceeds customers_at_start (50)")},
      // Catalog: 100 customers at the start, 11 cancel, one of whom joined
      // in the period -> 10 / 100.
      {"ChurnFromRecordsLeavesOutTheCustomerWhoJoinedAndLeftInThePeriod",
       SubscriptionRequest("churn_rate", worked),
       Expect::Value(10).Ratio(10, 100).SampleSize(100)},
      {"ChurnFromRecordsIs5PercentFor50LostOf1000",
       SubscriptionRequest(
           "churn_rate",
           Subscriptions(Book().Retained(950).Lost(50).Fresh(30))),
       Expect::Value(5).Ratio(50, 1000).SampleSize(1000)},
      // Active from start until just before end: S holds the four
      // customers active at 2024-01-01; the one whose subscription ends
      // exactly at period_end is lost.
      {"ChurnFromRecordsTreatsStartAsInclusiveAndEndAsExclusive",
       Request("churn_rate")
           .Strings("customer",
                    {"ends-at-period-end", "ends-a-second-later", "open",
                     "ends-at-period-start", "starts-at-period-start",
                     "starts-at-period-end"})
           .Timestamps("start", {"2023-03-01", "2023-03-01", "2023-01-01",
                                 "2023-01-01", kPeriodStart, kPeriodEnd})
           .Timestamps("end", {kPeriodEnd, "2024-02-01T00:00:01Z", "",
                               kPeriodStart, "", ""})
           .ParamTime("period_start", kPeriodStart)
           .ParamTime("period_end", kPeriodEnd),
       Expect::Value(25).Ratio(1, 4).SampleSize(4)},
      {"ChurnFromRecordsIsUndefinedWhenNoSubscriptionIsActiveAtPeriodStart",
       SubscriptionRequest("churn_rate", worked, "2021-01-01", "2021-02-01"),
       Expect::Undefined("no customer has a subscription active at "
                         "period_start (2021-01-01T00:00:00Z)")
           .Ratio(0, 0)
           .SampleSize(0)},
      {"ChurnFromRecordsIsUndefinedWithoutRecords",
       Request("churn_rate")
           .Strings("customer", {})
           .Timestamps("start", {})
           .Timestamps("end", {})
           .ParamTime("period_start", kPeriodStart)
           .ParamTime("period_end", kPeriodEnd),
       Expect::Undefined("customers_at_start is 0").Ratio(0, 0)},
      {"ChurnRejectsASubscriptionThatEndsBeforeItStarts",
       Request("churn_rate")
           .Strings("customer", {"ok", "backwards"})
           .Timestamps("start", {"2023-01-01", "2023-06-01"})
           .Timestamps("end", {"", "2023-05-31"})
           .ParamTime("period_start", kPeriodStart)
           .ParamTime("period_end", kPeriodEnd),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'end' row 1: 2023-05-31T00:00:00Z is before "
                     "input 'start' (2023-06-01T00:00:00Z) in the same row; "
                     "end must not be before start")},
      {"ChurnRejectsAPeriodThatEndsBeforeItStarts",
       SubscriptionRequest("churn_rate", worked, kPeriodEnd, kPeriodStart),
       Expect::Error(StatusCode::kInvalidArgument,
                     "period_end (2024-01-01T00:00:00Z) is before "
                     "period_start (2024-02-01T00:00:00Z)")},
      {"ChurnRejectsAnEmptyPeriod",
       SubscriptionRequest("churn_rate", worked, kPeriodStart, kPeriodStart),
       Expect::Error(StatusCode::kInvalidArgument,
                     "period_end (2024-01-01T00:00:00Z) equals period_start")},
      {"ChurnFromRecordsNeedsPeriodStart",
       Request("churn_rate")
           .Strings("customer", {"c"})
           .Timestamps("start", {"2023-01-01"})
           .Timestamps("end", {""})
           .ParamTime("period_end", kPeriodEnd),
       Expect::Error(StatusCode::kInvalidArgument, "period_start")},
      {"ChurnRejectsRecordsMixedWithTotals",
       Request("churn_rate")
           .Int("customers_at_start", 100)
           .Int("customers_lost", 10)
           .Strings("customer", {"c"})
           .Timestamps("start", {"2023-01-01"})
           .Timestamps("end", {""})
           .ParamTime("period_start", kPeriodStart)
           .ParamTime("period_end", kPeriodEnd),
       Expect::Error(StatusCode::kInvalidArgument, "cannot be combined")},
      {"ChurnRejectsAnEmptyCustomerId",
       Request("churn_rate")
           .Strings("customer", {"c", ""})
           .Timestamps("start", {"2023-01-01", "2023-01-01"})
           .Timestamps("end", {"", ""})
           .ParamTime("period_start", kPeriodStart)
           .ParamTime("period_end", kPeriodEnd),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'customer' row 1: the key is empty")},
  };
}

std::vector<CatalogCase> RetentionCases() {
  return {
      {"RetentionCountsItsExamplesRetainedAndStartingCustomers",
       ExampleRequest("retention_rate", "S 200, N 40, E 220"),
       std::move(Expect::Ok().Ratio(180, 200).SampleSize(200))},
      {"RetentionIs100WhenEveryoneStaysAndNooneJoins",
       Request("retention_rate")
           .Int("customers_at_start", 100)
           .Int("customers_at_end", 100)
           .Int("new_customers", 0),
       Expect::Value(100)},
      {"RetentionAbove100PercentWarnsThatMoreWereRetainedThanExisted",
       Request("retention_rate")
           .Int("customers_at_start", 100)
           .Int("customers_at_end", 130)
           .Int("new_customers", 10),
       Expect::Value(120).Ratio(120, 100).Warning(
           "customers_at_end - new_customers (120) exceeds "
           "customers_at_start (100)")},
      {"RetentionWithRetainedCustomersButNoneAtStartIsUndefinedAndWarns",
       Request("retention_rate")
           .Int("customers_at_start", 0)
           .Int("customers_at_end", 5)
           .Int("new_customers", 0),
       Expect::Undefined("customers_at_start is 0")
           .Warning("more customers retained than existed")},
      // (E - S) / S would say 20% (growth).
      {"RetentionIs90NotTheGrowthOf20ForS100E120N30",
       Request("retention_rate")
           .Int("customers_at_start", 100)
           .Int("customers_at_end", 120)
           .Int("new_customers", 30),
       Expect::Value(90).Ratio(90, 100)},
      {"RetentionIsUndefinedWithNoCustomersAtStart",
       Request("retention_rate")
           .Int("customers_at_start", 0)
           .Int("customers_at_end", 10)
           .Int("new_customers", 10),
       Expect::Undefined("customers_at_start is 0").Ratio(0, 0)},
      {"RetentionRejectsMoreNewCustomersThanCustomersAtEnd",
       Request("retention_rate")
           .Int("customers_at_start", 100)
           .Int("customers_at_end", 40)
           .Int("new_customers", 50),
       Expect::Error(StatusCode::kInvalidArgument,
                     "new_customers (50) exceeds customers_at_end (40)")},
      // S = 200 (180 retained + 20 lost), E = 220 (180 + 35 first-time + 5
      // returning), N = 40: the worked example from records.
      {"RetentionFromRecordsIs90ForS200N40E220",
       SubscriptionRequest("retention_rate",
                           Subscriptions(Book()
                                             .Retained(180)
                                             .Lost(20)
                                             .Fresh(35)
                                             .Returning(5)
                                             .JoinedAndLeft(7))),
       Expect::Value(90).Ratio(180, 200).SampleSize(200)},
      // Returning customers (subscribed before, not active at the start)
      // are in N, so not counted as retained: 45 of 50, not 55 of 50.
      {"RetentionFromRecordsCountsReturningCustomersAsNewNotRetained",
       SubscriptionRequest(
           "retention_rate",
           Subscriptions(Book().Retained(45).Lost(5).Returning(10))),
       Expect::Value(90).Ratio(45, 50)},
      {"RetentionFromRecordsIsUndefinedWhenNoSubscriptionIsActiveAtStart",
       SubscriptionRequest("retention_rate",
                           Subscriptions(Book().Retained(10).Fresh(5)),
                           "2021-01-01", "2024-02-01"),
       Expect::Undefined("no customer has a subscription active at "
                         "period_start")
           .Ratio(0, 0)},
      {"RetentionRejectsASubscriptionThatEndsBeforeItStarts",
       Request("retention_rate")
           .Strings("customer", {"backwards"})
           .Timestamps("start", {"2023-06-01"})
           .Timestamps("end", {"2023-05-31"})
           .ParamTime("period_start", kPeriodStart)
           .ParamTime("period_end", kPeriodEnd),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'end' row 0: 2023-05-31T00:00:00Z is before "
                     "input 'start'")},
      {"RetentionFromRecordsNeedsPeriodEnd",
       Request("retention_rate")
           .Strings("customer", {"c"})
           .Timestamps("start", {"2023-01-01"})
           .Timestamps("end", {""})
           .ParamTime("period_start", kPeriodStart),
       Expect::Error(StatusCode::kInvalidArgument, "period_end")},
  };
}

std::vector<CatalogCase> RepeatPurchaseCases() {
  return {
      {"RepeatPurchaseCountsItsExamplesRepeatBuyersAndBuyers",
       ExampleRequest("repeat_purchase_rate", "200 repeat buyers of 1,000"),
       std::move(Expect::Ok().Ratio(200, 1000).SampleSize(1000))},
      {"RepeatPurchaseWithoutCustomersSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("repeat_purchase_rate", "no customers"),
       std::move(Expect::Undefined("customers is 0").Ratio(0, 0))},
      {"RepeatPurchaseRejectsMoreRepeatCustomersThanCustomers",
       Request("repeat_purchase_rate")
           .Int("repeat_customers", 11)
           .Int("customers", 10),
       Expect::Error(StatusCode::kInvalidArgument,
                     "repeat_customers (11) exceeds customers (10)")},
      {"RepeatPurchaseFromOrdersIs20PercentFor200Of1000",
       OrderRequest(Orders(1000, 200)),
       Expect::Value(20).Ratio(200, 1000).SampleSize(1000)},
      // Two lines of one basket (same customer, same instant) are one
      // order; so are orders outside [window_start, window_end).
      {"RepeatPurchaseFromOrdersCountsABasketAndOrdersOutsideTheWindowOnce",
       OrderRequest(Orders(40, 0)), Expect::Value(0).Ratio(0, 40)},
      {"RepeatPurchaseFromOrdersIsUndefinedWithNoOrderInTheWindow",
       Request("repeat_purchase_rate")
           .Strings("customer", {"x", "y", "x"})
           .Timestamps("time", {"2023-01-01", "2024-04-01", "2024-05-01"})
           .ParamTime("window_start", kWindowStart)
           .ParamTime("window_end", kWindowEnd),
       Expect::Undefined("no order falls in the window "
                         "[2024-01-01T00:00:00Z, 2024-04-01T00:00:00Z)")
           .Ratio(0, 0)
           .SampleSize(0)},
      {"RepeatPurchaseRejectsAnEmptyWindow",
       Request("repeat_purchase_rate")
           .Strings("customer", {"x"})
           .Timestamps("time", {"2024-01-01"})
           .ParamTime("window_start", kWindowEnd)
           .ParamTime("window_end", kWindowStart),
       Expect::Error(StatusCode::kInvalidArgument,
                     "window_end (2024-01-01T00:00:00Z) is before "
                     "window_start (2024-04-01T00:00:00Z)")},
      {"RepeatPurchaseFromOrdersNeedsWindowStart",
       Request("repeat_purchase_rate")
           .Strings("customer", {"x"})
           .Timestamps("time", {"2024-01-01"})
           .ParamTime("window_end", kWindowEnd),
       Expect::Error(StatusCode::kInvalidArgument, "window_start")},
      // CDNOW slice, calibration period of Fader, Hardie & Lee (2005),
      // 1997-01-01 .. 1997-09-30: 16 of the 40 customers have frequency > 0
      // in /work/shared/datasets/cdnow/cdnow_customers_summary.csv.
      {"RepeatPurchaseOnACdnowSliceMatchesThePublishedFrequencies",
       CustomerTimeRequest("repeat_purchase_rate", CdnowSlice())
           .ParamTime("window_start", "1997-01-01")
           .ParamTime("window_end", "1997-10-01"),
       Expect::Value(40).Ratio(16, 40).SampleSize(40)},
  };
}

std::vector<CatalogCase> CohortCases() {
  const Rows monthly = MonthlyActivity();
  return {
      {"CohortMonthlyNPeriodRetentionPerCohortAndPeriod",
       ActivityRequest(monthly).ParamInt("periods", 3),
       Expect::Value(100.0 * 9 / 19)
           .Ratio(9, 19)
           .SampleSize(21)
           .TableStrings(
               "cells", "cohort",
               {"2024-01", "2024-01", "2024-01", "2024-01", "2024-02",
                "2024-02", "2024-02", "2024-03", "2024-03", "2024-04"})
           .TableInt64s("cells", "period", {0, 1, 2, 3, 0, 1, 2, 0, 1, 0})
           .TableInt64s("cells", "size", {10, 10, 10, 10, 5, 5, 5, 4, 4, 2})
           .TableInt64s("cells", "active", {10, 6, 4, 1, 5, 2, 4, 4, 1, 2})
           .TableDoubles("cells", "retention",
                         {100, 60, 40, 10, 100, 40, 80, 100, 25, 100})},
      // Unbounded: active in period k or any later one (a7, back in March
      // after a gap, counts in February too).
      {"CohortMonthlyUnboundedRetentionCountsLaterActivity",
       ActivityRequest(monthly)
           .ParamInt("periods", 3)
           .ParamString("mode", "unbounded"),
       Expect::Value(100.0 * 12 / 19)
           .Ratio(12, 19)
           .TableInt64s("cells", "active", {10, 7, 4, 1, 5, 4, 4, 4, 1, 2})
           .TableDoubles("cells", "retention",
                         {100, 70, 40, 10, 100, 80, 80, 100, 25, 100})},
      // The default of 12 periods reaches past April: unobservable cells
      // are left out, not reported as 0.
      {"CohortLeavesOutPeriodsNotYetObserved", ActivityRequest(monthly),
       Expect::Value(100.0 * 9 / 19)
           .TableInt64s("cells", "period", {0, 1, 2, 3, 0, 1, 2, 0, 1, 0})},
      {"CohortReportsOnlyTheRequestedPeriods",
       ActivityRequest(monthly).ParamInt("periods", 1),
       Expect::Value(100.0 * 9 / 19)
           .TableStrings("cells", "cohort",
                         {"2024-01", "2024-01", "2024-02", "2024-02", "2024-03",
                          "2024-03", "2024-04"})
           .TableInt64s("cells", "active", {10, 6, 5, 2, 4, 1, 2})},
      {"CohortWeeklyUsesIsoWeeksAcrossTheNewYear",
       ActivityRequest(WeeklyActivity())
           .ParamString("cohort_period", "week")
           .ParamInt("periods", 4),
       Expect::Value(75)
           .Ratio(9, 12)
           .SampleSize(12)
           .TableStrings(
               "cells", "cohort",
               {"2024-W52", "2024-W52", "2024-W52", "2025-W01", "2025-W01"})
           .TableInt64s("cells", "period", {0, 1, 2, 0, 1})
           .TableInt64s("cells", "size", {6, 6, 6, 6, 6})
           .TableInt64s("cells", "active", {6, 6, 3, 6, 3})
           .TableDoubles("cells", "retention", {100, 100, 50, 100, 50})},
      {"CohortIsUndefinedWhenAllActivityFallsInOneMonth",
       ActivityRequest(Rows({"customer", "time"})
                           .Add({"a", "2024-03-01"})
                           .Add({"b", "2024-03-31T23:59:59Z"})
                           .Add({"a", "2024-03-15"})),
       Expect::Undefined("no cohort has an observable period 1: all activity "
                         "falls in one month (2024-03)")
           .Ratio(0, 0)
           .SampleSize(2)
           .TableStrings("cells", "cohort", {"2024-03"})
           .TableInt64s("cells", "size", {2})
           .TableDoubles("cells", "retention", {100})},
      {"CohortWithoutRecordsSaysWhyAndHasAnEmptySample",
       ExampleRequest("cohort_retention", "no rows"),
       std::move(Expect::Undefined("no activity records").SampleSize(0))},
      {"CohortRejectsAnUnknownCohortPeriod",
       ActivityRequest(monthly).ParamString("cohort_period", "day"),
       Expect::Error(StatusCode::kInvalidArgument, "cohort_period")},
      {"CohortRejectsAnUnknownMode",
       ActivityRequest(monthly).ParamString("mode", "rolling"),
       Expect::Error(StatusCode::kInvalidArgument, "mode")},
      {"CohortRejectsZeroPeriods",
       ActivityRequest(monthly).ParamInt("periods", 0),
       Expect::Error(StatusCode::kInvalidArgument, "periods")},
      {"CohortRejectsMoreThan120Periods",
       ActivityRequest(monthly).ParamInt("periods", 121),
       Expect::Error(StatusCode::kInvalidArgument, "periods")},
      {"CohortRejectsAnEmptyCustomerId",
       ActivityRequest(Rows({"customer", "time"}).Add({"", "2024-03-01"})),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'customer' row 0: the key is empty")},
      // CDNOW slice (see kCdnowSlice), monthly cohorts 1997-01..03; expected
      // cells from an independent Python count over the same rows.
      {"CohortOnACdnowSliceNPeriod",
       ActivityRequest(CdnowSlice()).ParamInt("periods", 3),
       Expect::Value(7.5)
           .Ratio(3, 40)
           .SampleSize(40)
           .TableStrings("cells", "cohort",
                         {"1997-01", "1997-01", "1997-01", "1997-01", "1997-02",
                          "1997-02", "1997-02", "1997-02", "1997-03", "1997-03",
                          "1997-03", "1997-03"})
           .TableInt64s("cells", "size",
                        {14, 14, 14, 14, 14, 14, 14, 14, 12, 12, 12, 12})
           .TableInt64s("cells", "active",
                        {14, 0, 2, 1, 14, 1, 3, 0, 12, 2, 1, 2})},
      {"CohortOnACdnowSliceUnbounded",
       ActivityRequest(CdnowSlice())
           .ParamInt("periods", 3)
           .ParamString("mode", "unbounded"),
       Expect::Value(45).Ratio(18, 40).TableInt64s(
           "cells", "active", {14, 5, 5, 5, 14, 6, 6, 5, 12, 7, 7, 7})},
  };
}

// Cases on the whole CDNOW sample, when the data set is there.
std::vector<CatalogCase> CdnowSampleCases() {
  const Rows sample = CdnowSample();
  if (sample.size() == 0) return {};
  return {
      // Fader, Hardie & Lee (2005): 946 of the 2,357 customers make a
      // repeat purchase in the calibration period (the 946 customers of
      // their Gamma-Gamma fit); same-day purchases are one transaction.
      // Counting rows instead would give 959.
      {"RepeatPurchaseOnTheCdnowSampleIs946Of2357AsPublished",
       CustomerTimeRequest("repeat_purchase_rate", sample)
           .ParamTime("window_start", "1997-01-01")
           .ParamTime("window_end", "1997-10-01"),
       Expect::Value(100.0 * 946 / 2357).Ratio(946, 2357).SampleSize(2357)},
      // Independent Python count over the same file.
      {"CohortOnTheCdnowSampleNPeriod", ActivityRequest(sample),
       Expect::Value(100.0 * 345 / 2357).Ratio(345, 2357).SampleSize(2357)},
  };
}

std::vector<CatalogCase> RetentionFamilyCases() {
  std::vector<CatalogCase> all;
  for (auto* family : {&ChurnCases, &RetentionCases, &RepeatPurchaseCases,
                       &CohortCases, &CdnowSampleCases}) {
    std::vector<CatalogCase> cases = family();
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

std::vector<FormPair> RetentionFormPairs() {
  const Rows worked = Subscriptions(
      Book().Retained(90).Lost(10).Fresh(4).Returning(1).JoinedAndLeft(1));
  const Rows big = Subscriptions(
      Book().Retained(180).Lost(20).Fresh(35).Returning(5).JoinedAndLeft(7));
  return {
      {"ChurnRecordsMatchTotalsForTheWorkedExample",
       SubscriptionRequest("churn_rate", worked),
       Request("churn_rate")
           .Int("customers_at_start", 100)
           .Int("customers_lost", 10)},
      {"ChurnRecordsMatchTotalsFor20LostOf200",
       SubscriptionRequest("churn_rate", big),
       Request("churn_rate")
           .Int("customers_at_start", 200)
           .Int("customers_lost", 20)},
      {"RetentionRecordsMatchTotalsForS200N40E220",
       SubscriptionRequest("retention_rate", big),
       Request("retention_rate")
           .Int("customers_at_start", 200)
           .Int("customers_at_end", 220)
           .Int("new_customers", 40)},
      // S = 100, E = 90 + 4 + 1 = 95, N = 5.
      {"RetentionRecordsMatchTotalsWithAReturningCustomer",
       SubscriptionRequest("retention_rate", worked),
       Request("retention_rate")
           .Int("customers_at_start", 100)
           .Int("customers_at_end", 95)
           .Int("new_customers", 5)},
      {"RepeatPurchaseOrdersMatchTotalsFor200Of1000",
       OrderRequest(Orders(1000, 200)),
       Request("repeat_purchase_rate")
           .Int("repeat_customers", 200)
           .Int("customers", 1000)},
  };
}

// Segments' totals merged: the counts add up, and each segment is checked
// on its own (the sums may pass where a segment does not).
std::vector<MergedStatesCase> RetentionMergedStates() {
  auto churn = [](int64_t at_start, int64_t lost) {
    return Request("churn_rate")
        .Int("customers_at_start", at_start)
        .Int("customers_lost", lost);
  };
  auto retention = [](int64_t at_start, int64_t at_end, int64_t fresh) {
    return Request("retention_rate")
        .Int("customers_at_start", at_start)
        .Int("customers_at_end", at_end)
        .Int("new_customers", fresh);
  };
  return {
      {"ChurnOfMergedSegmentsIsTheChurnOfTheirSummedCounts",
       {churn(1000, 50), churn(1000, 150)},
       std::move(Expect::Value(10).Ratio(200, 2000).SampleSize(2000))},
      {"ChurnRefusesASegmentThatLosesMoreThanItHad",
       {churn(1000, 10), churn(5, 6)},
       Expect::Error(StatusCode::kInvalidArgument,
                     "customers_lost (6) exceeds customers_at_start (5)")},
      {"RetentionOfMergedSegmentsIsTheRetentionOfTheirSummedCounts",
       {retention(200, 220, 40), retention(100, 90, 0)},
       std::move(Expect::Value(90).Ratio(270, 300).SampleSize(300))},
  };
}

KPI_CATALOG_CASES(Retention, RetentionFamilyCases);
INSTANTIATE_TEST_SUITE_P(Retention, MergedStatesTest,
                         ::testing::ValuesIn(RetentionMergedStates()),
                         CaseName<MergedStatesCase>);
INSTANTIATE_TEST_SUITE_P(Retention, FormPairTest,
                         ::testing::ValuesIn(RetentionFormPairs()),
                         CaseName<FormPair>);

}  // namespace
}  // namespace kpi::testing
