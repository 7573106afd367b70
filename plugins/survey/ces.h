// plugins/survey/ces.h -- customer effort score (CES).
//
// Percent mode (the default): answers agreeing that the task was easy
// (score >= threshold; 5-7 on the 7-point CES 2.0 scale) / all answers x
// 100, in %. Legacy scales where a low score means low effort set
// lower_is_better, and then score <= threshold counts. Mean mode: the mean
// score, on the survey's scale.
#ifndef KPI_PLUGINS_SURVEY_CES_H_
#define KPI_PLUGINS_SURVEY_CES_H_

#include "kpi/plugin.hpp"
#include "plugins/survey/threshold_score.h"

namespace kpi::survey {

class Ces : public ThresholdScoreMetric {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      ScoresOnScale("Survey answers on the scale, whole numbers.")};

  static constexpr kpi_param_spec kParams[] = {
      sdk::Int64Param("scale_min", 1, "Lowest point of the scale.")
          .Min(0)
          .Max(100),
      sdk::Int64Param("scale_max", 7,
                      "Highest point of the scale (7 for CES 2.0; 5 is also "
                      "common).")
          .Min(1)
          .Max(100),
      sdk::Int64Param("threshold", 5,
                      "Scores at or beyond this count as agree / low effort; "
                      "must lie on the scale.")
          .Min(0)
          .Max(100),
      sdk::StringParam("mode", "percent",
                       "\"percent\" (share agreeing) or \"mean\" (average "
                       "score).")
          .OneOf(kThresholdModes),
      sdk::BoolParam("lower_is_better", false,
                     "For legacy scales where a low score means low effort: "
                     "scores at or below the threshold count.")};
  static constexpr ThresholdHandles kHandles =
      FindThresholdHandles(kInputs, kParams);
  static constexpr auto kLowerIsBetter =
      sdk::Param<KPI_TYPE_BOOL>(kParams, "lower_is_better");

  static constexpr sdk::MetricInfo kInfo{
      "ces",
      "Customer effort score: answers with score >= threshold (agree, low "
      "effort) / all answers x 100, in % (default: 5-7 on the 7-point CES "
      "2.0 scale). With lower_is_better, answers with score <= threshold "
      "count instead. With mode \"mean\" the value is instead the mean score "
      "on the scale, not a percentage. Undefined when there are no "
      "responses.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example (5
  // disagree, 5 neutral, 10 agree on the 7-point scale), and no answers.
  static constexpr double kTwentyAnswers[] = {1, 2, 3, 3, 2, 4, 4, 4, 4, 4,
                                              5, 5, 5, 6, 6, 6, 7, 7, 7, 7};
  static constexpr kpi_example_input kSurvey[] = {
      sdk::ExampleInput("scores", kTwentyAnswers)};
  static constexpr kpi_example_input kNoAnswers[] = {
      sdk::ExampleEmptyColumn("scores", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("10 of 20 agree", kSurvey).Expect(50),
      sdk::Example("no answers", kNoAnswers).ExpectUndefined()};

  // Throws sdk::InvalidArgument unless scale_min < scale_max and the
  // threshold lies on the scale.
  explicit Ces(const sdk::Params& params)
      : ThresholdScoreMetric(kHandles, params,
                             params.Bool(kLowerIsBetter)
                                 ? ThresholdRule::Direction::kAtOrBelow
                                 : ThresholdRule::Direction::kAtOrAbove) {}
};

}  // namespace kpi::survey

#endif  // KPI_PLUGINS_SURVEY_CES_H_
