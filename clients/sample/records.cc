#include "records.h"

namespace kpi::sample {
namespace {

struct CampaignInfo {
  absl::string_view name;
  Channel channel;
};

constexpr CampaignInfo kCampaignInfo[kCampaigns] = {
    {"search_brand", Channel::kPaidSearch},
    {"search_generic", Channel::kPaidSearch},
    {"search_competitor", Channel::kPaidSearch},
    {"social_prospecting", Channel::kSocial},
    {"social_retargeting", Channel::kSocial},
    {"email_newsletter", Channel::kEmail},
    {"email_nurture", Channel::kEmail},
};

}  // namespace

absl::string_view PlanName(Plan plan) {
  static constexpr absl::string_view kNames[] = {"basic", "pro", "business"};
  return kNames[static_cast<int>(plan)];
}

absl::string_view BillingName(Billing billing) {
  return billing == Billing::kAnnual ? "annual" : "monthly";
}

int BillingMonths(Billing billing) {
  return billing == Billing::kAnnual ? 12 : 1;
}

absl::string_view RegionName(Region region) {
  static constexpr absl::string_view kNames[] = {
      "north_america", "europe", "asia_pacific", "latin_america"};
  return kNames[static_cast<int>(region)];
}

absl::string_view ChannelName(Channel channel) {
  static constexpr absl::string_view kNames[] = {
      "organic", "paid_search", "social", "email", "referral", "partner"};
  return kNames[static_cast<int>(channel)];
}

absl::string_view CampaignName(int campaign) {
  return kCampaignInfo[campaign].name;
}

Channel CampaignChannel(int campaign) {
  return kCampaignInfo[campaign].channel;
}

absl::string_view EndReasonName(EndReason reason) {
  static constexpr absl::string_view kNames[] = {"", "cancel", "upgrade",
                                                 "downgrade", "billing_change"};
  return kNames[static_cast<int>(reason)];
}

absl::string_view TransactionTypeName(TransactionType type) {
  return type == TransactionType::kRefund ? "refund" : "payment";
}

absl::string_view PriorityName(Priority priority) {
  static constexpr absl::string_view kNames[] = {"low", "normal", "high"};
  return kNames[static_cast<int>(priority)];
}

absl::string_view StageName(Stage stage) {
  static constexpr absl::string_view kNames[] = {"visit", "register", "trial",
                                                 "purchase"};
  return kNames[static_cast<int>(stage)];
}

}  // namespace kpi::sample
