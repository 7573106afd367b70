// Survey family (nps, csat, ces) in the catalog harness: what the declared
// examples cannot show -- intervals, warnings, custom scales and cut-offs,
// parameter errors, and the ratio and sample size of the examples -- plus
// chunking, merging and segment checks on each. Margins are recomputed
// exactly from the catalog's formula, SE = 100 x sqrt((p + d - (p - d)^2) /
// n) and margin = z x SE, with z(0.95) = 1.9599639845400536 and z(0.99) =
// 2.5758293035489 (Python's statistics.NormalDist().inv_cdf).
#include <utility>
#include <vector>

#include "tests/catalog/catalog_harness.h"
#include "tests/catalog/declared_example_cases.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// `count` copies of each (score, count) pair, interleaved so every chunk and
// segment sees a mix.
std::vector<double> Mix(const std::vector<std::pair<double, int>>& counts) {
  std::vector<double> scores;
  bool added = true;
  for (int round = 0; added; ++round) {
    added = false;
    for (const auto& [score, count] : counts) {
      if (round < count) {
        scores.push_back(score);
        added = true;
      }
    }
  }
  return scores;
}

Request Scores(const char* metric, std::vector<double> scores) {
  return std::move(Request(metric).Doubles("scores", std::move(scores)));
}

std::vector<CatalogCase> NpsCases() {
  return {
      // Catalog: 500 responses, 300 promoters, 100 passives, 100
      // detractors; every boundary of the default cut-offs used.
      {"NpsIs40For300Promoters100Passives100DetractorsOf500",
       Scores("nps", Mix({{10, 150},
                          {9, 150},
                          {8, 50},
                          {7, 50},
                          {6, 40},
                          {3, 30},
                          {0, 30}})),
       std::move(Expect::Value(40).Ratio(200, 500).SampleSize(500).Interval(
           32.98781967538735, 47.01218032461265, 7.012180324612651,
           3.577708763999664, 0.95))},
      {"NpsIs60For70PercentPromotersAnd10PercentDetractors",
       Scores("nps", Mix({{9, 70}, {8, 20}, {2, 10}})),
       std::move(Expect::Value(60).Ratio(60, 100).SampleSize(100).Interval(
           46.99906972134142, 73.00093027865858, 13.00093027865858,
           6.6332495807108, 0.95))},
      // Catalog: 50/30/20 of n = 100 -> NPS 30, SE 7.81, margin 15.3.
      {"NpsIs30WithItsMarginOfError",
       Scores("nps", Mix({{9, 50}, {7, 30}, {0, 20}})),
       std::move(Expect::Value(30).Ratio(30, 100).SampleSize(100).Interval(
           14.692191924957331, 45.30780807504267, 15.307808075042669,
           7.810249675906654, 0.95))},
      {"NpsMarginUsesTheNormalQuantileOfTheConfidenceLevel",
       std::move(Scores("nps", Mix({{10, 50}, {7, 30}, {6, 20}}))
                     .ParamDouble("confidence_level", 0.99)),
       std::move(Expect::Value(30).Interval(
           9.882130016766343, 50.11786998323366, 20.117869983233657,
           7.810249675906654, 0.99))},
      {"NpsUsesCustomCutOffs",
       std::move(Scores("nps", Mix({{8, 12}, {7, 12}, {6, 3}, {5, 3}}))
                     .ParamInt("promoter_min", 8)
                     .ParamInt("detractor_max", 5)),
       std::move(Expect::Value(30).Ratio(9, 30).SampleSize(30))},
      // p = 29/30, d = 1/30: SE = 100 x sqrt((1 - (28/30)^2) / 30).
      {"NpsIntervalIsClampedTo100", Scores("nps", Mix({{10, 29}, {0, 1}})),
       std::move(Expect::Value(93.33333333333333)
                     .Interval(80.48652621883095, 100, 12.84680711450238,
                               6.554613868334499, 0.95))},
      {"NpsIs100WithZeroMarginWhenEveryoneIsAPromoter",
       Scores("nps", Mix({{10, 40}})),
       std::move(Expect::Value(100).Interval(100, 100, 0, 0, 0.95))},
      {"NpsIsMinus100WhenEveryoneIsADetractor",
       Scores("nps", Mix({{0, 15}, {6, 15}})),
       std::move(Expect::Value(-100).Interval(-100, -100, 0, 0, 0.95))},
      {"NpsWarnsThatTheMarginIsWideBelow30Responses",
       Scores("nps", Mix({{10, 20}, {8, 9}})),
       std::move(Expect::Value(68.96551724137932)
                     .SampleSize(29)
                     .Warning("only 29 responses"))},
      {"NpsWithoutResponsesHasAnEmptyRatioAndSample",
       ExampleRequest("nps", "no answers"),
       std::move(Expect::Undefined("no responses: scores is empty")
                     .Ratio(0, 0)
                     .SampleSize(0))},
      {"NpsRefusesAScoreAboveTen", Scores("nps", {9, 11}),
       Expect::Error(StatusCode::kInvalidArgument,
                     "input 'scores' row 1: 11 is above the maximum 10")},
      {"NpsRefusesPromoterMinEqualToDetractorMax",
       std::move(Scores("nps", {9})
                     .ParamInt("promoter_min", 6)
                     .ParamInt("detractor_max", 6)),
       Expect::Error(
           StatusCode::kInvalidArgument,
           "promoter_min (6) must be greater than detractor_max (6)")},
      {"NpsRefusesPromoterMinBelowDetractorMax",
       std::move(Scores("nps", {9})
                     .ParamInt("promoter_min", 5)
                     .ParamInt("detractor_max", 7)),
       Expect::Error(
           StatusCode::kInvalidArgument,
           "promoter_min (5) must be greater than detractor_max (7)")},
  };
}

std::vector<CatalogCase> CsatCases() {
  return {
      {"CsatIs80For400SatisfiedOf500",
       Scores("csat", Mix({{5, 250}, {4, 150}, {3, 60}, {1, 40}})),
       std::move(Expect::Value(80).Ratio(400, 500).SampleSize(500))},
      {"CsatCountsItsExamplesSatisfiedAnswersAndResponses",
       ExampleRequest("csat", "30 of 50 satisfied"),
       std::move(Expect::Ok().Ratio(30, 50).SampleSize(50))},
      // (10 x 5 + 20 x 4 + 10 x 3 + 5 x 2 + 5 x 1) / 50.
      {"CsatMeanModeReportsTheMeanScore",
       std::move(ExampleRequest("csat", "30 of 50 satisfied")
                     .ParamString("mode", "mean")),
       std::move(Expect::Value(3.5).SampleSize(50).Unit("score"))},
      {"CsatCountsScoresAtOrAboveTheThresholdOnA10PointScale",
       std::move(Scores("csat", Mix({{10, 3}, {8, 2}, {7, 4}, {1, 1}}))
                     .ParamInt("scale_max", 10)
                     .ParamInt("threshold", 8)),
       std::move(Expect::Value(50).Ratio(5, 10))},
      {"CsatOnA3PointScale",
       std::move(Scores("csat", {3, 3, 3, 2})
                     .ParamInt("scale_max", 3)
                     .ParamInt("threshold", 3)),
       std::move(Expect::Value(75).Ratio(3, 4))},
      {"CsatWithoutResponsesHasAnEmptySample",
       ExampleRequest("csat", "no answers"),
       std::move(Expect::Undefined("no responses").SampleSize(0))},
      {"CsatMeanIsUndefinedWithoutResponses",
       std::move(
           ExampleRequest("csat", "no answers").ParamString("mode", "mean")),
       Expect::Undefined("scores is empty")},
      {"CsatRefusesAScoreOffItsScale",
       std::move(Scores("csat", {5, 4, 4})
                     .ParamInt("scale_max", 3)
                     .ParamInt("threshold", 3)),
       Expect::Error(
           StatusCode::kInvalidArgument,
           "input 'scores' row 0: 5 is above the maximum 3 (parameter "
           "scale_max)")},
      // Two errors: the host's check of the rows comes first in both
      // isolation modes (the state, and the plugin's check of its
      // parameters, come with the first chunk).
      {"CsatReportsARowOffItsScaleBeforeAThresholdOffIt",
       std::move(Scores("csat", {5})
                     .ParamInt("scale_max", 3)
                     .ParamInt("threshold", 4)),
       Expect::Error(
           StatusCode::kInvalidArgument,
           "input 'scores' row 0: 5 is above the maximum 3 (parameter "
           "scale_max)")},
      {"CsatRefusesAThresholdAboveTheScale",
       std::move(Scores("csat", {5}).ParamInt("threshold", 6)),
       Expect::Error(StatusCode::kInvalidArgument,
                     "threshold (6) must lie on the scale [scale_min, "
                     "scale_max] = [1, 5]")},
      {"CsatRefusesAThresholdBelowTheScale",
       std::move(Scores("csat", {5})
                     .ParamInt("scale_min", 2)
                     .ParamInt("threshold", 1)),
       Expect::Error(StatusCode::kInvalidArgument,
                     "threshold (1) must lie on the scale [scale_min, "
                     "scale_max] = [2, 5]")},
      {"CsatRefusesAnEmptyScale",
       std::move(Scores("csat", {5})
                     .ParamInt("scale_min", 5)
                     .ParamInt("threshold", 5)),
       Expect::Error(StatusCode::kInvalidArgument,
                     "scale_min (5) must be less than scale_max (5)")},
      // No score lies on an inverted scale: without rows the plugin's
      // check answers, not the host's range check of the scores.
      {"CsatRefusesAnInvertedScale",
       std::move(Scores("csat", {})
                     .ParamInt("scale_min", 7)
                     .ParamInt("threshold", 7)),
       Expect::Error(StatusCode::kInvalidArgument,
                     "scale_min (7) must be less than scale_max (5)")},
      {"CsatRefusesAnUnknownMode",
       std::move(Scores("csat", {5}).ParamString("mode", "median")),
       Expect::Error(StatusCode::kInvalidArgument, "median")},
  };
}

std::vector<CatalogCase> CesCases() {
  return {
      {"CesCountsItsExamplesAgreeingAnswersAndResponses",
       ExampleRequest("ces", "10 of 20 agree"),
       std::move(Expect::Ok().Ratio(10, 20).SampleSize(20))},
      {"CesCounts4And5OfA5PointScale",
       std::move(Scores("ces", Mix({{5, 3}, {4, 3}, {3, 2}, {2, 1}, {1, 1}}))
                     .ParamInt("scale_max", 5)
                     .ParamInt("threshold", 4)),
       std::move(Expect::Value(60).Ratio(6, 10))},
      {"CesLowerIsBetterCountsScoresAtOrBelowTheThreshold",
       std::move(Scores("ces", Mix({{1, 4}, {2, 2}, {3, 2}, {5, 2}}))
                     .ParamInt("scale_max", 5)
                     .ParamInt("threshold", 2)
                     .ParamBool("lower_is_better", true)),
       std::move(Expect::Value(60).Ratio(6, 10))},
      {"CesMeanModeIsTheMeanScore",
       std::move(Scores("ces", {7, 6, 5, 2}).ParamString("mode", "mean")),
       std::move(Expect::Value(5).SampleSize(4).Unit("score"))},
      {"CesMeanModeIgnoresLowerIsBetter",
       std::move(Scores("ces", {7, 6, 5, 2})
                     .ParamString("mode", "mean")
                     .ParamBool("lower_is_better", true)),
       std::move(Expect::Value(5).Unit("score"))},
      {"CesWithoutResponsesHasAnEmptyRatio",
       ExampleRequest("ces", "no answers"),
       std::move(Expect::Undefined("no responses").Ratio(0, 0))},
      {"CesRefusesAThresholdAboveTheScale",
       std::move(Scores("ces", {5}).ParamInt("threshold", 8)),
       Expect::Error(StatusCode::kInvalidArgument,
                     "threshold (8) must lie on the scale [scale_min, "
                     "scale_max] = [1, 7]")},
      {"CesRefusesAnEmptyScale",
       std::move(Scores("ces", {7})
                     .ParamInt("scale_min", 7)
                     .ParamInt("threshold", 7)),
       Expect::Error(StatusCode::kInvalidArgument,
                     "scale_min (7) must be less than scale_max (7)")},
  };
}

}  // namespace

KPI_CATALOG_CASES(Nps, NpsCases);
KPI_CATALOG_CASES(Csat, CsatCases);
KPI_CATALOG_CASES(Ces, CesCases);

}  // namespace kpi::testing
