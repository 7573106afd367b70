// plugins/survey/threshold_score.h -- the one mechanism behind CSAT and CES:
// answers on a numeric scale, reported either as the share of answers on the
// good side of a threshold or as the mean answer.
//
// A metric built on it declares its own schema (names, defaults,
// descriptions) and turns its parameters into a ThresholdRule; everything
// else -- counting, merging, finalizing -- is ThresholdScoreMetric.
//
// The state is three numbers (responses, responses counted, sum of scores),
// not the rows, so it stays small over any input and merges exactly.
#ifndef KPI_PLUGINS_SURVEY_THRESHOLD_SCORE_H_
#define KPI_PLUGINS_SURVEY_THRESHOLD_SCORE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kpi/plugin.hpp"

namespace kpi::survey {

// The values a threshold score's "mode" parameter accepts.
inline constexpr const char* kThresholdModes[] = {"percent", "mean"};

// The "scores" column of a threshold score: whole numbers on the scale given
// by the metric's "scale_min" and "scale_max" parameters.
constexpr kpi_input_spec ScoresOnScale(const char* description) {
  return sdk::Column("scores", KPI_TYPE_DOUBLE, description)
      .Required()
      .Integral()
      .MinFromParam("scale_min")
      .MaxFromParam("scale_max");
}

// How answers are counted and reported.
struct ThresholdRule {
  // Which side of the threshold counts.
  enum class Direction {
    kAtOrAbove,  // score >= threshold (higher is better)
    kAtOrBelow,  // score <= threshold (legacy "lower is better" scales)
  };
  // What the value is.
  enum class Mode {
    kPercent,  // counted answers / all answers x 100
    kMean,     // the mean answer, on the scale
  };

  // Checks and builds a rule from a metric's parameters. Throws
  // sdk::InvalidArgument, naming the parameter, unless scale_min < scale_max
  // and scale_min <= threshold <= scale_max, and unless `mode` is one of
  // kThresholdModes.
  static ThresholdRule Make(int64_t scale_min, int64_t scale_max,
                            int64_t threshold, std::string_view mode,
                            Direction direction);

  double threshold;
  Direction direction;
  Mode mode;
};

// Handles on what every threshold score declares: input "scores" and
// parameters "scale_min", "scale_max", "threshold" and "mode".
struct ThresholdHandles {
  sdk::InputRef<KPI_TYPE_DOUBLE> scores;
  sdk::ParamRef<KPI_TYPE_INT64> scale_min;
  sdk::ParamRef<KPI_TYPE_INT64> scale_max;
  sdk::ParamRef<KPI_TYPE_INT64> threshold;
  sdk::ParamRef<KPI_TYPE_STRING> mode;
};

// The handles in a metric's declarations; compiles only where all five are
// declared with their types.
template <size_t N, size_t M>
constexpr ThresholdHandles FindThresholdHandles(
    const kpi_input_spec (&inputs)[N], const kpi_param_spec (&params)[M]) {
  return {sdk::Input<KPI_TYPE_DOUBLE>(inputs, "scores"),
          sdk::Param<KPI_TYPE_INT64>(params, "scale_min"),
          sdk::Param<KPI_TYPE_INT64>(params, "scale_max"),
          sdk::Param<KPI_TYPE_INT64>(params, "threshold"),
          sdk::Param<KPI_TYPE_STRING>(params, "mode")};
}

// The state and behaviour of a threshold score metric. Derived classes add
// the static schema (kInputs with ScoresOnScale, kParams, kInfo) and a
// constructor from sdk::Params.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
class ThresholdScoreMetric {
 public:
  // Counts the chunk's scores, already validated by the host.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const ThresholdScoreMetric& other);
  // Percent mode: value, ratio (counted, responses). Mean mode: value.
  // Both: sample size. Undefined when there are no responses.
  void Finalize(sdk::Result& result) const;

 protected:
  // Reads the rule from `params` through `handles` (ThresholdRule::Make
  // says what it refuses) and the scores from the handles' input.
  ThresholdScoreMetric(const ThresholdHandles& handles,
                       const sdk::Params& params,
                       ThresholdRule::Direction direction)
      : scores_(handles.scores),
        rule_(ThresholdRule::Make(params.Int64(handles.scale_min),
                                  params.Int64(handles.scale_max),
                                  params.Int64(handles.threshold),
                                  params.String(handles.mode), direction)) {}

 private:
  sdk::InputRef<KPI_TYPE_DOUBLE> scores_;
  ThresholdRule rule_;
  // Counts and a sum of whole numbers, kept as double: exact up to 2^53 and
  // merging states can never overflow.
  double responses_ = 0;
  double counted_ = 0;
  double score_sum_ = 0;
};

}  // namespace kpi::survey

#endif  // KPI_PLUGINS_SURVEY_THRESHOLD_SCORE_H_
