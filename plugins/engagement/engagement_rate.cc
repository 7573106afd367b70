#include "plugins/engagement/engagement_rate.h"

#include <cstdint>
#include <iterator>
#include <string>

namespace kpi::engagement {
namespace {

double Sum(sdk::View<int64_t> values) {
  double sum = 0;
  for (int64_t v : values) sum += static_cast<double>(v);
  return sum;
}

}  // namespace

EngagementRate::EngagementRate(const sdk::Params& params) {
  const std::string_view chosen = params.String(kDenominator);
  for (size_t i = 0; i < std::size(kEngagementDenominators); ++i) {
    if (chosen == kEngagementDenominators[i]) denominator_index_ = i;
  }
}

void EngagementRate::Update(const sdk::Chunk& chunk) {
  const std::string name = kEngagementDenominators[denominator_index_];
  // Aggregate form: the scalars, in the first chunk only.
  if (chunk.Has(kLikes)) {
    const sdk::InputRef<KPI_TYPE_INT64> input =
        kDenominators[denominator_index_];
    if (!chunk.Has(input)) {
      throw sdk::InvalidArgument("input '" + name +
                                 "': required because denominator is \"" +
                                 name + "\", but not given; pass " + name +
                                 " or choose the denominator you have");
    }
    engagements_ += chunk.ScalarOr(kLikes, 0) + chunk.ScalarOr(kShares, 0) +
                    chunk.ScalarOr(kComments, 0) + chunk.ScalarOr(kSaves, 0);
    denominator_ += chunk.ScalarOr(input, 0);
  }
  // Records form: one row per post, in every chunk.
  if (chunk.rows() > 0 && chunk.Has(kPostLikes)) {
    const sdk::InputRef<KPI_TYPE_INT64> input =
        kPostDenominators[denominator_index_];
    if (!chunk.Has(input)) {
      throw sdk::InvalidArgument(
          "input 'post_" + name + "': required because denominator is \"" +
          name + "\", but not given; pass the post_" + name +
          " column or choose the denominator you have");
    }
    engagements_ +=
        Sum(chunk.Int64s(kPostLikes)) + Sum(chunk.Int64s(kPostShares)) +
        Sum(chunk.Int64s(kPostComments)) + Sum(chunk.Int64s(kPostSaves));
    denominator_ += Sum(chunk.Int64s(input));
  }
}

void EngagementRate::Merge(const EngagementRate& other) {
  engagements_ += other.engagements_;
  denominator_ += other.denominator_;
}

void EngagementRate::Finalize(sdk::Result& result) const {
  const std::string name = kEngagementDenominators[denominator_index_];
  result.SampleSize(denominator_);
  result.Rate(engagements_, denominator_, 100.0,
              name +
                  " is 0 (the denominator): engagement rate is undefined "
                  "without " +
                  name);
}

}  // namespace kpi::engagement
