#include "campaigns.h"

#include <algorithm>

#include "business_model.h"
#include "random.h"

namespace kpi::sample {
namespace {

struct CampaignEconomics {
  double click_through;   // clicks / impressions
  double conversion;      // conversions / clicks
  double cost_per_click;  // dollars
};

// Typical figures: brand search converts best, prospecting on social
// worst; email is cheap per click. Order as in records.cc.
constexpr CampaignEconomics kEconomics[kCampaigns] = {
    {0.060, 0.080, 1.20},  // search_brand
    {0.025, 0.030, 2.80},  // search_generic
    {0.018, 0.020, 3.50},  // search_competitor
    {0.008, 0.015, 0.90},  // social_prospecting
    {0.014, 0.040, 1.10},  // social_retargeting
    {0.030, 0.025, 0.15},  // email_newsletter
    {0.045, 0.050, 0.20},  // email_nurture
};

constexpr double kMinClicksPerDay = 5;

int64_t Round(double x) { return static_cast<int64_t>(x + 0.5); }

}  // namespace

CampaignLedger::CampaignLedger(uint64_t seed, const Window& window,
                               const SignupSchedule& schedule, RecordSink& sink)
    : seed_(seed),
      window_(window),
      schedule_(schedule),
      sink_(sink),
      day_(window.start) {}

void CampaignLedger::AdvanceTo(Time t) {
  while (t >= day_ + kSecondsPerDay) WriteDay();
}

void CampaignLedger::AddConversion(int campaign, Time t) {
  AdvanceTo(t);
  ++conversions_[campaign];
}

void CampaignLedger::Finish() {
  while (day_ < window_.end) WriteDay();
}

void CampaignLedger::WriteDay() {
  const double signups = schedule_.ExpectedSignupsPerDay(day_);
  const uint64_t day_index =
      static_cast<uint64_t>((day_ - window_.start) / kSecondsPerDay);
  for (int c = 0; c < kCampaigns; ++c) {
    // A stream per campaign and day: the rows do not depend on N's order.
    Rng rng(seed_, kCampaignStream, day_index * kCampaigns + c);
    const CampaignEconomics& e = kEconomics[c];
    const int64_t conversions = conversions_[c];
    // Every campaign buys at least a few clicks a day, so a small sample
    // still has impressions on every row.
    const double expected_clicks =
        std::max(kMinClicksPerDay,
                 signups * CampaignShareOfSignups(c) / e.conversion) *
        rng.LogNormal(0, 0.15);
    const int64_t clicks = std::max(conversions, rng.Poisson(expected_clicks));
    const double ctr = e.click_through * rng.LogNormal(0, 0.1);
    const int64_t impressions = std::max(
        clicks + 1,
        Round(std::max(expected_clicks, static_cast<double>(clicks)) / ctr));
    const int64_t spend_cents =
        Round(static_cast<double>(clicks) * e.cost_per_click *
              rng.LogNormal(0, 0.1) * 100);
    sink_.Add(
        CampaignRecord{day_, c, impressions, clicks, conversions, spend_cents});
    conversions_[c] = 0;
  }
  day_ += kSecondsPerDay;
}

}  // namespace kpi::sample
