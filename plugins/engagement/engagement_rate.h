// plugins/engagement/engagement_rate.h -- social engagement rate.
//
// engagement rate = (likes + shares + comments [+ saves]) / denominator
// x 100, in %, where the `denominator` parameter picks followers (engagement
// rate by post, the default), reach or impressions. Saves count when given.
// Two input forms:
//   - aggregate: the scalars likes, shares, comments, saves and the chosen
//     denominator (followers, reach or impressions), totals over the posts;
//   - records: one row per post with post_likes, post_shares, post_comments,
//     post_saves and the chosen post_followers / post_reach /
//     post_impressions. The rate is total engagements / total denominator:
//     with followers, the followers-weighted mean of the per-post rates,
//     which is their plain mean when the follower count is the same for
//     every post. The aggregate form of the same posts therefore takes the
//     sum of the per-post denominators (followers x posts for one account).
// The chosen denominator must be given; the others may be absent.
//
// The state is two sums, so merging the states of segments adds them.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_ENGAGEMENT_ENGAGEMENT_RATE_H_
#define KPI_PLUGINS_ENGAGEMENT_ENGAGEMENT_RATE_H_

#include <cstddef>
#include <iterator>

#include "kpi/plugin.hpp"

namespace kpi::engagement {

// The values of engagement_rate's "denominator" parameter, in the order of
// the denominator inputs.
inline constexpr const char* kEngagementDenominators[] = {"followers", "reach",
                                                          "impressions"};

class EngagementRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("likes", KPI_TYPE_INT64, "Likes (reactions) of the posts.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("shares", KPI_TYPE_INT64, "Shares (reposts) of the posts.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("comments", KPI_TYPE_INT64, "Comments on the posts.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("saves", KPI_TYPE_INT64,
                  "Saves (bookmarks) of the posts; counted when given.")
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("followers", KPI_TYPE_INT64,
                  "Followers; for several posts, the sum of each post's "
                  "follower count. Required when denominator is "
                  "\"followers\".")
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("reach", KPI_TYPE_INT64,
                  "Accounts reached. Required when denominator is \"reach\".")
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("impressions", KPI_TYPE_INT64,
                  "Impressions (views). Required when denominator is "
                  "\"impressions\".")
          .Min(0)
          .Form("aggregate"),
      sdk::Column("post_likes", KPI_TYPE_INT64, "Likes of each post.")
          .Required()
          .Min(0)
          .Form("records"),
      sdk::Column("post_shares", KPI_TYPE_INT64, "Shares of each post.")
          .Required()
          .Min(0)
          .Form("records"),
      sdk::Column("post_comments", KPI_TYPE_INT64, "Comments on each post.")
          .Required()
          .Min(0)
          .Form("records"),
      sdk::Column("post_saves", KPI_TYPE_INT64,
                  "Saves of each post; counted when given.")
          .Min(0)
          .Form("records"),
      sdk::Column("post_followers", KPI_TYPE_INT64,
                  "Followers of the account when each post was published. "
                  "Required when denominator is \"followers\".")
          .Min(0)
          .Form("records"),
      sdk::Column("post_reach", KPI_TYPE_INT64,
                  "Accounts each post reached. Required when denominator is "
                  "\"reach\".")
          .Min(0)
          .Form("records"),
      sdk::Column("post_impressions", KPI_TYPE_INT64,
                  "Impressions of each post. Required when denominator is "
                  "\"impressions\".")
          .Min(0)
          .Form("records")};
  static constexpr auto kLikes = sdk::Input<KPI_TYPE_INT64>(kInputs, "likes");
  static constexpr auto kShares = sdk::Input<KPI_TYPE_INT64>(kInputs, "shares");
  static constexpr auto kComments =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "comments");
  static constexpr auto kSaves = sdk::Input<KPI_TYPE_INT64>(kInputs, "saves");
  static constexpr auto kFollowers =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "followers");
  static constexpr auto kReach = sdk::Input<KPI_TYPE_INT64>(kInputs, "reach");
  static constexpr auto kImpressions =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "impressions");
  static constexpr auto kPostLikes =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_likes");
  static constexpr auto kPostShares =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_shares");
  static constexpr auto kPostComments =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_comments");
  static constexpr auto kPostSaves =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_saves");
  static constexpr auto kPostFollowers =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_followers");
  static constexpr auto kPostReach =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_reach");
  static constexpr auto kPostImpressions =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "post_impressions");
  // The denominator inputs of each form, in kEngagementDenominators order.
  static constexpr sdk::InputRef<KPI_TYPE_INT64> kDenominators[] = {
      kFollowers, kReach, kImpressions};
  static constexpr sdk::InputRef<KPI_TYPE_INT64> kPostDenominators[] = {
      kPostFollowers, kPostReach, kPostImpressions};
  static_assert(std::size(kDenominators) ==
                    std::size(kEngagementDenominators) &&
                std::size(kPostDenominators) ==
                    std::size(kEngagementDenominators));

  static constexpr kpi_param_spec kParams[] = {
      sdk::StringParam("denominator", "followers",
                       "What engagements are divided by: \"followers\" "
                       "(engagement rate by post, the default), \"reach\" or "
                       "\"impressions\". That input must be given.")
          .OneOf(kEngagementDenominators)};
  static constexpr auto kDenominator =
      sdk::Param<KPI_TYPE_STRING>(kParams, "denominator");

  static constexpr sdk::MetricInfo kInfo{
      "engagement_rate",
      "Engagement rate: (likes + shares + comments [+ saves]) / denominator "
      "x 100, in %, the denominator chosen by the parameter: followers (by "
      "post, the default), reach or impressions. Saves count when given. "
      "From totals (likes, shares, comments, saves, followers / reach / "
      "impressions) or from one row per post (post_likes, ...): then total "
      "engagements / total denominator, the denominator-weighted mean of "
      "the per-post rates. Undefined when the denominator is 0.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example (500
  // likes + 200 shares + 50 comments on 10,000 followers) as totals and as
  // two posts of an account with 5,000 followers; no followers.
  static constexpr int64_t kCatalogLikes[] = {500};
  static constexpr int64_t kCatalogShares[] = {200};
  static constexpr int64_t kCatalogComments[] = {50};
  static constexpr int64_t kCatalogFollowers[] = {10000};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("likes", kCatalogLikes),
      sdk::ExampleInput("shares", kCatalogShares),
      sdk::ExampleInput("comments", kCatalogComments),
      sdk::ExampleInput("followers", kCatalogFollowers)};
  static constexpr int64_t kTwoPostsLikes[] = {300, 200};
  static constexpr int64_t kTwoPostsShares[] = {150, 50};
  static constexpr int64_t kTwoPostsComments[] = {20, 30};
  static constexpr int64_t kTwoPostsFollowers[] = {5000, 5000};
  static constexpr kpi_example_input kPosts[] = {
      sdk::ExampleInput("post_likes", kTwoPostsLikes),
      sdk::ExampleInput("post_shares", kTwoPostsShares),
      sdk::ExampleInput("post_comments", kTwoPostsComments),
      sdk::ExampleInput("post_followers", kTwoPostsFollowers)};
  static constexpr kpi_example_input kNoFollowers[] = {
      sdk::ExampleInput("likes", kNone), sdk::ExampleInput("shares", kNone),
      sdk::ExampleInput("comments", kNone),
      sdk::ExampleInput("followers", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("750 engagements on 10,000 followers", kCatalogTotals)
          .Expect(7.5),
      sdk::Example("the same over two posts", kPosts).Expect(7.5),
      sdk::Example("no followers", kNoFollowers).ExpectUndefined()};

  explicit EngagementRate(const sdk::Params& params);

  // Adds the chunk's scalars (aggregate form) or the sums of its post rows
  // (records form). Throws sdk::InvalidArgument, naming the input, when the
  // chosen denominator is not given.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const EngagementRate& other);
  // Value, ratio (engagements, denominator) and sample size (the
  // denominator); undefined when the denominator is 0.
  void Finalize(sdk::Result& result) const;

 private:
  // Index of the chosen denominator in kEngagementDenominators.
  size_t denominator_index_ = 0;
  // Sums of whole numbers, kept as double: exact up to 2^53 and, unlike
  // int64, merging states can never overflow.
  double engagements_ = 0;
  double denominator_ = 0;
};

}  // namespace kpi::engagement

#endif  // KPI_PLUGINS_ENGAGEMENT_ENGAGEMENT_RATE_H_
