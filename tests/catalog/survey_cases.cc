// Survey family (nps, csat, ces) in the catalog harness: the catalog's worked
// examples, plus chunking, merging and segment checks on each.
#include <vector>

#include "tests/catalog/catalog_harness.h"

namespace kpi::testing {
namespace {

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

std::vector<CatalogCase> SurveyCases() {
  return {
      // Catalog: 500 responses, 300 promoters, 100 passives, 100 detractors.
      {"NpsIs40",
       Request("nps").Doubles("scores", Mix({{10, 300}, {8, 100}, {3, 100}})),
       Expect::Value(40).Ratio(200, 500).SampleSize(500)},
      // Catalog: 50/30/20 of n = 100 -> NPS 30, SE 7.81, margin 15.3.
      // SE = 100 x sqrt((p + d - (p - d)^2) / n) = 10 x sqrt(0.61), margin
      // = z(0.975) x SE with z = 1.9599639845400536 (Python's
      // statistics.NormalDist().inv_cdf(0.975)).
      {"NpsIs30WithItsMarginOfError",
       Request("nps").Doubles("scores", Mix({{9, 50}, {7, 30}, {0, 20}})),
       std::move(Expect::Value(30).SampleSize(100).Interval(
           14.692191924957331, 45.30780807504267, 15.307808075042669,
           7.810249675906654, 0.95))},
      {"NpsIsUndefinedWithoutResponses", Request("nps").Doubles("scores", {}),
       Expect::Undefined("no responses")},
      {"NpsRefusesAScoreAboveTen", Request("nps").Doubles("scores", {9, 11}),
       Expect::Error(absl::StatusCode::kInvalidArgument,
                     "input 'scores' row 1: 11 is above the maximum 10")},
      // Catalog: ten 5s, twenty 4s, ten 3s, five 2s, five 1s -> 60%.
      {"CsatIs60",
       Request("csat").Doubles(
           "scores", Mix({{5, 10}, {4, 20}, {3, 10}, {2, 5}, {1, 5}})),
       Expect::Value(60).Ratio(30, 50)},
      {"CsatMeanModeReportsTheMeanScore",
       Request("csat")
           .Doubles("scores", Mix({{5, 10}, {4, 20}, {3, 10}, {2, 5}, {1, 5}}))
           .ParamString("mode", "mean"),
       Expect::Value(3.5).Unit("score")},
      {"CsatRefusesAScoreOffItsScale",
       Request("csat")
           .Doubles("scores", {5, 4, 4})
           .ParamInt("scale_max", 3)
           .ParamInt("threshold", 3),
       Expect::Error(
           absl::StatusCode::kInvalidArgument,
           "input 'scores' row 0: 5 is above the maximum 3 (parameter "
           "scale_max)")},
      // Catalog: 5 disagree, 5 neutral, 10 agree -> 50.
      {"CesIs50",
       Request("ces").Doubles("scores", Mix({{2, 5}, {4, 5}, {6, 10}})),
       Expect::Value(50).Ratio(10, 20)},
  };
}

KPI_CATALOG_CASES(Survey, SurveyCases);

}  // namespace
}  // namespace kpi::testing
