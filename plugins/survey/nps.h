// plugins/survey/nps.h -- Net Promoter Score with its margin of error.
//
// NPS = % promoters (score >= promoter_min) - % detractors (score <=
// detractor_max) on the 0-10 scale, from -100 to 100; passives stay in the
// denominator. Its standard error treats each answer as +1 / 0 / -1:
// SE = 100 x sqrt((p + d - (p - d)^2) / n) with p and d the promoter and
// detractor shares, and the margin is z x SE for the two-sided normal
// critical value z of the confidence level.
//
// The state is three counts, not the rows, so it merges exactly.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_SURVEY_NPS_H_
#define KPI_PLUGINS_SURVEY_NPS_H_

#include "kpi/plugin.hpp"

namespace kpi::survey {

class Nps {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("scores", KPI_TYPE_DOUBLE,
                  "Survey answers on the 0-10 scale, whole numbers.")
          .Required()
          .Integral()
          .Min(0)
          .Max(10)};
  static constexpr auto kScores =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "scores");

  static constexpr kpi_param_spec kParams[] = {
      sdk::Int64Param("promoter_min", 9, "Lowest score counted as a promoter.")
          .Min(0)
          .Max(10),
      sdk::Int64Param("detractor_max", 6,
                      "Highest score counted as a detractor; must be below "
                      "promoter_min.")
          .Min(0)
          .Max(10),
      sdk::DoubleParam("confidence_level", 0.95,
                       "Confidence level of the margin of error.")
          .Min(0.5)
          .Max(0.999)};
  static constexpr auto kPromoterMin =
      sdk::Param<KPI_TYPE_INT64>(kParams, "promoter_min");
  static constexpr auto kDetractorMax =
      sdk::Param<KPI_TYPE_INT64>(kParams, "detractor_max");
  static constexpr auto kConfidenceLevel =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "confidence_level");

  static constexpr sdk::MetricInfo kInfo{
      "nps",
      "Net Promoter Score: % promoters (score >= promoter_min, default 9) - "
      "% detractors (score <= detractor_max, default 6) of all answers on "
      "the 0-10 scale, from -100 to 100; passives count in the denominator. "
      "With its interval: SE = 100 x sqrt((p + d - (p - d)^2) / n), margin = "
      "z x SE for the two-sided normal z of confidence_level, bounds clamped "
      "to [-100, 100]. Undefined when there are no responses.",
      "score"};

  // Declared examples, checked at load: the catalog's "70% promoters, 10%
  // detractors" on ten answers, and no answers.
  static constexpr double kTenAnswers[] = {10, 10, 10, 10, 9, 9, 9, 8, 7, 3};
  static constexpr kpi_example_input kSurvey[] = {
      sdk::ExampleInput("scores", kTenAnswers)};
  static constexpr kpi_example_input kNoAnswers[] = {
      sdk::ExampleEmptyColumn("scores", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("7 promoters, 2 passives, 1 detractor", kSurvey).Expect(60),
      sdk::Example("no answers", kNoAnswers).ExpectUndefined()};

  // Throws sdk::InvalidArgument unless promoter_min > detractor_max.
  explicit Nps(const sdk::Params& params);

  // Counts the chunk's scores, already validated by the host.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const Nps& other);
  // Value, ratio (promoters - detractors, n), sample size n and interval;
  // undefined when n is 0; a warning when n < 30.
  void Finalize(sdk::Result& result) const;

 private:
  double promoter_min_;
  double detractor_max_;
  double confidence_level_;
  double z_;  // two-sided critical value of confidence_level_
  // Counts kept as double: exact up to 2^53, and merging cannot overflow.
  double responses_ = 0;
  double promoters_ = 0;
  double detractors_ = 0;
};

}  // namespace kpi::survey

#endif  // KPI_PLUGINS_SURVEY_NPS_H_
