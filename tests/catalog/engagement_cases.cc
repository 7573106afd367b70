// The engagement family through the catalog harness: click_through_rate,
// engagement_rate, average_session_duration, conversion_rate and
// cart_abandonment_rate. Expected numbers come from the worked examples of
// the KPI catalog (/work/shared/kpi-catalog.md, "Engagement family") unless
// a comment derives them.
#include <string>
#include <utility>
#include <vector>

#include "tests/catalog/catalog_harness.h"
#include "tests/catalog/declared_example_cases.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// ---- click_through_rate -----------------------------------------------------

// Six campaign rows: 100 clicks of 1,000 impressions in all.
Request CtrCampaigns() {
  return Request("click_through_rate")
      .Int64s("campaign_clicks", {5, 15, 20, 25, 15, 20})
      .Int64s("campaign_impressions", {50, 150, 200, 250, 150, 200});
}

std::vector<CatalogCase> ClickThroughRateCases() {
  return {
      {"CtrCountsItsExamplesClicksAndImpressions",
       ExampleRequest("click_through_rate", "100 clicks of 1,000 emails"),
       std::move(Expect::Ok().Ratio(100, 1000).SampleSize(1000).Unit("%"))},
      {"CtrIs0WithNoClicks",
       Request("click_through_rate").Int("clicks", 0).Int("impressions", 1000),
       Expect::Value(0).Ratio(0, 1000)},
      // Some tools count total rather than unique clicks: a warning, not an
      // error.
      {"CtrAbove100PercentWarnsThatClicksExceedImpressions",
       Request("click_through_rate").Int("clicks", 150).Int("impressions", 100),
       Expect::Value(150).Ratio(150, 100).Warning(
           "clicks (150) exceed impressions (100): the rate is above 100%")},
      {"CtrWithClicksButNoImpressionsIsUndefinedAndWarns",
       Request("click_through_rate").Int("clicks", 5).Int("impressions", 0),
       Expect::Undefined("impressions is 0")
           .Warning("clicks (5) exceed impressions (0)")},
      {"CtrOfCampaignRowsIsTheRateOfTheirSums", CtrCampaigns(),
       Expect::Value(10).Ratio(100, 1000).SampleSize(1000)},
      // (1 + 30 + 30 + 30) / (100 + 300 + 300 + 300) = 9.1%, while the mean
      // of the rows' rates (1%, 10%, 10%, 10%; the last two rows have none)
      // would be 7.75%.
      {"CtrOfCampaignRowsIsNotTheMeanOfTheirRates",
       Request("click_through_rate")
           .Int64s("campaign_clicks", {1, 30, 30, 30, 0, 0})
           .Int64s("campaign_impressions", {100, 300, 300, 300, 0, 0}),
       Expect::Value(9.1).Ratio(91, 1000)},
      {"CtrIsUndefinedWhenNoCampaignRowHasImpressions",
       Request("click_through_rate")
           .Int64s("campaign_clicks", {0, 0, 0, 0})
           .Int64s("campaign_impressions", {0, 0, 0, 0}),
       Expect::Undefined("impressions is 0").Ratio(0, 0)},
      {"CtrWithNoImpressionsSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("click_through_rate", "no impressions"),
       std::move(Expect::Undefined("impressions is 0").Ratio(0, 0))},
      {"CtrOfCampaignRowsWarnsWhenClicksExceedImpressions",
       Request("click_through_rate")
           .Int64s("campaign_clicks", {30, 30, 30, 30, 15, 15})
           .Int64s("campaign_impressions", {20, 20, 20, 20, 10, 10}),
       Expect::Value(150).Ratio(150, 100).Warning(
           "clicks (150) exceed impressions (100): the rate is above 100%")},
      {"CtrRefusesNegativeCampaignClicks",
       Request("click_through_rate")
           .Int64s("campaign_clicks", {5, -1})
           .Int64s("campaign_impressions", {50, 50}),
       Expect::Error(StatusCode::kInvalidArgument, "campaign_clicks")},
  };
}

// ---- engagement_rate --------------------------------------------------------

// Five posts of an account with 2,000 followers: 500 likes, 200 shares and
// 50 comments in all, on 5 x 2,000 = 10,000 follower-posts.
Request EngagementPosts() {
  return Request("engagement_rate")
      .Int64s("post_likes", {100, 80, 120, 90, 110})
      .Int64s("post_shares", {40, 30, 50, 40, 40})
      .Int64s("post_comments", {10, 5, 15, 10, 10})
      .Int64s("post_followers", {2000, 2000, 2000, 2000, 2000});
}

// The declared example's totals.
Request EngagementTotals() {
  return ExampleRequest("engagement_rate",
                        "750 engagements on 10,000 followers");
}

std::vector<CatalogCase> EngagementRateCases() {
  return {
      {"EngagementRateCountsItsExamplesEngagementsAndFollowers",
       EngagementTotals(),
       std::move(Expect::Ok().Ratio(750, 10000).SampleSize(10000).Unit("%"))},
      {"EngagementRateCountsSavesWhenGiven",
       EngagementTotals().Int("saves", 250),
       Expect::Value(10).Ratio(1000, 10000)},
      {"EngagementRateByReachDividesByReach",
       EngagementTotals()
           .Int("reach", 5000)
           .ParamString("denominator", "reach"),
       Expect::Value(15).Ratio(750, 5000)},
      {"EngagementRateByImpressionsDividesByImpressions",
       EngagementTotals()
           .Int("impressions", 25000)
           .ParamString("denominator", "impressions"),
       Expect::Value(3).Ratio(750, 25000)},
      {"EngagementRateRefusesAMissingChosenDenominator",
       EngagementTotals().ParamString("denominator", "reach"),
       Expect::Error(StatusCode::kInvalidArgument, "input 'reach'")},
      {"EngagementRateRefusesAnUnknownDenominator",
       EngagementTotals().ParamString("denominator", "fans"),
       Expect::Error(StatusCode::kInvalidArgument, "denominator")},
      {"EngagementRateIsUndefinedWithNoFollowers",
       Request("engagement_rate")
           .Int("likes", 5)
           .Int("shares", 0)
           .Int("comments", 0)
           .Int("followers", 0),
       Expect::Undefined("followers is 0").Ratio(5, 0)},
      {"EngagementRateOfPostsIsTotalEngagementsOverTotalFollowers",
       EngagementPosts(), Expect::Value(7.5).Ratio(750, 10000)},
      {"EngagementRateOfPostsCountsTheirSaves",
       EngagementPosts().Int64s("post_saves", {50, 50, 50, 50, 50}),
       Expect::Value(10).Ratio(1000, 10000)},
      // Reach differs per post: (150 + 115 + 185 + 140 + 160) / 7,500.
      {"EngagementRateOfPostsByReachDividesByTheirTotalReach",
       EngagementPosts()
           .Int64s("post_reach", {1000, 1500, 2000, 1000, 2000})
           .ParamString("denominator", "reach"),
       Expect::Value(10).Ratio(750, 7500)},
      {"EngagementRateOfPostsRefusesAMissingChosenDenominatorColumn",
       EngagementPosts().ParamString("denominator", "impressions"),
       Expect::Error(StatusCode::kInvalidArgument, "input 'post_impressions'")},
      {"EngagementRateOfPostsIsUndefinedWithNoFollowers",
       Request("engagement_rate")
           .Int64s("post_likes", {1, 2, 3, 4})
           .Int64s("post_shares", {0, 0, 0, 0})
           .Int64s("post_comments", {0, 0, 0, 0})
           .Int64s("post_followers", {0, 0, 0, 0}),
       Expect::Undefined("followers is 0").Ratio(10, 0)},
      {"EngagementRateRefusesNegativeLikes",
       EngagementTotals().Int("likes", -1),
       Expect::Error(StatusCode::kInvalidArgument, "likes")},
  };
}

// ---- average_session_duration -----------------------------------------------

// Six sessions of 4 to 6 minutes: 1,800 s in all, "average session 5
// minutes".
Request SessionDurations() {
  return Request("average_session_duration")
      .Doubles("duration_seconds", {240, 360, 300, 270, 330, 300});
}

// The same six sessions as start and end instants.
Request SessionIntervals() {
  return Request("average_session_duration")
      .Timestamps("start", {"2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z",
                            "2024-03-01T23:58:00Z", "2024-03-02T08:00:00Z",
                            "2024-03-02T09:30:00Z", "2024-03-03T12:00:00Z"})
      .Timestamps("end", {"2024-03-01T10:04:00Z", "2024-03-01T11:06:00Z",
                          "2024-03-02T00:03:00Z", "2024-03-02T08:04:30Z",
                          "2024-03-02T09:35:30Z", "2024-03-03T12:05:00Z"});
}

// Four sessions of 1,200 s in all and two bounces of zero length.
Request SessionsWithBounces() {
  return Request("average_session_duration")
      .Doubles("duration_seconds", {240, 0, 360, 300, 0, 300});
}

std::vector<CatalogCase> AverageSessionDurationCases() {
  return {
      {"AverageSessionIs5MinutesFor1800SecondsOver6Sessions",
       SessionDurations(),
       Expect::Value(300).Ratio(1800, 6).SampleSize(6).Unit("seconds")},
      {"AverageSessionOfStartAndEndInstantsIs5Minutes", SessionIntervals(),
       Expect::Value(300).Ratio(1800, 6).SampleSize(6)},
      {"AverageSessionOfTotalsIs5Minutes",
       Request("average_session_duration")
           .Double("total_seconds", 1800)
           .Int("sessions", 6),
       Expect::Value(300).Ratio(1800, 6).SampleSize(6)},
      {"AverageSessionCountsZeroLengthSessionsByDefault", SessionsWithBounces(),
       Expect::Value(200).Ratio(1200, 6)},
      {"AverageSessionLeavesZeroLengthSessionsOutWhenAsked",
       SessionsWithBounces().ParamBool("include_zero_length", false),
       Expect::Value(300).Ratio(1200, 4).SampleSize(4)},
      {"AverageSessionLeavesOutZeroLengthIntervalsWhenAsked",
       Request("average_session_duration")
           .Timestamps("start",
                       {"2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z",
                        "2024-03-01T12:00:00Z", "2024-03-01T13:00:00Z"})
           .Timestamps("end", {"2024-03-01T10:10:00Z", "2024-03-01T11:00:00Z",
                               "2024-03-01T12:00:00Z", "2024-03-01T13:20:00Z"})
           .ParamBool("include_zero_length", false),
       Expect::Value(900).Ratio(1800, 2)},
      {"AverageSessionIsUndefinedWhenEverySessionBouncedAndBouncesAreLeftOut",
       Request("average_session_duration")
           .Doubles("duration_seconds", {0, 0, 0, 0})
           .ParamBool("include_zero_length", false),
       Expect::Undefined("every session has zero length").Ratio(0, 0)},
      {"AverageSessionWithoutSessionsSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("average_session_duration", "no sessions"),
       std::move(Expect::Undefined("sessions is 0").Ratio(0, 0).SampleSize(0))},
      {"AverageSessionOfOnlyBouncesIs0WhenTheyCount",
       Request("average_session_duration")
           .Doubles("duration_seconds", {0, 0, 0, 0}),
       Expect::Value(0).Ratio(0, 4)},
      {"AverageSessionIsUndefinedWithNoSessions",
       Request("average_session_duration")
           .Double("total_seconds", 0)
           .Int("sessions", 0),
       Expect::Undefined("sessions is 0").Ratio(0, 0)},
      {"AverageSessionLeavesOpenSessionsOutWithAWarning",
       Request("average_session_duration")
           .Timestamps("start", {"2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z",
                                 "2024-03-01T23:58:00Z", "2024-03-02T08:00:00Z",
                                 "2024-03-02T09:30:00Z", "2024-03-03T12:00:00Z",
                                 "2024-03-03T13:00:00Z"})
           .Timestamps("end",
                       {"2024-03-01T10:04:00Z", "2024-03-01T11:06:00Z",
                        "2024-03-02T00:03:00Z", "2024-03-02T08:04:30Z",
                        "2024-03-02T09:35:30Z", "2024-03-03T12:05:00Z", ""}),
       Expect::Value(300).Ratio(1800, 6).Warning("1 session(s) still open")},
      {"AverageSessionRefusesASessionEndingBeforeItStarts",
       Request("average_session_duration")
           .Timestamps("start",
                       {"2024-03-01T10:00:00Z", "2024-03-01T11:00:00Z"})
           .Timestamps("end", {"2024-03-01T10:05:00Z", "2024-03-01T10:59:00Z"}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'end' row 1: 2024-03-01T10:59:00Z is before "
                     "input 'start' (2024-03-01T11:00:00Z) in the same row; "
                     "end must not be before start")},
      {"AverageSessionRefusesSessionTimeWithoutSessions",
       Request("average_session_duration")
           .Double("total_seconds", 60)
           .Int("sessions", 0),
       Expect::Error(StatusCode::kInvalidArgument, "sessions is 0")},
      {"AverageSessionOfTotalsWarnsThatZeroLengthCannotBeLeftOut",
       Request("average_session_duration")
           .Double("total_seconds", 1800)
           .Int("sessions", 6)
           .ParamBool("include_zero_length", false),
       Expect::Value(300).Warning("totals cannot tell zero-length sessions")},
      {"AverageSessionRefusesNegativeDurations",
       Request("average_session_duration")
           .Doubles("duration_seconds", {60, -1}),
       Expect::Error(StatusCode::kInvalidArgument, "duration_seconds")},
  };
}

// ---- conversion_rate --------------------------------------------------------

// Eight visits of five visitors; v1 converts on a later visit, v4 twice:
// 2 of 5 visitors converted.
Request ConversionVisits() {
  return Request("conversion_rate")
      .Strings("visitor", {"v1", "v2", "v3", "v4", "v1", "v2", "v5", "v4"})
      .Int64s("converted", {0, 0, 0, 1, 1, 0, 0, 1});
}

std::vector<CatalogCase> ConversionRateCases() {
  return {
      {"ConversionRateIs5PercentFor50Of1000Visitors",
       Request("conversion_rate").Int("conversions", 50).Int("visitors", 1000),
       Expect::Value(5).Ratio(50, 1000).SampleSize(1000).Unit("%")},
      {"ConversionRateOfVisitsCountsEachVisitorOnce", ConversionVisits(),
       Expect::Value(40).Ratio(2, 5).SampleSize(5)},
      {"ConversionRateOfVisitsWithoutConversionsIs0",
       Request("conversion_rate")
           .Strings("visitor", {"a", "b", "a", "c", "b", "a"})
           .Int64s("converted", {0, 0, 0, 0, 0, 0}),
       Expect::Value(0).Ratio(0, 3)},
      {"ConversionRateWithNoVisitorsSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("conversion_rate", "no visitors"),
       std::move(Expect::Undefined("visitors is 0").Ratio(0, 0))},
      {"ConversionRateWarnsWhenConversionsExceedVisitors",
       Request("conversion_rate").Int("conversions", 120).Int("visitors", 100),
       Expect::Value(120).Ratio(120, 100).Warning(
           "conversions (120) exceed visitors (100): the rate is above 100%")},
      {"ConversionRateRefusesAConvertedFlagOtherThan0Or1",
       Request("conversion_rate")
           .Strings("visitor", {"a", "b"})
           .Int64s("converted", {1, 2}),
       Expect::Error(StatusCode::kInvalidArgument, "converted")},
  };
}

// ---- cart_abandonment_rate --------------------------------------------------

// Ten carts: 7 abandoned, 3 completed.
Request CartStatuses() {
  return Request("cart_abandonment_rate")
      .Strings(
          "cart_status",
          {"abandoned", "completed", "abandoned", "abandoned", "completed",
           "abandoned", "abandoned", "abandoned", "completed", "abandoned"});
}

std::vector<CatalogCase> CartAbandonmentRateCases() {
  return {
      {"CartAbandonmentCountsItsExamplesCarts",
       ExampleRequest("cart_abandonment_rate", "70 abandoned, 30 bought"),
       std::move(Expect::Ok().Ratio(70, 100).SampleSize(100).Unit("%"))},
      // Not abandoned / completed, which would be 233%.
      {"CartAbandonmentOfCartRowsIs70PercentFor7Of10", CartStatuses(),
       Expect::Value(70).Ratio(7, 10).SampleSize(10)},
      {"CartAbandonmentWithNoCartsSaysWhyAndHasAnEmptyRatio",
       ExampleRequest("cart_abandonment_rate", "no carts"),
       std::move(Expect::Undefined("without carts").Ratio(0, 0))},
      {"CartAbandonmentIsUndefinedForNoCartRows",
       Request("cart_abandonment_rate").Strings("cart_status", {}),
       Expect::Undefined("without carts").Ratio(0, 0)},
      {"CartAbandonmentRefusesAnUnknownCartStatus",
       Request("cart_abandonment_rate")
           .Strings("cart_status", {"abandoned", "Completed", "completed"}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "\"Completed\" is neither \"abandoned\" nor "
                     "\"completed\"")},
  };
}

std::vector<CatalogCase> EngagementCases() {
  std::vector<CatalogCase> all;
  for (auto* family : {&ClickThroughRateCases, &EngagementRateCases,
                       &AverageSessionDurationCases, &ConversionRateCases,
                       &CartAbandonmentRateCases}) {
    for (CatalogCase& c : family()) all.push_back(std::move(c));
  }
  return all;
}

KPI_CATALOG_CASES(Engagement, EngagementCases);

// Segments' totals merged: the counts add up.
std::vector<MergedStatesCase> EngagementMergedStates() {
  auto ctr = [](int64_t clicks, int64_t impressions) {
    return Request("click_through_rate")
        .Int("clicks", clicks)
        .Int("impressions", impressions);
  };
  return {
      {"CtrOfMergedSegmentsIsTheCtrOfTheirSummedCounts",
       {ctr(100, 1000), ctr(50, 4000)},
       std::move(Expect::Value(3).Ratio(150, 5000).SampleSize(5000))},
  };
}

INSTANTIATE_TEST_SUITE_P(Engagement, MergedStatesTest,
                         ::testing::ValuesIn(EngagementMergedStates()),
                         CaseName<MergedStatesCase>);

// ---- Record form against aggregate form ------------------------------------

std::vector<FormPair> EngagementFormPairs() {
  return {
      {"CtrOfCampaignRowsEqualsCtrOfTheirTotals", CtrCampaigns(),
       Request("click_through_rate")
           .Int("clicks", 100)
           .Int("impressions", 1000)},
      {"EngagementRateOfPostsEqualsThatOfTheirTotals", EngagementPosts(),
       EngagementTotals()},
      {"EngagementRateOfPostsWithSavesByImpressionsEqualsThatOfTheirTotals",
       EngagementPosts()
           .Int64s("post_saves", {10, 0, 20, 5, 15})
           .Int64s("post_impressions", {9000, 11000, 8000, 12000, 10000})
           .ParamString("denominator", "impressions"),
       EngagementTotals()
           .Int("saves", 50)
           .Int("impressions", 50000)
           .ParamString("denominator", "impressions")},
      {"AverageSessionOfDurationsEqualsThatOfTheirTotals", SessionDurations(),
       Request("average_session_duration")
           .Double("total_seconds", 1800)
           .Int("sessions", 6)},
      {"AverageSessionOfIntervalsEqualsThatOfTheirTotals", SessionIntervals(),
       Request("average_session_duration")
           .Double("total_seconds", 1800)
           .Int("sessions", 6)},
      {"ConversionRateOfVisitsEqualsThatOfDistinctVisitorTotals",
       ConversionVisits(),
       Request("conversion_rate").Int("conversions", 2).Int("visitors", 5)},
      {"CartAbandonmentOfCartRowsEqualsThatOfTheirTotals", CartStatuses(),
       Request("cart_abandonment_rate")
           .Int("abandoned_carts", 7)
           .Int("completed_orders", 3)},
  };
}

INSTANTIATE_TEST_SUITE_P(Engagement, FormPairTest,
                         ::testing::ValuesIn(EngagementFormPairs()),
                         CaseName<FormPair>);

}  // namespace
}  // namespace kpi::testing
