// The survey plugin: nps, csat and ces, through the C++ layer and the C ABI.
// Expected numbers come from the worked examples of the KPI catalog
// (/work/shared/kpi-catalog.md, "Survey family") unless a comment says
// otherwise; margins are recomputed exactly from the catalog's formula.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "plugins/survey/ces.h"
#include "plugins/survey/csat.h"
#include "plugins/survey/normal_quantile.h"
#include "plugins/survey/nps.h"
#include "tests/plugins/metric_harness.h"

namespace kpi::testing {
namespace {

using ::testing::Combine;
using ::testing::Values;
using ::testing::ValuesIn;

const Family& Survey() {
  static const Family* family =
      new Family{std::string(KPI_TEST_PLUGIN_DIR) + "/kpi_plugin_survey.so",
                 {{"nps", &RunCxx<survey::Nps>},
                  {"csat", &RunCxx<survey::Csat>},
                  {"ces", &RunCxx<survey::Ces>}}};
  return *family;
}

// An NPS interval from its exact standard error: margin = z x SE with
// z(0.95) = 1.959963984540054, bounds clamped to [-100, 100].
Interval NpsInterval(double nps, double standard_error, double margin,
                     double confidence_level = 0.95) {
  return Interval{std::max(-100.0, nps - margin), std::min(100.0, nps + margin),
                  margin, standard_error, confidence_level};
}

// ---- nps --------------------------------------------------------------------

std::vector<MetricCase> NpsCases() {
  return {
      // Promoters 9-10, passives 7-8, detractors 0-6, every boundary used.
      // SE = 100 x sqrt((0.6 + 0.2 - 0.4^2) / 500).
      {"NpsIs40For300Promoters100Passives100DetractorsOf500",
       "nps",
       Scores(Distribution(
           {{10, 150}, {9, 150}, {8, 50}, {7, 50}, {6, 40}, {3, 30}, {0, 30}})),
       {},
       Expected::Value(40).WithRatio(200, 500).WithSampleSize(500).WithInterval(
           NpsInterval(40, 3.577708763999664, 7.012180324612651))},
      {"NpsIs60For70PercentPromotersAnd10PercentDetractors",
       "nps",
       Scores(Distribution({{9, 70}, {8, 20}, {2, 10}})),
       {},
       Expected::Value(60).WithRatio(60, 100).WithSampleSize(100).WithInterval(
           NpsInterval(60, 6.6332495807108, 13.00093027865858))},
      // Catalog: SE 7.81, 95% margin +-15.3.
      {"NpsIs30WithStandardError7_81AndMargin15_3For50_30_20OfN100",
       "nps",
       Scores(Distribution({{10, 50}, {7, 30}, {6, 20}})),
       {},
       Expected::Value(30).WithRatio(30, 100).WithSampleSize(100).WithInterval(
           NpsInterval(30, 7.810249675906654, 15.307808075042669))},
      // z(0.99) = 2.5758293035489.
      {"NpsMarginUsesTheNormalQuantileOfTheConfidenceLevel",
       "nps",
       Scores(Distribution({{10, 50}, {7, 30}, {6, 20}})),
       {{"confidence_level", 0.99}},
       Expected::Value(30).WithInterval(
           NpsInterval(30, 7.810249675906654, 20.117869983233657, 0.99))},
      {"NpsUsesCustomCutOffs",
       "nps",
       Scores(Distribution({{8, 12}, {7, 12}, {6, 3}, {5, 3}})),
       {{"promoter_min", 8}, {"detractor_max", 5}},
       Expected::Value(30).WithRatio(9, 30).WithSampleSize(30)},
      // p = 29/30, d = 1/30: SE = 100 x sqrt((1 - (28/30)^2) / 30).
      {"NpsIntervalIsClampedTo100",
       "nps",
       Scores(Distribution({{10, 29}, {0, 1}})),
       {},
       Expected::Value(93.33333333333333)
           .WithInterval(NpsInterval(93.33333333333333, 6.554613868334499,
                                     12.84680711450238))},
      {"NpsIs100WithZeroMarginWhenEveryoneIsAPromoter",
       "nps",
       Scores(Distribution({{10, 40}})),
       {},
       Expected::Value(100).WithInterval(Interval{100, 100, 0, 0, 0.95})},
      {"NpsIsMinus100WhenEveryoneIsADetractor",
       "nps",
       Scores(Distribution({{0, 15}, {6, 15}})),
       {},
       Expected::Value(-100).WithInterval(Interval{-100, -100, 0, 0, 0.95})},
      {"NpsWarnsThatTheMarginIsWideBelow30Responses",
       "nps",
       Scores(Distribution({{10, 20}, {8, 9}})),
       {},
       Expected::Value(68.96551724137932)
           .WithSampleSize(29)
           .WithWarning("only 29 responses")},
      {"NpsIsUndefinedWithNoResponses",
       "nps",
       Scores({}),
       {},
       Expected::Undefined("no responses").WithRatio(0, 0).WithSampleSize(0)},
      {"NpsIsUndefinedWithoutAnyChunk",
       "nps",
       NoChunks(),
       {},
       Expected::Undefined("scores is empty")},
      {"NpsRejectsPromoterMinEqualToDetractorMax",
       "nps",
       Scores({9}),
       {{"promoter_min", 6}, {"detractor_max", 6}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"promoter_min (6)", "detractor_max (6)"})},
      {"NpsRejectsPromoterMinBelowDetractorMax",
       "nps",
       Scores({9}),
       {{"promoter_min", 5}, {"detractor_max", 7}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"promoter_min", "detractor_max"})},
  };
}

// ---- csat -------------------------------------------------------------------

std::vector<MetricCase> CsatCases() {
  // Ten 5s, twenty 4s, ten 3s, five 2s, five 1s (catalog).
  const std::vector<double> kFifty =
      Distribution({{5, 10}, {4, 20}, {3, 10}, {2, 5}, {1, 5}});
  return {
      {"CsatIs80For400SatisfiedOf500",
       "csat",
       Scores(Distribution({{5, 250}, {4, 150}, {3, 60}, {1, 40}})),
       {},
       Expected::Value(80).WithRatio(400, 500).WithSampleSize(500)},
      {"CsatIs60ForTen5sTwenty4sTen3sFive2sFive1s",
       "csat",
       Scores(kFifty),
       {},
       Expected::Value(60).WithRatio(30, 50).WithSampleSize(50)},
      // (10 x 5 + 20 x 4 + 10 x 3 + 5 x 2 + 5 x 1) / 50.
      {"CsatMeanModeIsTheMeanScore",
       "csat",
       Scores(kFifty),
       {{"mode", "mean"}},
       Expected::Value(3.5).WithSampleSize(50).WithUnit("score")},
      {"CsatCountsScoresAtOrAboveTheThresholdOnA10PointScale",
       "csat",
       Scores(Distribution({{10, 3}, {8, 2}, {7, 4}, {1, 1}})),
       {{"scale_max", 10}, {"threshold", 8}},
       Expected::Value(50).WithRatio(5, 10)},
      {"CsatOnA3PointScale",
       "csat",
       Scores({3, 3, 3, 2}),
       {{"scale_max", 3}, {"threshold", 3}},
       Expected::Value(75).WithRatio(3, 4)},
      {"CsatIsUndefinedWithNoResponses",
       "csat",
       Scores({}),
       {},
       Expected::Undefined("no responses").WithSampleSize(0)},
      {"CsatMeanIsUndefinedWithNoResponses",
       "csat",
       Scores({}),
       {{"mode", "mean"}},
       Expected::Undefined("scores is empty")},
      {"CsatRejectsAThresholdAboveTheScale",
       "csat",
       Scores({5}),
       {{"threshold", 6}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"threshold (6)", "[1, 5]"})},
      {"CsatRejectsAThresholdBelowTheScale",
       "csat",
       Scores({5}),
       {{"scale_min", 2}, {"threshold", 1}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"threshold (1)", "[2, 5]"})},
      {"CsatRejectsAnEmptyScale",
       "csat",
       Scores({5}),
       {{"scale_min", 5}, {"threshold", 5}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"scale_min (5)", "scale_max (5)"})},
      {"CsatRejectsAnInvertedScale",
       "csat",
       Scores({5}),
       {{"scale_min", 7}, {"threshold", 7}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"scale_min (7)", "scale_max (5)"})},
      // The host refuses it first; the plugin must not rely on that.
      {"CsatRejectsAnUnknownMode",
       "csat",
       Scores({5}),
       {{"mode", "median"}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT, {"mode", "median"})},
  };
}

// ---- ces --------------------------------------------------------------------

std::vector<MetricCase> CesCases() {
  return {
      // On the 7-point CES 2.0 scale: disagree 1-3, neutral 4, agree 5-7.
      {"CesIs50For5Disagree5Neutral10Agree",
       "ces",
       Scores(Distribution(
           {{1, 2}, {2, 2}, {3, 1}, {4, 5}, {5, 4}, {6, 3}, {7, 3}})),
       {},
       Expected::Value(50).WithRatio(10, 20).WithSampleSize(20)},
      {"CesCounts4And5OfA5PointScale",
       "ces",
       Scores(Distribution({{5, 3}, {4, 3}, {3, 2}, {2, 1}, {1, 1}})),
       {{"scale_max", 5}, {"threshold", 4}},
       Expected::Value(60).WithRatio(6, 10)},
      {"CesLowerIsBetterCountsScoresAtOrBelowTheThreshold",
       "ces",
       Scores(Distribution({{1, 4}, {2, 2}, {3, 2}, {5, 2}})),
       {{"scale_max", 5}, {"threshold", 2}, {"lower_is_better", true}},
       Expected::Value(60).WithRatio(6, 10)},
      {"CesMeanModeIsTheMeanScore",
       "ces",
       Scores({7, 6, 5, 2}),
       {{"mode", "mean"}},
       Expected::Value(5).WithSampleSize(4).WithUnit("score")},
      {"CesMeanModeIgnoresLowerIsBetter",
       "ces",
       Scores({7, 6, 5, 2}),
       {{"mode", "mean"}, {"lower_is_better", true}},
       Expected::Value(5).WithUnit("score")},
      {"CesIsUndefinedWithNoResponses",
       "ces",
       Scores({}),
       {},
       Expected::Undefined("no responses").WithRatio(0, 0)},
      {"CesRejectsAThresholdAboveTheScale",
       "ces",
       Scores({5}),
       {{"threshold", 8}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"threshold (8)", "[1, 7]"})},
      {"CesRejectsAnEmptyScale",
       "ces",
       Scores({5}),
       {{"scale_min", 7}, {"threshold", 7}},
       Expected::Error(KPI_STATUS_INVALID_ARGUMENT,
                       {"scale_min (7)", "scale_max (7)"})},
  };
}

class SurveyTest
    : public ::testing::TestWithParam<std::tuple<MetricCase, Path>> {};

TEST_P(SurveyTest, Case) {
  RunAndCheck(Survey(), std::get<0>(GetParam()), std::get<1>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Nps, SurveyTest,
                         Combine(ValuesIn(NpsCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MetricCase>);
INSTANTIATE_TEST_SUITE_P(Csat, SurveyTest,
                         Combine(ValuesIn(CsatCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MetricCase>);
INSTANTIATE_TEST_SUITE_P(Ces, SurveyTest,
                         Combine(ValuesIn(CesCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MetricCase>);

// ---- Merging ----------------------------------------------------------------

// `n` whole scores in [low, high] from a fixed linear congruential sequence:
// varied enough that every split lands on different values.
std::vector<double> PseudoRandomScores(size_t n, int low, int high) {
  std::vector<double> scores;
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    scores.push_back(low + static_cast<int>((x >> 16) % (high - low + 1)));
  }
  return scores;
}

ChunkData ScoresColumn(std::vector<double> scores) {
  ChunkData chunk;
  chunk.columns["scores"] = std::move(scores);
  return chunk;
}

std::vector<MergeCase> MergeCases() {
  return {
      {"Nps", "nps", ScoresColumn(PseudoRandomScores(1000, 0, 10)), {}},
      {"NpsWithFewResponsesAndAWarning",
       "nps",
       ScoresColumn(PseudoRandomScores(12, 0, 10)),
       {{"confidence_level", 0.9}}},
      {"NpsWithNoResponses", "nps", ScoresColumn({}), {}},
      {"CsatPercent", "csat", ScoresColumn(PseudoRandomScores(777, 1, 5)), {}},
      {"CsatMean",
       "csat",
       ScoresColumn(PseudoRandomScores(777, 1, 5)),
       {{"mode", "mean"}}},
      {"CesPercent", "ces", ScoresColumn(PseudoRandomScores(500, 1, 7)), {}},
      {"CesLowerIsBetter",
       "ces",
       ScoresColumn(PseudoRandomScores(500, 1, 5)),
       {{"scale_max", 5}, {"threshold", 2}, {"lower_is_better", true}}},
      {"CesMean",
       "ces",
       ScoresColumn(PseudoRandomScores(3, 1, 7)),
       {{"mode", "mean"}}},
  };
}

class SurveyMergeTest
    : public ::testing::TestWithParam<std::tuple<MergeCase, Path>> {};

TEST_P(SurveyMergeTest, SplittingIntoChunksAndMergedStatesGivesTheSameResult) {
  RunAndCheckMerge(Survey(), std::get<0>(GetParam()), std::get<1>(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Survey, SurveyMergeTest,
                         Combine(ValuesIn(MergeCases()),
                                 Values(Path::kCxx, Path::kAbi)),
                         CaseName<MergeCase>);

// ---- The normal quantile ----------------------------------------------------

struct QuantileCase {
  double p;
  double x;  // reference: Wichura's AS241 (Python statistics.NormalDist)
};

class NormalQuantileTest : public ::testing::TestWithParam<QuantileCase> {};

TEST_P(NormalQuantileTest, MatchesTheReferenceToNearMachinePrecision) {
  EXPECT_NEAR(survey::NormalQuantile(GetParam().p), GetParam().x, 1e-12)
      << "p = " << GetParam().p;
}

// Central region, both tails and the boundary between them (0.02425).
INSTANTIATE_TEST_SUITE_P(Survey, NormalQuantileTest,
                         Values(QuantileCase{0.5, 0.0},
                                QuantileCase{0.3, -0.5244005127080407},
                                QuantileCase{0.75, 0.6744897501960817},
                                QuantileCase{0.95, 1.6448536269514715},
                                QuantileCase{0.975, 1.9599639845400536},
                                QuantileCase{0.995, 2.5758293035489},
                                QuantileCase{0.9995, 3.2905267314919255},
                                QuantileCase{0.02425, -1.9729610513118845},
                                QuantileCase{0.01, -2.3263478740408408},
                                QuantileCase{1e-10, -6.361340902404056}));

TEST(NormalQuantile, TwoSidedCriticalValueOf95PercentIs1_959964) {
  EXPECT_NEAR(survey::TwoSidedCriticalValue(0.95), 1.959964, 5e-7);
  EXPECT_NEAR(survey::TwoSidedCriticalValue(0.99), 2.575829, 5e-7);
  EXPECT_NEAR(survey::TwoSidedCriticalValue(0.999), 3.290527, 5e-7);
}

}  // namespace
}  // namespace kpi::testing
