// plugins/survey/csat.h -- customer satisfaction score (CSAT).
//
// Percent mode (the default): satisfied answers (score >= threshold) / all
// answers x 100, in %. Mean mode: the mean score, on the survey's scale.
#ifndef KPI_PLUGINS_SURVEY_CSAT_H_
#define KPI_PLUGINS_SURVEY_CSAT_H_

#include "kpi/plugin.hpp"
#include "plugins/survey/threshold_score.h"

namespace kpi::survey {

class Csat : public ThresholdScoreMetric {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      ScoresOnScale("Survey answers on the scale, whole numbers.")};

  static constexpr kpi_param_spec kParams[] = {
      sdk::Int64Param("scale_min", 1, "Lowest point of the scale.")
          .Min(0)
          .Max(100),
      sdk::Int64Param("scale_max", 5,
                      "Highest point of the scale (5, 3 and 10 are common).")
          .Min(1)
          .Max(100),
      sdk::Int64Param("threshold", 4,
                      "Lowest score counted as satisfied; must lie on the "
                      "scale.")
          .Min(0)
          .Max(100),
      sdk::StringParam("mode", "percent",
                       "\"percent\" (share satisfied) or \"mean\" (average "
                       "score).")
          .OneOf(kThresholdModes)};
  static constexpr ThresholdHandles kHandles =
      FindThresholdHandles(kInputs, kParams);

  static constexpr sdk::MetricInfo kInfo{
      "csat",
      "Customer satisfaction score: answers with score >= threshold / all "
      "answers x 100, in % (default scale 1-5, satisfied 4-5). With mode "
      "\"mean\" the value is instead the mean score on the scale, not a "
      "percentage. Undefined when there are no responses.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example (ten
  // 5s, twenty 4s, ten 3s, five 2s, five 1s on 1-5: 30 of 50 satisfied),
  // and no answers.
  static constexpr double kFiftyAnswers[] = {
      5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4,
      4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3,
      3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1};
  static constexpr kpi_example_input kSurvey[] = {
      sdk::ExampleInput("scores", kFiftyAnswers)};
  static constexpr kpi_example_input kNoAnswers[] = {
      sdk::ExampleEmptyColumn("scores", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("30 of 50 satisfied", kSurvey).Expect(60),
      sdk::Example("no answers", kNoAnswers).ExpectUndefined()};

  // Throws sdk::InvalidArgument unless scale_min < scale_max and the
  // threshold lies on the scale.
  explicit Csat(const sdk::Params& params)
      : ThresholdScoreMetric(kHandles, params,
                             ThresholdRule::Direction::kAtOrAbove) {}
};

}  // namespace kpi::survey

#endif  // KPI_PLUGINS_SURVEY_CSAT_H_
