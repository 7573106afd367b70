// Catalog cases of the journey and segmentation family: funnel, rfm and
// health_score (plugin "journey"), through the server's dispatch path.
//
// Expected numbers: the catalog's worked example (health score: weights 1, 2,
// 1 on scores 80, 50, 100 give 70), hand-computed small examples (the
// arithmetic is in the comments), and for RFM the first 40 customers of the
// CDNOW sample (/work/shared/datasets/cdnow/CDNOW_sample.txt), computed
// independently by the script quoted beside that case. Funnel tables were
// also checked against a brute-force reading of the definitions (every
// attempt, every choice of events, no greedy shortcut).
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "tests/catalog/catalog_harness.h"
#include "tests/catalog/declared_example_cases.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// ---- funnel
// -------------------------------------------------------------------

struct Event {
  const char* customer;
  const char* stage;
  const char* time;
};

Request FunnelRequest(const std::vector<Event>& events) {
  std::vector<std::string> customers, stages, times;
  for (const Event& e : events) {
    customers.push_back(e.customer);
    stages.push_back(e.stage);
    times.push_back(e.time);
  }
  return std::move(Request("funnel")
                       .Strings("customer", customers)
                       .Strings("stage", stages)
                       .Timestamps("time", times));
}

// Twelve journeys through the default stages (awareness, consideration,
// decision, retention, advocacy), each testing one rule; deliberately not in
// time order. Depth reached by mode (no window / window of 3 days):
//   customer  events (day of March 2024)          ordered  strict  any
//   c01  aw 1, co 2, de 3, re 4, ad 5               5 / 4   5 / 4  5 / 4
//   c02  aw 1, co 2, de 3                           3 / 3   3 / 3  3 / 3
//   c03  aw 1, de 2, co 3  (de before co)           2 / 2   1 / 1  3 / 3
//   c04  co 1, aw 2, de 3  (co before aw)           1 / 1   1 / 1  3 / 3
//   c05  aw 1, co 10       (slow)                   2 / 1   2 / 1  2 / 1
//   c06  aw 1, aw 20, co 21, de 22 (second try)     3 / 3   3 / 3  3 / 3
//   c07  aw 1, co 2, co 3, de 4 (repeat; de on the
//        window's edge)                             3 / 3   2 / 2  3 / 3
//   c08  aw 1, co 1 (same instant), de 2            3 / 3   3 / 3  3 / 3
//   c09  co 1, de 2        (never aware)            0 / 0   0 / 0  0 / 0
//   c10  aw 5                                       1 / 1   1 / 1  1 / 1
//   c11  aw 1, purchase 2 (not a stage), co 3       2 / 2   2 / 2  2 / 2
//   c12  aw 1, re 2, ad 3, co 4                     2 / 2   1 / 1  2 / 2
std::vector<Event> TwelveJourneys() {
  return {
      {"c01", "advocacy", "2024-03-05"},
      {"c03", "awareness", "2024-03-01"},
      {"c01", "awareness", "2024-03-01"},
      {"c02", "awareness", "2024-03-01"},
      {"c04", "consideration", "2024-03-01"},
      {"c01", "consideration", "2024-03-02"},
      {"c02", "consideration", "2024-03-02"},
      {"c03", "decision", "2024-03-02"},
      {"c04", "awareness", "2024-03-02"},
      {"c01", "decision", "2024-03-03"},
      {"c02", "decision", "2024-03-03"},
      {"c03", "consideration", "2024-03-03"},
      {"c04", "decision", "2024-03-03"},
      {"c01", "retention", "2024-03-04"},
      {"c05", "consideration", "2024-03-10"},
      {"c05", "awareness", "2024-03-01"},
      {"c06", "decision", "2024-03-22"},
      {"c06", "awareness", "2024-03-20"},
      {"c06", "consideration", "2024-03-21"},
      {"c06", "awareness", "2024-03-01"},
      {"c07", "awareness", "2024-03-01"},
      {"c07", "decision", "2024-03-04"},
      {"c07", "consideration", "2024-03-03"},
      {"c07", "consideration", "2024-03-02"},
      {"c08", "consideration", "2024-03-01T09:00:00Z"},
      {"c08", "awareness", "2024-03-01T09:00:00Z"},
      {"c08", "decision", "2024-03-02"},
      {"c09", "consideration", "2024-03-01"},
      {"c09", "decision", "2024-03-02"},
      {"c10", "awareness", "2024-03-05"},
      {"c11", "awareness", "2024-03-01"},
      {"c11", "purchase", "2024-03-02"},
      {"c11", "consideration", "2024-03-03"},
      {"c12", "consideration", "2024-03-04"},
      {"c12", "awareness", "2024-03-01"},
      {"c12", "retention", "2024-03-02"},
      {"c12", "advocacy", "2024-03-03"},
  };
}

const std::vector<std::string> kDefaultStages = {
    "awareness", "consideration", "decision", "retention", "advocacy"};
constexpr int64_t kThreeDays = 3 * 86400;

// The two warnings TwelveJourneys always gives.
Expect& WithJourneyWarnings(Expect& expect) {
  return expect
      .Warning("1 event with a stage not in stages ignored (e.g. \"purchase\")")
      .Warning(
          "1 customer with events of later stages but none of the first "
          "stage \"awareness\": not in the funnel");
}

// The expectation of a funnel over the default stages with these entrants:
// value, ratio and sample size follow from them, and the conversions are
// given exactly as computed (k / k-1 x 100 and k / 1 x 100).
Expect FunnelOf(std::vector<int64_t> entrants, std::vector<double> step,
                std::vector<double> overall, std::vector<int64_t> drop_off) {
  const double first = static_cast<double>(entrants.front());
  const double last = static_cast<double>(entrants.back());
  Expect expect = Expect::Value(last / first * 100.0);
  expect.Ratio(last, first)
      .SampleSize(first)
      .Unit("%")
      .TableStrings("stages", "stage", kDefaultStages)
      .TableInt64s("stages", "entrants", entrants)
      .TableDoubles("stages", "step_conversion", step)
      .TableDoubles("stages", "overall_conversion", overall)
      .TableInt64s("stages", "drop_off", drop_off);
  WithJourneyWarnings(expect);
  return expect;
}

std::vector<CatalogCase> FunnelCases() {
  return {
      // Entrants 11, 9, 5, 1, 1 (see TwelveJourneys): step 9/11, 5/9, 1/5,
      // 1/1; overall 9/11, 5/11, 1/11, 1/11.
      {"FunnelOrderedCountsStagesReachedAtOrAfterThePrevious",
       FunnelRequest(TwelveJourneys()),
       FunnelOf({11, 9, 5, 1, 1},
                {100, 81.81818181818183, 55.55555555555556, 20, 100},
                {100, 81.81818181818183, 45.45454545454545, 9.090909090909092,
                 9.090909090909092},
                {0, 2, 4, 4, 0})},
      {"FunnelStrictNeedsEachStageAsTheVeryNextFunnelEvent",
       std::move(FunnelRequest(TwelveJourneys()).ParamString("mode", "strict")),
       FunnelOf({11, 7, 4, 1, 1},
                {100, 63.63636363636363, 57.14285714285714, 25, 100},
                {100, 63.63636363636363, 36.36363636363637, 9.090909090909092,
                 9.090909090909092},
                {0, 4, 3, 3, 0})},
      {"FunnelAnyIgnoresOrderButStaysCumulative",
       std::move(FunnelRequest(TwelveJourneys()).ParamString("mode", "any")),
       FunnelOf({11, 10, 7, 1, 1},
                {100, 90.9090909090909, 70, 14.285714285714285, 100},
                {100, 90.9090909090909, 63.63636363636363, 9.090909090909092,
                 9.090909090909092},
                {0, 1, 3, 6, 0})},
      // A window of 3 days (inclusive): c01 loses advocacy (day 5), c05
      // consideration (day 10); c06 converts on its second attempt; c07's
      // decision, exactly 3 days after awareness, still counts.
      {"FunnelOrderedWindowCountsStagesWithinTheWindowOfTheBestAttempt",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamInt("window_seconds", kThreeDays)),
       FunnelOf(
           {11, 8, 5, 1, 0}, {100, 72.72727272727273, 62.5, 20, 0},
           {100, 72.72727272727273, 45.45454545454545, 9.090909090909092, 0},
           {0, 3, 3, 4, 1})},
      {"FunnelStrictWindow",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamString("mode", "strict")
                     .ParamInt("window_seconds", kThreeDays)),
       FunnelOf(
           {11, 6, 4, 1, 0}, {100, 54.54545454545454, 66.66666666666666, 25, 0},
           {100, 54.54545454545454, 36.36363636363637, 9.090909090909092, 0},
           {0, 5, 2, 3, 1})},
      // Mode any looks both ways from the first-stage event: c04's
      // consideration a day before its awareness counts.
      {"FunnelAnyWindowLooksBothWaysFromTheFirstStage",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamString("mode", "any")
                     .ParamInt("window_seconds", kThreeDays)),
       FunnelOf(
           {11, 9, 7, 1, 0},
           {100, 81.81818181818183, 77.77777777777779, 14.285714285714285, 0},
           {100, 81.81818181818183, 63.63636363636363, 9.090909090909092, 0},
           {0, 2, 2, 6, 1})},
      // A period of one day, 2024-03-01: only awareness on that day starts
      // an attempt, so c04 (aware on the 2nd) and c10 (the 5th) are not
      // entrants, and c06's second attempt (the 20th) does not count.
      // Later stages may fall after the period: c01's advocacy on the 5th,
      // c06's consideration and decision on the 21st and 22nd still count.
      // Ordered: depths c01 5, c02 3, c03 2, c05 2, c06 3, c07 3, c08 3,
      // c11 2, c12 2 -> entrants 9, 9, 5, 1, 1 (11, 9, 5, 1, 1 without).
      {"FunnelPeriodLimitsWhoEntersNotWhereTheyGo",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamTime("period_start", "2024-03-01")
                     .ParamTime("period_end", "2024-03-02")),
       FunnelOf(
           {9, 9, 5, 1, 1}, {100, 100, 55.55555555555556, 20, 100},
           {100, 100, 55.55555555555556, 11.11111111111111, 11.11111111111111},
           {0, 0, 4, 4, 0})},
      // Strict: c06's only attempt in the period (the 1st) is interrupted by
      // its awareness on the 20th: depth 1, not 3. Depths c01 5, c02 3, c03
      // 1, c05 2, c06 1, c07 2, c08 3, c11 2, c12 1 -> 9, 6, 3, 1, 1.
      {"FunnelStrictPeriodKeepsLaterEventsAsInterruptions",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamString("mode", "strict")
                     .ParamTime("period_start", "2024-03-01")
                     .ParamTime("period_end", "2024-03-02")),
       FunnelOf({9, 6, 3, 1, 1},
                {100, 66.66666666666666, 50, 33.33333333333333, 100},
                {100, 66.66666666666666, 33.33333333333333, 11.11111111111111,
                 11.11111111111111},
                {0, 3, 3, 2, 0})},
      // The period is half-open: c04, aware exactly at period_start (the
      // 2nd), enters (depth 1: its consideration came before); c10, aware
      // exactly at period_end (the 5th), does not, nor does anyone aware
      // only on the 1st or the 20th. Entrants 1, 0, 0, 0, 0.
      {"FunnelPeriodIsHalfOpen",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamTime("period_start", "2024-03-02")
                     .ParamTime("period_end", "2024-03-05")),
       std::move(WithJourneyWarnings(
           Expect::Value(0).Ratio(0, 1).SampleSize(1).TableInt64s(
               "stages", "entrants", {1, 0, 0, 0, 0})))},
      {"FunnelWithoutEntrantsInThePeriodIsUndefined",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamTime("period_start", "2024-04-01")
                     .ParamTime("period_end", "2024-05-01")),
       std::move(WithJourneyWarnings(
           Expect::Undefined("no customer entered the first stage "
                             "\"awareness\" in the period "
                             "[2024-04-01T00:00:00Z, 2024-05-01T00:00:00Z)")
               .Ratio(0, 0)
               .TableInt64s("stages", "entrants", {0, 0, 0, 0, 0})))},
      {"FunnelRefusesAPeriodThatEndsBeforeItStarts",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamTime("period_start", "2024-03-02")
                     .ParamTime("period_end", "2024-03-02")),
       Expect::Error(StatusCode::kInvalidArgument,
                     "period_end (2024-03-02T00:00:00Z) is not after "
                     "period_start (2024-03-02T00:00:00Z)")},
      // Any list of stages, spaces around names trimmed. 6 signed up, 4
      // activated, 1 paid: 1 / 6 overall.
      {"FunnelTakesAnyListOfStages",
       std::move(FunnelRequest({{"u1", "signup", "2024-01-01"},
                                {"u1", "activate", "2024-01-02"},
                                {"u1", "pay", "2024-01-03"},
                                {"u2", "signup", "2024-01-01"},
                                {"u2", "activate", "2024-01-05"},
                                {"u3", "signup", "2024-01-02"},
                                {"u3", "activate", "2024-01-02"},
                                {"u4", "activate", "2024-01-03"},
                                {"u4", "signup", "2024-01-04"},
                                {"u4", "activate", "2024-01-06"},
                                {"u5", "signup", "2024-01-02"},
                                {"u6", "signup", "2024-01-07"}})
                     .ParamString("stages", " signup, activate ,pay")),
       std::move(
           Expect::Value(100.0 / 6)
               .Ratio(1, 6)
               .SampleSize(6)
               .TableStrings("stages", "stage", {"signup", "activate", "pay"})
               .TableInt64s("stages", "entrants", {6, 4, 1})
               .TableDoubles("stages", "step_conversion", {100, 400.0 / 6, 25})
               .TableDoubles("stages", "overall_conversion",
                             {100, 400.0 / 6, 100.0 / 6})
               .TableInt64s("stages", "drop_off", {0, 2, 3}))},
      {"FunnelWithoutEventsSaysWhyAndShowsEmptyStages",
       ExampleRequest("funnel", "no events"),
       std::move(Expect::Undefined("no customer entered the first stage "
                                   "\"awareness\"")
                     .Ratio(0, 0)
                     .TableInt64s("stages", "entrants", {0, 0, 0, 0, 0}))},
      // Nobody entered the first stage: undefined, with zero cells (never
      // NaN) in the table and a warning about who was left out.
      {"FunnelWithoutFirstStageEntrantsIsUndefined",
       FunnelRequest({{"a", "consideration", "2024-01-01"},
                      {"b", "decision", "2024-01-02"},
                      {"c", "consideration", "2024-01-03"},
                      {"a", "decision", "2024-01-04"}}),
       std::move(Expect::Undefined("no customer entered the first stage")
                     .Ratio(0, 0)
                     .Warning("3 customers with events of later stages but "
                              "none of the first stage \"awareness\"")
                     .TableInt64s("stages", "entrants", {0, 0, 0, 0, 0})
                     .TableDoubles("stages", "step_conversion", {0, 0, 0, 0, 0})
                     .TableInt64s("stages", "drop_off", {0, 0, 0, 0, 0}))},
      {"FunnelRefusesAnEventWithoutCustomer",
       FunnelRequest(
           {{"a", "awareness", "2024-01-01"}, {"", "decision", "2024-01-02"}}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'customer' row 1: the key is empty")},
      {"FunnelRefusesASingleStage",
       std::move(
           FunnelRequest(TwelveJourneys()).ParamString("stages", "awareness")),
       Expect::Error(StatusCode::kInvalidArgument,
                     "stages \"awareness\" names one stage")},
      {"FunnelRefusesAStageTwice",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamString("stages", "awareness,decision,awareness")),
       Expect::Error(StatusCode::kInvalidArgument,
                     "stages names \"awareness\" twice")},
      {"FunnelRefusesAnEmptyStageName",
       std::move(FunnelRequest(TwelveJourneys())
                     .ParamString("stages", "awareness,,decision")),
       Expect::Error(StatusCode::kInvalidArgument,
                     "parameter 'stages' item 2 (''): is empty")},
      {"FunnelRefusesAnUnknownMode",
       std::move(FunnelRequest(TwelveJourneys()).ParamString("mode", "loose")),
       Expect::Error(StatusCode::kInvalidArgument, "mode")},
      {"FunnelRefusesANegativeWindow",
       std::move(
           FunnelRequest(TwelveJourneys()).ParamInt("window_seconds", -1)),
       Expect::Error(StatusCode::kInvalidArgument, "window_seconds")},
  };
}

// ---- rfm
// ------------------------------------------------------------------------

struct Purchase {
  const char* customer;
  const char* time;
  double amount;
};

Request RfmRequest(const std::vector<Purchase>& purchases,
                   const std::string& as_of) {
  std::vector<std::string> customers, times;
  std::vector<double> amounts;
  for (const Purchase& p : purchases) {
    customers.push_back(p.customer);
    times.push_back(p.time);
    amounts.push_back(p.amount);
  }
  return std::move(Request("rfm")
                       .Strings("customer", customers)
                       .Timestamps("time", times)
                       .Doubles("amount", amounts)
                       .ParamTime("as_of", as_of));
}

// Five customers as of 2024-03-31, one per segment:
//   customer  last purchase     recency  purchases  total
//   a         2024-03-01        30       2          30
//   b         2024-02-01        59       1          5
//   c         2024-03-20        11       3          300
//   d         2023-06-01        304      1          1000
//   e         2024-03-30 12:00  0.5      1          0
std::vector<Purchase> FiveCustomers() {
  return {{"c", "2024-01-01", 100},         {"a", "2024-01-01", 10},
          {"b", "2024-02-01", 5},           {"c", "2024-01-15", 100},
          {"d", "2023-06-01", 1000},        {"a", "2024-03-01", 20},
          {"e", "2024-03-30T12:00:00Z", 0}, {"c", "2024-03-20", 100}};
}

// Ten customers who last bought on the same day, with 1, 1, 1, 1, 1, 1, 2,
// 2, 3 and 5 purchases of 10 each.
std::vector<Purchase> TiedCustomers() {
  std::vector<Purchase> purchases;
  static const char* const kIds[] = {"t0", "t1", "t2", "t3", "t4",
                                     "t5", "t6", "t7", "t8", "t9"};
  const int counts[] = {1, 1, 1, 1, 1, 1, 2, 2, 3, 5};
  static const char* const kDays[] = {"2024-01-01", "2024-01-02", "2024-01-03",
                                      "2024-01-04", "2024-02-01"};
  for (int i = 0; i < 10; ++i) {
    // The last purchase of everyone is on 2024-02-01.
    for (int k = counts[i] - 1; k >= 0; --k) {
      purchases.push_back({kIds[i], k == 0 ? kDays[4] : kDays[k - 1], 10});
    }
  }
  return purchases;
}

// Transactions of the first 40 customers (sample ids 0001-0040) of the CDNOW
// sample: "id YYYYMMDD dollars", from CDNOW_sample.txt's columns 2, 3 and 5.
constexpr const char kCdnow40[] = R"(
    0001 19970101 29.33  0001 19970118 29.73  0001 19970802 14.96
    0001 19971212 26.48  0002 19970101 63.34  0002 19970113 11.77
    0003 19970101 6.79  0004 19970101 13.97  0005 19970101 23.94
    0006 19970101 35.99  0006 19970111 32.99  0006 19970315 77.96
    0006 19970416 59.30  0006 19970424 134.98  0006 19970623 91.92
    0006 19970722 47.08  0006 19970726 71.96  0006 19971025 78.47
    0006 19971206 83.47  0006 19980118 84.46  0006 19980215 123.96
    0006 19980221 32.98  0006 19980226 23.06  0006 19980510 72.99
    0006 19980620 55.47  0007 19970101 11.77  0007 19970205 11.77
    0008 19970101 32.91  0008 19980304 15.27  0008 19980307 11.49
    0009 19970101 16.36  0009 19970501 28.13  0009 19970908 22.97
    0009 19980210 28.49  0009 19980211 28.98  0010 19970101 30.32
    0011 19970101 18.99  0011 19970127 14.37  0011 19970201 9.77
    0011 19970302 15.99  0011 19970504 47.33  0011 19970621 59.74
    0011 19971111 32.98  0012 19970101 13.97  0013 19970101 29.53
    0013 19971130 16.48  0013 19971213 36.97  0013 19971221 17.98
    0013 19971224 36.97  0013 19980224 11.49  0013 19980318 11.88
    0013 19980527 11.88  0014 19970101 43.70  0015 19970101 15.76
    0016 19970101 12.49  0017 19970101 25.98  0017 19970206 23.54
    0017 19970211 13.97  0017 19970212 27.77  0017 19970228 9.98
    0017 19970311 15.36  0017 19970527 21.97  0017 19970531 17.30
    0017 19970708 51.75  0017 19970807 36.74  0017 19970828 23.97
    0017 19971229 41.47  0017 19980106 29.99  0018 19970101 13.97
    0018 19970204 9.99  0019 19970102 35.93  0019 19970223 26.73
    0019 19970420 23.76  0019 19970719 24.74  0019 19980215 15.49
    0019 19980505 43.47  0020 19970102 17.96  0021 19970102 14.99
    0021 19970302 34.60  0021 19970414 29.99  0022 19970102 8.77
    0023 19970102 14.70  0024 19970102 14.96  0025 19970102 87.74
    0025 19971221 14.99  0026 19970102 3.99  0026 19970113 166.89
    0026 19970113 60.25  0027 19970102 15.90  0028 19970102 26.14
    0028 19970727 80.46  0029 19970102 46.37  0030 19970102 28.76
    0030 19970212 40.47  0031 19970102 44.77  0032 19970102 10.77
    0033 19970102 25.99  0034 19970102 14.99  0035 19970102 11.77
    0035 19970711 31.14  0035 19980614 59.49  0036 19970102 14.96
    0037 19970102 34.97  0038 19970102 47.00  0038 19970117 13.97
    0039 19970102 15.36  0039 19971009 16.99  0040 19970102 14.99
)";

Request Cdnow40Request() {
  std::vector<std::string> customers, times;
  std::vector<double> amounts;
  std::istringstream in(kCdnow40);
  std::string id, date;
  double dollars;
  while (in >> id >> date >> dollars) {
    customers.push_back(id);
    times.push_back(date.substr(0, 4) + "-" + date.substr(4, 2) + "-" +
                    date.substr(6, 2));
    amounts.push_back(dollars);
  }
  return std::move(Request("rfm")
                       .Strings("customer", customers)
                       .Timestamps("time", times)
                       .Doubles("amount", amounts)
                       .ParamTime("as_of", "1998-07-01"));
}

std::vector<std::string> Cdnow40Ids() {
  std::vector<std::string> ids;
  for (int i = 1; i <= 40; ++i) {
    char id[8];
    std::snprintf(id, sizeof(id), "%04d", i);
    ids.push_back(id);
  }
  return ids;
}

const std::vector<std::string> kRfmSegments = {
    "champions", "at_risk", "loyal", "new", "lost", "hibernating", "others"};

std::vector<CatalogCase> RfmCases() {
  return {
      // q = 5, n = 5: score = 1 + floor(5 x mid / 5) = 1 + floor(mid), mid
      // = the middle rank (from 0) of the value's tie group. R ranks the
      // last purchase (d < b < a < c < e), F the count (b, d, e tie at 1,
      // ranks 0..2, mid 1; a 2; c 3), M the total (e < b < a < c < d).
      // Segments: a R3 F4 -> loyal; b R2 F2 -> hibernating; c 4 5 4 ->
      // champions; d R1 F2 -> lost (M5 does not save it); e R5 F2 -> new.
      {"RfmScoresAndSegmentsFiveCustomers",
       RfmRequest(FiveCustomers(), "2024-03-31"),
       std::move(
           Expect::Value(5)
               .SampleSize(5)
               .Unit("customers")
               .TableStrings("customers", "customer", {"a", "b", "c", "d", "e"})
               .TableDoubles("customers", "recency_days",
                             {30, 59, 11, 304, 0.5})
               .TableInt64s("customers", "frequency", {2, 1, 3, 1, 1})
               .TableDoubles("customers", "monetary", {30, 5, 300, 1000, 0})
               .TableInt64s("customers", "r", {3, 2, 4, 1, 5})
               .TableInt64s("customers", "f", {4, 2, 5, 2, 2})
               .TableInt64s("customers", "m", {3, 2, 4, 5, 1})
               .TableStrings(
                   "customers", "segment",
                   {"loyal", "hibernating", "champions", "lost", "new"})
               .TableStrings("segments", "segment", kRfmSegments)
               .TableInt64s("segments", "customers", {1, 0, 1, 1, 1, 1, 0}))},
      // q = 4: score = 1 + floor(4 x mid / 5), so ranks 0..4 -> 1 1 2 3 4
      // and the "high" bins are 3-4; the F tie of b, d, e (mid 1) scores 1.
      // a R2 F3 M2 -> others; b 1 1 1 -> lost; c 3 4 3 -> champions; d R1
      // F1 -> lost; e R4 F1 -> new.
      {"RfmWithQuartilesScores1To4",
       std::move(
           RfmRequest(FiveCustomers(), "2024-03-31").ParamInt("quantiles", 4)),
       std::move(
           Expect::Value(5)
               .TableInt64s("customers", "r", {2, 1, 3, 1, 4})
               .TableInt64s("customers", "f", {3, 1, 4, 1, 1})
               .TableInt64s("customers", "m", {2, 1, 3, 4, 1})
               .TableStrings("customers", "segment",
                             {"others", "lost", "champions", "lost", "new"})
               .TableInt64s("segments", "customers", {1, 0, 0, 1, 2, 0, 1}))},
      // Ties share the score of their middle: the six one-time buyers (ranks
      // 0..5, mid 2.5) all score F = 1 + floor(5 x 2.5 / 10) = 2, not 1, 1,
      // 2, 2, 3, 3 by row order nor 1 by their lowest rank; the two with 2
      // purchases (ranks 6..7, mid 6.5) score 4; 3 and 5 purchases: 5.
      // Everyone bought last on the same day (ranks 0..9, mid 4.5), so R = 3
      // for all, not 1: no one is "lost" or "at_risk" for a recency that
      // does not differ. M follows F (10 per purchase). R3 with high F is
      // loyal; the rest are others.
      {"RfmGivesTiedValuesTheScoreOfTheirMiddle",
       RfmRequest(TiedCustomers(), "2024-03-01"),
       std::move(
           Expect::Value(10)
               .TableInt64s("customers", "frequency",
                            {1, 1, 1, 1, 1, 1, 2, 2, 3, 5})
               .TableDoubles("customers", "monetary",
                             {10, 10, 10, 10, 10, 10, 20, 20, 30, 50})
               .TableInt64s("customers", "r", {3, 3, 3, 3, 3, 3, 3, 3, 3, 3})
               .TableInt64s("customers", "f", {2, 2, 2, 2, 2, 2, 4, 4, 5, 5})
               .TableInt64s("customers", "m", {2, 2, 2, 2, 2, 2, 4, 4, 5, 5})
               .TableInt64s("segments", "customers", {0, 0, 4, 0, 0, 0, 6}))},
      // Seven identical customers who all bought yesterday: every dimension
      // is one tie group (ranks 0..6, mid 3), 1 + floor(5 x 3 / 7) = 3, the
      // middle of the scale; no segment of the extremes claims them.
      {"RfmScoresIdenticalCustomersInTheMiddle",
       RfmRequest({{"s1", "2024-03-30", 10},
                   {"s2", "2024-03-30", 10},
                   {"s3", "2024-03-30", 10},
                   {"s4", "2024-03-30", 10},
                   {"s5", "2024-03-30", 10},
                   {"s6", "2024-03-30", 10},
                   {"s7", "2024-03-30", 10}},
                  "2024-03-31"),
       std::move(
           Expect::Value(7)
               .TableInt64s("customers", "r", {3, 3, 3, 3, 3, 3, 3})
               .TableInt64s("customers", "f", {3, 3, 3, 3, 3, 3, 3})
               .TableInt64s("customers", "m", {3, 3, 3, 3, 3, 3, 3})
               .TableInt64s("segments", "customers", {0, 0, 0, 0, 0, 0, 7}))},
      // The first 40 customers of the CDNOW sample (108 transactions, 1997-01
      // to 1998-06) as of 1998-07-01. Expected values from this independent
      // script (Python 3, direct counting instead of sorting):
      //   rows = [(s, d, float(v)) for _, s, d, _, v in
      //           (l.split() for l in open("CDNOW_sample.txt")) if int(s) <=
      //           40]
      //   as_of = date(1998, 7, 1); cust = {}
      //   for c, d, v in rows:
      //       day = date(int(d[:4]), int(d[4:6]), int(d[6:]))
      //       last, n, total = cust.get(c, (None, 0, 0.0))
      //       cust[c] = (max(day, last or day), n + 1, total + v)
      //   ids = sorted(cust); N, q = len(ids), 5
      //   score = lambda vs: [1 + q * (2 * sum(w < v for w in vs) +
      //                       sum(w == v for w in vs) - 1) // (2 * N)
      //                       for v in vs]
      //   rec = [(as_of - cust[c][0]).days for c in ids]
      //   R = score([-x for x in rec]); F = score([cust[c][1] for c in ids])
      //   M = score([cust[c][2] for c in ids])
      //   segment: the rule table of plugins/journey/rfm.h, first match.
      {"RfmOfFortyCdnowCustomers", Cdnow40Request(),
       std::move(
           Expect::Value(40)
               .SampleSize(40)
               .TableStrings("customers", "customer", Cdnow40Ids())
               .TableDoubles(
                   "customers", "recency_days",
                   {
                       201, 534, 546, 546, 546, 11,  511, 116, 140, 546,
                       232, 546, 35,  546, 546, 546, 176, 512, 57,  545,
                       443, 545, 545, 545, 192, 534, 545, 339, 545, 504,
                       545, 545, 545, 545, 17,  545, 545, 530, 265, 545,
                   })
               .TableInt64s("customers", "frequency",
                            {
                                4, 2, 1,  1, 1, 16, 2, 3, 5, 1, 7, 1, 8, 1,
                                1, 1, 13, 2, 6, 1,  3, 1, 1, 1, 2, 3, 1, 2,
                                1, 2, 1,  1, 1, 1,  3, 1, 1, 2, 2, 1,
                            })
               .TableDoubles(
                   "customers", "monetary",
                   {
                       100.5, 75.11,  6.79,   13.97,  23.94,  1107.04, 23.54,
                       59.67, 124.93, 30.32,  199.17, 13.97,  173.18,  43.7,
                       15.76, 12.49,  339.79, 23.96,  170.12, 17.96,   79.58,
                       8.77,  14.7,   14.96,  102.73, 231.13, 15.9,    106.6,
                       46.37, 69.23,  44.77,  10.77,  25.99,  14.99,   102.4,
                       14.96, 34.97,  60.97,  32.35,  14.99,
                   })
               .TableInt64s("customers", "r",
                            {
                                4, 3, 1, 1, 1, 5, 4, 5, 5, 1, 4, 1, 5, 1,
                                1, 1, 5, 4, 5, 2, 4, 2, 2, 2, 5, 3, 2, 4,
                                2, 4, 2, 2, 2, 2, 5, 2, 2, 3, 4, 2,
                            })
               .TableInt64s("customers", "f",
                            {
                                5, 4, 2, 2, 2, 5, 4, 4, 5, 2, 5, 2, 5, 2,
                                2, 2, 5, 4, 5, 2, 4, 2, 2, 2, 4, 4, 2, 4,
                                2, 4, 2, 2, 2, 2, 4, 2, 2, 4, 4, 2,
                            })
               .TableInt64s("customers", "m",
                            {
                                4, 4, 1, 1, 2, 5, 2, 4, 5, 3, 5, 1, 5, 3,
                                2, 1, 5, 3, 5, 2, 4, 1, 1, 1, 4, 5, 2, 5,
                                3, 4, 3, 1, 3, 2, 4, 1, 3, 4, 3, 2,
                            })
               .TableStrings(
                   "customers", "segment",
                   {"champions",   "loyal",       "lost",        "lost",
                    "lost",        "champions",   "loyal",       "champions",
                    "champions",   "lost",        "champions",   "lost",
                    "champions",   "lost",        "lost",        "lost",
                    "champions",   "loyal",       "champions",   "hibernating",
                    "champions",   "hibernating", "hibernating", "hibernating",
                    "champions",   "loyal",       "hibernating", "champions",
                    "hibernating", "champions",   "hibernating", "hibernating",
                    "hibernating", "hibernating", "champions",   "hibernating",
                    "hibernating", "loyal",       "loyal",       "hibernating"})
               .TableStrings("segments", "segment", kRfmSegments)
               .TableInt64s("segments", "customers", {13, 0, 6, 0, 8, 13, 0}))},
      {"RfmWithFewerCustomersThanQuantilesWarns",
       RfmRequest({{"x", "2024-01-01", 5},
                   {"y", "2024-01-02", 6},
                   {"x", "2024-01-03", 7}},
                  "2024-02-01"),
       std::move(Expect::Value(2)
                     .Warning("only 2 customers, fewer than quantiles (5)")
                     .TableInt64s("customers", "r", {3, 1})
                     .TableInt64s("customers", "f", {3, 1})
                     .TableInt64s("customers", "m", {3, 1}))},
      {"RfmWithoutTransactionsIsUndefined", RfmRequest({}, "2024-01-01"),
       Expect::Undefined("no transactions")},
      {"RfmRefusesATransactionAfterAsOf",
       RfmRequest(FiveCustomers(), "2024-03-30"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "customer \"e\" has a transaction at "
                     "2024-03-30T12:00:00Z, after as_of 2024-03-30T00:00:00Z")},
      {"RfmRefusesATransactionWithoutCustomer",
       RfmRequest({{"a", "2024-01-01", 5}, {"", "2024-01-02", 6}},
                  "2024-02-01"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'customer' row 1: the key is empty")},
      {"RfmNeedsAsOf",
       std::move(Request("rfm")
                     .Strings("customer", {"a"})
                     .Timestamps("time", {"2024-01-01"})
                     .Doubles("amount", {1})),
       Expect::Error(StatusCode::kInvalidArgument, "as_of")},
      {"RfmRefusesThreeQuantiles",
       std::move(
           RfmRequest(FiveCustomers(), "2024-03-31").ParamInt("quantiles", 3)),
       Expect::Error(StatusCode::kInvalidArgument, "quantiles")},
      {"RfmRefusesANegativeAmount",
       RfmRequest({{"a", "2024-01-01", 5}, {"b", "2024-01-02", -1}},
                  "2024-02-01"),
       Expect::Error(StatusCode::kInvalidArgument, "amount")},
  };
}

// ---- health_score
// ------------------------------------------------------------

struct SignalValue {
  const char* customer;
  const char* signal;
  double value;
};

Request HealthRequest(const std::vector<SignalValue>& rows,
                      const std::string& signals) {
  std::vector<std::string> customers, names;
  std::vector<double> values;
  for (const SignalValue& row : rows) {
    customers.push_back(row.customer);
    names.push_back(row.signal);
    values.push_back(row.value);
  }
  return std::move(Request("health_score")
                       .Strings("customer", customers)
                       .Strings("signal", names)
                       .Doubles("value", values)
                       .ParamString("signals", signals));
}

// usage: weight 2, higher is better, 0..100; nps: weight 1, -100..100;
// tickets: weight 1, lower is better, 0..20.
constexpr const char kSixSignals[] =
    "usage:2:higher, nps:1:higher:-100:100, tickets:1:lower:0:20";

// Normalised (usage, nps, tickets) and score = (2u + n + t) / 4 (skip: over
// the weights present):
//   h1  90, 50 -> 75, 2 -> 90             (180 + 75 + 90) / 4 = 86.25  green
//   h2  40, -20 -> 40, 10 -> 50           (80 + 40 + 50) / 4  = 42.5   red
//   h3  120 -> 100, 0 -> 50, 30 -> 0      (200 + 50 + 0) / 4  = 62.5   yellow
//   h4  75, 100 -> 100, -                 (150 + 100) / 3 = 83.33 green
//                                         zero: 250 / 4 = 62.5 yellow
//   h5  -10 -> 0, -100 -> 0, 0 -> 100     100 / 4 = 25                 red
//   h6  -, -, 5 -> 75                     75 / 1 = 75 green (75 is not < 75)
//                                         zero: 75 / 4 = 18.75 red
std::vector<SignalValue> SixCustomers() {
  return {{"h1", "usage", 90},   {"h2", "usage", 40},  {"h1", "nps", 50},
          {"h3", "usage", 120},  {"h1", "tickets", 2}, {"h2", "nps", -20},
          {"h2", "tickets", 10}, {"h3", "nps", 0},     {"h3", "tickets", 30},
          {"h4", "usage", 75},   {"h4", "nps", 100},   {"h5", "usage", -10},
          {"h5", "nps", -100},   {"h5", "tickets", 0}, {"h6", "tickets", 5}};
}

const std::vector<std::string> kSixIds = {"h1", "h2", "h3", "h4", "h5", "h6"};

std::vector<CatalogCase> HealthScoreCases() {
  return {
      // The catalog: weights 1, 2, 1 on scores 80, 50, 100 -> 70.
      {"HealthScoreIsTheWeightedMeanOfItsSignals",
       HealthRequest({{"acme", "a", 80},
                      {"acme", "b", 50},
                      {"acme", "c", 100},
                      {"zeta", "a", 40},
                      {"zeta", "b", 90},
                      {"zeta", "c", 60}},
                     "a:1:higher,b:2:higher,c:1:higher"),
       // zeta: (40 + 180 + 60) / 4 = 70 as well; bands: both yellow.
       std::move(Expect::Value(70)
                     .SampleSize(2)
                     .Unit("score")
                     .TableStrings("customers", "customer", {"acme", "zeta"})
                     .TableDoubles("customers", "score", {70, 70})
                     .TableStrings("customers", "band", {"yellow", "yellow"})
                     .TableStrings("bands", "band", {"red", "yellow", "green"})
                     .TableInt64s("bands", "customers", {0, 2, 0}))},
      // Mean (86.25 + 42.5 + 62.5 + 250/3 + 25 + 75) / 6 = 4495 / 72.
      {"HealthScoreNormalisesFlipsAndSkipsMissingSignals",
       HealthRequest(SixCustomers(), kSixSignals),
       std::move(Expect::Value(4495.0 / 72)
                     .SampleSize(6)
                     .Warning("2 of 6 customers lack a signal; their scores "
                              "use the signals they have")
                     .TableStrings("customers", "customer", kSixIds)
                     .TableDoubles("customers", "score",
                                   {86.25, 42.5, 62.5, 250.0 / 3, 25, 75})
                     .TableStrings(
                         "customers", "band",
                         {"green", "red", "yellow", "green", "red", "green"})
                     .TableInt64s("customers", "signals", {3, 3, 3, 2, 3, 1})
                     .TableInt64s("bands", "customers", {2, 1, 3}))},
      // Mean (86.25 + 42.5 + 62.5 + 62.5 + 25 + 18.75) / 6 = 297.5 / 6.
      {"HealthScoreScoresMissingSignalsZeroWhenAsked",
       std::move(HealthRequest(SixCustomers(), kSixSignals)
                     .ParamString("missing", "zero")),
       std::move(
           Expect::Value(297.5 / 6)
               .Warning("2 of 6 customers lack a signal; their missing "
                        "signals score 0")
               .TableDoubles("customers", "score",
                             {86.25, 42.5, 62.5, 62.5, 25, 18.75})
               .TableStrings("customers", "band",
                             {"green", "red", "yellow", "yellow", "red", "red"})
               .TableInt64s("bands", "customers", {3, 2, 1}))},
      {"HealthScoreTakesCustomBands",
       std::move(HealthRequest(SixCustomers(), kSixSignals)
                     .ParamString("bands", "low<40, mid<80, high")),
       std::move(Expect::Value(4495.0 / 72)
                     .Warning("2 of 6 customers lack a signal")
                     .TableStrings("customers", "band",
                                   {"high", "mid", "mid", "high", "low", "mid"})
                     .TableStrings("bands", "band", {"low", "mid", "high"})
                     .TableInt64s("bands", "customers", {1, 3, 2}))},
      {"HealthScoreWithoutRowsIsUndefined", HealthRequest({}, kSixSignals),
       Expect::Undefined("no rows")},
      {"HealthScoreRefusesAnUndeclaredSignal",
       HealthRequest({{"h1", "usage", 50}, {"h1", "logins", 3}}, kSixSignals),
       Expect::Error(StatusCode::kInvalidArgument,
                     "signal \"logins\" (customer \"h1\") is not declared")},
      {"HealthScoreRefusesTwoValuesOfOneSignal",
       HealthRequest({{"h1", "usage", 50},
                      {"h2", "usage", 60},
                      {"h1", "nps", 10},
                      {"h1", "usage", 70}},
                     kSixSignals),
       Expect::Error(StatusCode::kInvalidArgument,
                     "customer \"h1\" has two values of signal \"usage\" "
                     "(50 and 70)")},
      {"HealthScoreRefusesARowWithoutCustomer",
       HealthRequest({{"h1", "usage", 50}, {"", "usage", 60}}, kSixSignals),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'customer' row 1: the key is empty")},
      {"HealthScoreNeedsSignals",
       std::move(Request("health_score")
                     .Strings("customer", {"h1"})
                     .Strings("signal", {"usage"})
                     .Doubles("value", {50})),
       Expect::Error(StatusCode::kInvalidArgument, "signals")},
      {"HealthScoreRefusesAZeroWeight",
       HealthRequest(SixCustomers(), "usage:0:higher"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "signals item 1 (\"usage:0:higher\") weight must be "
                     "greater than 0")},
      {"HealthScoreRefusesAnUnknownDirection",
       HealthRequest(SixCustomers(), "usage:1:up"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "parameter 'signals' item 1 ('usage:1:up') field "
                     "'direction': 'up' is not one of: higher, lower")},
      {"HealthScoreRefusesMinNotBelowMax",
       HealthRequest(SixCustomers(), "usage:1:higher:10:10"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "min (10) must be less than max (10)")},
      {"HealthScoreRefusesAMalformedSignal",
       HealthRequest(SixCustomers(), "usage:1"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "parameter 'signals' item 1 ('usage:1'): has 2 fields; "
                     "an item is name:weight:direction[:min:max]")},
      {"HealthScoreRefusesAWeightThatIsNoNumber",
       HealthRequest(SixCustomers(), "usage:2:higher,tickets:x:lower"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "parameter 'signals' item 2 ('tickets:x:lower') field "
                     "'weight': 'x' is not a finite number")},
      {"HealthScoreRefusesASignalTwice",
       HealthRequest(SixCustomers(), "usage:1:higher,usage:2:higher"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "signals declares \"usage\" twice")},
      {"HealthScoreRefusesBandBoundsOutOfOrder",
       std::move(HealthRequest(SixCustomers(), kSixSignals)
                     .ParamString("bands", "red<75,yellow<50,green")),
       Expect::Error(StatusCode::kInvalidArgument,
                     "bands item 2 (\"yellow<50\") bound must be greater")},
      {"HealthScoreRefusesABoundOnTheLastBand",
       std::move(HealthRequest(SixCustomers(), kSixSignals)
                     .ParamString("bands", "red<50,green<100")),
       Expect::Error(StatusCode::kInvalidArgument,
                     "bands item 2 (\"green<100\") has a bound")},
      {"HealthScoreRefusesAnUnknownMissingMode",
       std::move(HealthRequest(SixCustomers(), kSixSignals)
                     .ParamString("missing", "mean")),
       Expect::Error(StatusCode::kInvalidArgument, "missing")},
  };
}

KPI_CATALOG_CASES(JourneyFunnel, FunnelCases);
KPI_CATALOG_CASES(JourneyRfm, RfmCases);
KPI_CATALOG_CASES(JourneyHealthScore, HealthScoreCases);

}  // namespace
}  // namespace kpi::testing
