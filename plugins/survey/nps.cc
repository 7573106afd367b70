#include "plugins/survey/nps.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "kpi/plugin_text.hpp"
#include "plugins/survey/normal_quantile.h"

namespace kpi::survey {
namespace {

// Below this many answers the normal approximation behind the margin is
// rough and the margin itself wide; callers should know.
constexpr double kSmallSample = 30;

}  // namespace

Nps::Nps(const sdk::Params& params)
    : promoter_min_(static_cast<double>(params.Int64(kPromoterMin))),
      detractor_max_(static_cast<double>(params.Int64(kDetractorMax))),
      confidence_level_(params.Double(kConfidenceLevel)),
      z_(TwoSidedCriticalValue(confidence_level_)) {
  if (promoter_min_ <= detractor_max_) {
    throw sdk::InvalidArgument(
        "promoter_min (" + sdk::FormatCount(params.Int64(kPromoterMin)) +
        ") must be greater than detractor_max (" +
        sdk::FormatCount(params.Int64(kDetractorMax)) +
        "): a score cannot be both a promoter and a detractor");
  }
}

void Nps::Update(const sdk::Chunk& chunk) {
  const sdk::View<double> scores = chunk.Doubles(kScores);
  double promoters = 0;
  double detractors = 0;
  for (double score : scores) {
    promoters += score >= promoter_min_ ? 1 : 0;
    detractors += score <= detractor_max_ ? 1 : 0;
  }
  responses_ += static_cast<double>(scores.size());
  promoters_ += promoters;
  detractors_ += detractors;
}

void Nps::Merge(const Nps& other) {
  responses_ += other.responses_;
  promoters_ += other.promoters_;
  detractors_ += other.detractors_;
}

void Nps::Finalize(sdk::Result& result) const {
  const double n = responses_;
  result.SampleSize(n);
  result.Ratio(promoters_ - detractors_, n);
  if (n == 0) {
    result.Undefined("no responses: scores is empty");
    return;
  }
  const double p = promoters_ / n;
  const double d = detractors_ / n;
  const double nps = (p - d) * 100.0;
  result.Value(nps);
  // The variance of a +1 / 0 / -1 answer; never negative in exact
  // arithmetic, but rounding can take it just below 0 when p or d is 1.
  const double variance = std::max(0.0, p + d - (p - d) * (p - d));
  const double standard_error = 100.0 * std::sqrt(variance / n);
  const double margin = z_ * standard_error;
  result.Interval(std::max(-100.0, nps - margin), std::min(100.0, nps + margin),
                  margin, standard_error, confidence_level_);
  if (n < kSmallSample) {
    result.Warning("only " + sdk::FormatCount(n) +
                   " responses (fewer than 30): the margin of error is wide");
  }
}

}  // namespace kpi::survey
