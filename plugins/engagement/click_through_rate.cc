#include "plugins/engagement/click_through_rate.h"

#include <cstdint>
#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::engagement {

ClickThroughRate::ClickThroughRate(const sdk::Params& /*params*/) {}

void ClickThroughRate::Update(const sdk::Chunk& chunk) {
  // Scalars arrive in the first chunk only; ScalarOr adds 0 for the rest.
  clicks_ += chunk.ScalarOr(kClicks, 0);
  impressions_ += chunk.ScalarOr(kImpressions, 0);
  // Campaign rows, in every chunk of a records-form request.
  for (int64_t clicks : chunk.Int64s(kCampaignClicks)) {
    clicks_ += static_cast<double>(clicks);
  }
  for (int64_t impressions : chunk.Int64s(kCampaignImpressions)) {
    impressions_ += static_cast<double>(impressions);
  }
}

void ClickThroughRate::Merge(const ClickThroughRate& other) {
  clicks_ += other.clicks_;
  impressions_ += other.impressions_;
}

void ClickThroughRate::Finalize(sdk::Result& result) const {
  result.Share(clicks_, impressions_,
               {"clicks", "impressions",
                "as when total rather than unique clicks are counted",
                "impressions is 0: click-through rate is undefined without "
                "impressions"});
}

}  // namespace kpi::engagement
