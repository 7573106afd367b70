// The business kpi-sample simulates: a SaaS product with three plans,
// monthly and annual billing, an add-on store, support, surveys, a web
// funnel and paid acquisition. docs/reports.md ("Sample data") describes
// the model in words; the constants at the top of business_model.cc are
// its parameters, each with the reason for its value.
//
// The causal structure the reports are meant to show:
//   - each customer has a latent satisfaction s ~ Normal(shift by channel,
//     1); NPS, CSAT and CES answers are noisy readings of s;
//   - the monthly churn hazard falls with s (detractors churn about twice
//     as often as promoters), is higher in the first three months and
//     after a month of slow support, and lower on annual billing, where
//     cancelling takes effect only at a renewal;
//   - satisfied customers upgrade more and downgrade less; some monthly
//     customers switch to annual (an MRR contraction: annual is priced at
//     10 months) and back;
//   - some churned customers come back after a gap (reactivations);
//   - usage (sessions), add-on orders and tickets follow from s and plan.

#ifndef KPI_CLIENTS_SAMPLE_BUSINESS_MODEL_H_
#define KPI_CLIENTS_SAMPLE_BUSINESS_MODEL_H_

#include <cstdint>

#include "random.h"
#include "records.h"
#include "signup_schedule.h"

namespace kpi::sample {

// Streams of Rng (random.h): one per kind of object, so that the draws of
// customers and of campaign days never depend on each other.
inline constexpr uint64_t kCustomerStream = 1;
inline constexpr uint64_t kCampaignStream = 2;

// The share of all signups that `campaign` brings (the channel's share
// times the campaign's share of its channel): campaign budgets follow it.
double CampaignShareOfSignups(int campaign);

// Not thread-safe: visitors are numbered in the order customers are made.
class BusinessModel {
 public:
  explicit BusinessModel(const Window& window) : window_(window) {}
  BusinessModel(const BusinessModel&) = delete;
  BusinessModel& operator=(const BusinessModel&) = delete;

  // Makes customer `id`, who signs up (starts a first paid subscription) at
  // `signup`, and everything they do until the end of the window, and hands
  // the records to `sink`, the customer's own first. Draws only from `rng`,
  // which should be the customer's own stream (kCustomerStream, id).
  // Returns the customer's record (the caller counts campaign conversions).
  // REQUIRES: window.start <= signup < window.end; ids increase by call.
  CustomerRecord GenerateCustomer(int64_t id, Time signup, Rng& rng,
                                  RecordSink& sink);

 private:
  Window window_;
  int64_t next_visitor_ = 1;
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_BUSINESS_MODEL_H_
