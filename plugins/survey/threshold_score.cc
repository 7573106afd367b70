#include "plugins/survey/threshold_score.h"

#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::survey {

ThresholdRule ThresholdRule::Make(int64_t scale_min, int64_t scale_max,
                                  int64_t threshold, std::string_view mode,
                                  Direction direction) {
  if (scale_min >= scale_max) {
    throw sdk::InvalidArgument("scale_min (" + sdk::FormatCount(scale_min) +
                               ") must be less than scale_max (" +
                               sdk::FormatCount(scale_max) + ")");
  }
  if (threshold < scale_min || threshold > scale_max) {
    throw sdk::InvalidArgument(
        "threshold (" + sdk::FormatCount(threshold) +
        ") must lie on the scale [scale_min, scale_max] = [" +
        sdk::FormatCount(scale_min) + ", " + sdk::FormatCount(scale_max) + "]");
  }
  // The host has already checked `mode` against kThresholdModes; this guards
  // a host that did not.
  Mode parsed;
  if (mode == kThresholdModes[0]) {
    parsed = Mode::kPercent;
  } else if (mode == kThresholdModes[1]) {
    parsed = Mode::kMean;
  } else {
    throw sdk::InvalidArgument("mode must be \"percent\" or \"mean\", not \"" +
                               std::string(mode) + "\"");
  }
  return ThresholdRule{static_cast<double>(threshold), direction, parsed};
}

void ThresholdScoreMetric::Update(const sdk::Chunk& chunk) {
  const sdk::View<double> scores = chunk.Doubles(scores_);
  double counted = 0;
  double sum = 0;
  if (rule_.direction == ThresholdRule::Direction::kAtOrAbove) {
    for (double score : scores) {
      counted += score >= rule_.threshold ? 1 : 0;
      sum += score;
    }
  } else {
    for (double score : scores) {
      counted += score <= rule_.threshold ? 1 : 0;
      sum += score;
    }
  }
  responses_ += static_cast<double>(scores.size());
  counted_ += counted;
  score_sum_ += sum;
}

void ThresholdScoreMetric::Merge(const ThresholdScoreMetric& other) {
  responses_ += other.responses_;
  counted_ += other.counted_;
  score_sum_ += other.score_sum_;
}

void ThresholdScoreMetric::Finalize(sdk::Result& result) const {
  constexpr std::string_view kNoResponses = "no responses: scores is empty";
  result.SampleSize(responses_);
  if (rule_.mode == ThresholdRule::Mode::kPercent) {
    result.Rate(counted_, responses_, 100.0, kNoResponses);
  } else if (responses_ == 0) {
    result.Undefined(kNoResponses);
  } else {
    result.Value(score_sum_ / responses_);
    result.Unit("score");
  }
}

}  // namespace kpi::survey
