// plugins/engagement/click_through_rate.h -- click-through rate (CTR).
//
// CTR = clicks / impressions x 100, in %. Impressions may be ad views or
// emails delivered. Two input forms:
//   - aggregate: the scalars `clicks` and `impressions`, totals a caller
//     already has;
//   - records: one row per campaign (ad, email send, day ...) with the
//     columns `campaign_clicks` and `campaign_impressions`; the rate is that
//     of their sums, never an average of per-row rates.
// The state is the two counts, so merging the states of segments (campaigns,
// days) adds them: the result is the CTR of the union.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_ENGAGEMENT_CLICK_THROUGH_RATE_H_
#define KPI_PLUGINS_ENGAGEMENT_CLICK_THROUGH_RATE_H_

#include "kpi/plugin.hpp"

namespace kpi::engagement {

class ClickThroughRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("clicks", KPI_TYPE_INT64, "Clicks.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("impressions", KPI_TYPE_INT64,
                  "Impressions (or emails delivered).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Column("campaign_clicks", KPI_TYPE_INT64,
                  "Clicks of each campaign row (an ad, an email send, a "
                  "day).")
          .Required()
          .Min(0)
          .Form("records"),
      sdk::Column("campaign_impressions", KPI_TYPE_INT64,
                  "Impressions (or emails delivered) of each campaign row.")
          .Required()
          .Min(0)
          .Form("records")};
  static constexpr auto kClicks = sdk::Input<KPI_TYPE_INT64>(kInputs, "clicks");
  static constexpr auto kImpressions =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "impressions");
  static constexpr auto kCampaignClicks =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "campaign_clicks");
  static constexpr auto kCampaignImpressions =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "campaign_impressions");

  static constexpr sdk::MetricInfo kInfo{
      "click_through_rate",
      "Click-through rate: clicks / impressions x 100, in %. From the totals "
      "clicks and impressions, or from campaign rows (campaign_clicks, "
      "campaign_impressions), whose sums are the totals: the rate of the "
      "sums, not the mean of per-row rates. Undefined when impressions is "
      "0; a warning (not an error) when clicks exceed impressions, as they "
      "do when a tool counts total rather than unique clicks.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example (100
  // clicks of 1,000 emails) as totals and as two campaign rows; no
  // impressions.
  static constexpr int64_t kHundred[] = {100};
  static constexpr int64_t kThousand[] = {1000};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("clicks", kHundred),
      sdk::ExampleInput("impressions", kThousand)};
  static constexpr int64_t kRowClicks[] = {70, 30};
  static constexpr int64_t kRowImpressions[] = {400, 600};
  static constexpr kpi_example_input kCampaigns[] = {
      sdk::ExampleInput("campaign_clicks", kRowClicks),
      sdk::ExampleInput("campaign_impressions", kRowImpressions)};
  static constexpr kpi_example_input kNoImpressions[] = {
      sdk::ExampleInput("clicks", kNone),
      sdk::ExampleInput("impressions", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("100 clicks of 1,000 emails", kCatalogTotals).Expect(10),
      sdk::Example("the same over two campaigns", kCampaigns).Expect(10),
      sdk::Example("no impressions", kNoImpressions).ExpectUndefined()};

  explicit ClickThroughRate(const sdk::Params& params);

  // Adds the chunk's scalars (aggregate form) or the sums of its campaign
  // rows (records form) to the counts.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric.
  void Merge(const ClickThroughRate& other);
  // Value, ratio (clicks, impressions) and sample size (impressions);
  // undefined when impressions is 0; a warning when clicks > impressions.
  void Finalize(sdk::Result& result) const;

 private:
  // Sums of whole numbers, kept as double: exact up to 2^53 and, unlike
  // int64, merging states can never overflow.
  double clicks_ = 0;
  double impressions_ = 0;
};

}  // namespace kpi::engagement

#endif  // KPI_PLUGINS_ENGAGEMENT_CLICK_THROUGH_RATE_H_
