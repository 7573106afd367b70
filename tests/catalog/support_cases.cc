// The support family through the catalog harness: first_response_time and
// ticket_resolution_rate. The catalog ("Support family") gives definitions
// but no worked numbers; each expected number below is derived in a comment.
#include <string>
#include <vector>

#include "tests/catalog/catalog_harness.h"
#include "tests/catalog/declared_example_cases.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// ---- first_response_time ----------------------------------------------------

// Ten tickets answered after 1, 2, ..., 10 minutes, in shuffled order (7, 2,
// 10, 4, 1, 9, 5, 3, 8, 6 minutes), one across midnight. Sorted: 60, 120,
// ..., 600 s. Mean 330 s. With linear interpolation (numpy's default) the
// q-quantile sits at h = (n - 1) q: the median at h = 4.5, between 300 and
// 360, is 330 s; p90 at h = 8.1, between 540 and 600, is 546 s
// (nearest-rank would give 540 s).
Request TenTickets() {
  return Request("first_response_time")
      .Timestamps("created", {"2024-05-01T23:55:00Z", "2024-05-01T09:30:00Z",
                              "2024-05-02T10:00:00Z", "2024-05-01T11:15:00Z",
                              "2024-05-01T09:00:00Z", "2024-05-02T09:00:00Z",
                              "2024-05-01T12:00:00Z", "2024-05-01T10:00:00Z",
                              "2024-05-02T08:00:00Z", "2024-05-01T13:00:00Z"})
      .Timestamps("first_response",
                  {"2024-05-02T00:02:00Z", "2024-05-01T09:32:00Z",
                   "2024-05-02T10:10:00Z", "2024-05-01T11:19:00Z",
                   "2024-05-01T09:01:00Z", "2024-05-02T09:09:00Z",
                   "2024-05-01T12:05:00Z", "2024-05-01T10:03:00Z",
                   "2024-05-02T08:08:00Z", "2024-05-01T13:06:00Z"});
}

Expect TenTicketStatistics(double value) {
  return Expect::Value(value)
      .SampleSize(10)
      .Unit("seconds")
      .TableStrings("statistics", "statistic", {"mean", "median", "p90"})
      .TableDoubles("statistics", "seconds", {330, 330, 546});
}

std::vector<CatalogCase> FirstResponseTimeCases() {
  return {
      {"FirstResponseMeanIs330SecondsForTicketsAnsweredIn1To10Minutes",
       TenTickets(), TenTicketStatistics(330)},
      {"FirstResponseMedianIs330Seconds",
       TenTickets().ParamString("statistic", "median"),
       TenTicketStatistics(330)},
      {"FirstResponseP90InterpolatesTo546Seconds",
       TenTickets().ParamString("statistic", "p90"), TenTicketStatistics(546)},
      // 60, 120, 180, 240, 900 s: mean 300; median the middle value 180;
      // p90 at h = 3.6: 240 + 0.6 x (900 - 240) = 636.
      {"FirstResponseStatisticsOfAnOddCountWithAnOutlier",
       Request("first_response_time")
           .Timestamps("created",
                       {"2024-05-01T09:00:00Z", "2024-05-01T09:00:00Z",
                        "2024-05-01T09:00:00Z", "2024-05-01T09:00:00Z",
                        "2024-05-01T09:00:00Z"})
           .Timestamps("first_response",
                       {"2024-05-01T09:15:00Z", "2024-05-01T09:02:00Z",
                        "2024-05-01T09:04:00Z", "2024-05-01T09:01:00Z",
                        "2024-05-01T09:03:00Z"})
           .ParamString("statistic", "median"),
       Expect::Value(180).SampleSize(5).TableDoubles("statistics", "seconds",
                                                     {300, 180, 636})},
      {"FirstResponseOfOneTicketIsItsTimeForEveryStatistic",
       Request("first_response_time")
           .Timestamps("created", {"2024-05-01T09:00:00Z"})
           .Timestamps("first_response", {"2024-05-01T09:00:42Z"}),
       Expect::Value(42).SampleSize(1).TableDoubles("statistics", "seconds",
                                                    {42, 42, 42})},
      // Two tickets still waiting: left out, not counted as 0.
      {"FirstResponseLeavesUnansweredTicketsOutWithAWarning",
       Request("first_response_time")
           .Timestamps("created",
                       {"2024-05-01T09:00:00Z", "2024-05-01T09:00:00Z",
                        "2024-05-01T10:00:00Z", "2024-05-01T09:00:00Z",
                        "2024-05-01T11:00:00Z", "2024-05-01T09:00:00Z"})
           .Timestamps("first_response",
                       {"2024-05-01T09:02:00Z", "", "2024-05-01T10:04:00Z",
                        "2024-05-01T09:06:00Z", "", "2024-05-01T09:08:00Z"}),
       Expect::Value(300).SampleSize(4).Warning(
           "2 ticket(s) without a first response")},
      {"FirstResponseIsUndefinedWhenNoTicketWasAnswered",
       Request("first_response_time")
           .Timestamps("created",
                       {"2024-05-01T09:00:00Z", "2024-05-01T10:00:00Z",
                        "2024-05-01T11:00:00Z"})
           .Timestamps("first_response", {"", "", ""}),
       Expect::Undefined("no answered tickets")
           .SampleSize(0)
           .Warning("3 ticket(s) without a first response")},
      {"FirstResponseWithoutTicketsSaysWhyAndHasAnEmptySample",
       ExampleRequest("first_response_time", "no tickets"),
       std::move(Expect::Undefined("no answered tickets").SampleSize(0))},
      {"FirstResponseRefusesAResponseBeforeTheTicketWasCreated",
       Request("first_response_time")
           .Timestamps("created",
                       {"2024-05-01T09:00:00Z", "2024-05-01T10:00:00Z"})
           .Timestamps("first_response",
                       {"2024-05-01T09:05:00Z", "2024-05-01T09:59:00Z"}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'first_response' row 1: 2024-05-01T09:59:00Z is "
                     "before input 'created' (2024-05-01T10:00:00Z) in the "
                     "same row; first_response must not be before created")},
      {"FirstResponseRefusesATicketCreatedAtTheOpenEnd",
       Request("first_response_time")
           .Timestamps("created", {"2024-05-01T09:00:00Z", ""})
           .Timestamps("first_response", {"2024-05-01T09:05:00Z", ""}),
       Expect::Error(StatusCode::kInvalidArgument, "input 'created'")},
      {"FirstResponseRefusesAnUnknownStatistic",
       TenTickets().ParamString("statistic", "p95"),
       Expect::Error(StatusCode::kInvalidArgument, "statistic")},
  };
}

// ---- ticket_resolution_rate -------------------------------------------------

// Eight tickets around March 2024, the period [2024-03-01, 2024-04-01).
// Opened in the period: rows 2-7 (row 1 before it, row 8 at period_end,
// which is exclusive). Resolved before period_end: rows 2, 3 and 6 (row 4
// is unresolved, row 5 resolved exactly at period_end, row 7 after it).
// 3 of 6: 50%.
Request MarchTickets() {
  return Request("ticket_resolution_rate")
      .Timestamps("opened", {"2024-02-20T10:00:00Z", "2024-03-01T00:00:00Z",
                             "2024-03-05T10:00:00Z", "2024-03-10T10:00:00Z",
                             "2024-03-20T10:00:00Z", "2024-03-25T10:00:00Z",
                             "2024-03-31T12:00:00Z", "2024-04-01T00:00:00Z"})
      .Timestamps("resolved", {"2024-03-02T10:00:00Z", "2024-03-01T05:00:00Z",
                               "2024-03-06T10:00:00Z", "",
                               "2024-04-01T00:00:00Z", "2024-03-31T23:59:59Z",
                               "2024-04-03T10:00:00Z", "2024-04-01T01:00:00Z"})
      .ParamTime("period_start", "2024-03-01")
      .ParamTime("period_end", "2024-04-01");
}

std::vector<CatalogCase> TicketResolutionRateCases() {
  return {
      {"ResolutionRateCountsItsExamplesResolvedAndOpenedTickets",
       ExampleRequest("ticket_resolution_rate", "45 of 50 resolved"),
       std::move(Expect::Ok().Ratio(45, 50).SampleSize(50).Unit("%"))},
      {"ResolutionRateOfTicketsCountsThoseOpenedInThePeriod", MarchTickets(),
       Expect::Value(50).Ratio(3, 6).SampleSize(6)},
      // Resolutions in a period include tickets opened before it.
      {"ResolutionRateWarnsWhenMoreWereResolvedThanOpened",
       Request("ticket_resolution_rate")
           .Int("tickets_resolved", 55)
           .Int("tickets_opened", 50),
       Expect::Value(110).Ratio(55, 50).Warning(
           "tickets_resolved (55) exceed tickets_opened (50): the rate is "
           "above "
           "100%, as when tickets opened before the period are resolved in "
           "it")},
      {"ResolutionRateWithNoTicketsSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("ticket_resolution_rate", "no tickets"),
       std::move(
           Expect::Undefined("no tickets opened in the period").Ratio(0, 0))},
      {"ResolutionRateOfTicketsIsUndefinedWhenNoneWasOpenedInThePeriod",
       MarchTickets()
           .ParamTime("period_start", "2025-01-01")
           .ParamTime("period_end", "2025-02-01"),
       Expect::Undefined("no tickets opened in the period").Ratio(0, 0)},
      {"ResolutionRateRefusesATicketResolvedBeforeItWasOpened",
       Request("ticket_resolution_rate")
           .Timestamps("opened",
                       {"2024-03-05T10:00:00Z", "2024-03-06T10:00:00Z"})
           .Timestamps("resolved",
                       {"2024-03-05T11:00:00Z", "2024-03-06T09:00:00Z"})
           .ParamTime("period_start", "2024-03-01")
           .ParamTime("period_end", "2024-04-01"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'resolved' row 1: 2024-03-06T09:00:00Z is before "
                     "input 'opened' (2024-03-06T10:00:00Z) in the same row; "
                     "resolved must not be before opened")},
      {"ResolutionRateRefusesATicketOpenedAtTheOpenEnd",
       Request("ticket_resolution_rate")
           .Timestamps("opened", {"2024-03-05T10:00:00Z", ""})
           .Timestamps("resolved", {"2024-03-05T11:00:00Z", ""})
           .ParamTime("period_start", "2024-03-01")
           .ParamTime("period_end", "2024-04-01"),
       Expect::Error(StatusCode::kInvalidArgument, "input 'opened'")},
      {"ResolutionRateOfTicketsRequiresThePeriod",
       Request("ticket_resolution_rate")
           .Timestamps("opened", {"2024-03-05T10:00:00Z"})
           .Timestamps("resolved", {"2024-03-05T11:00:00Z"}),
       Expect::Error(StatusCode::kInvalidArgument, "period_start")},
      {"ResolutionRateRefusesAPeriodEndingBeforeItStarts",
       MarchTickets()
           .ParamTime("period_start", "2024-04-01")
           .ParamTime("period_end", "2024-03-01"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "parameter 'period_end' (2024-03-01T00:00:00Z) is before "
                     "period_start (2024-04-01T00:00:00Z)")},
  };
}

std::vector<CatalogCase> SupportCases() {
  std::vector<CatalogCase> all = FirstResponseTimeCases();
  for (CatalogCase& c : TicketResolutionRateCases()) {
    all.push_back(std::move(c));
  }
  return all;
}

KPI_CATALOG_CASES(Support, SupportCases);

// ---- Record form against aggregate form ------------------------------------

std::vector<FormPair> SupportFormPairs() {
  return {
      {"ResolutionRateOfTicketsEqualsThatOfTheirPeriodTotals", MarchTickets(),
       Request("ticket_resolution_rate")
           .Int("tickets_resolved", 3)
           .Int("tickets_opened", 6)},
  };
}

INSTANTIATE_TEST_SUITE_P(Support, FormPairTest,
                         ::testing::ValuesIn(SupportFormPairs()),
                         CaseName<FormPair>);

}  // namespace
}  // namespace kpi::testing
