// Daily marketing-campaign rows (campaigns.csv). A campaign's conversions
// on a day are the customers the model attributed to it who signed up that
// day, so campaigns.csv agrees with customers.csv; clicks, impressions and
// spend are drawn around the day's expected volume with each campaign's
// own click-through rate, conversion rate and cost per click.
//
// Memory holds one day of counters, whatever the number of customers.

#ifndef KPI_CLIENTS_SAMPLE_CAMPAIGNS_H_
#define KPI_CLIENTS_SAMPLE_CAMPAIGNS_H_

#include <array>
#include <cstdint>

#include "records.h"
#include "signup_schedule.h"

namespace kpi::sample {

class CampaignLedger {
 public:
  // Writes to `sink`, which must outlive the ledger. `schedule` too.
  CampaignLedger(uint64_t seed, const Window& window,
                 const SignupSchedule& schedule, RecordSink& sink);
  CampaignLedger(const CampaignLedger&) = delete;
  CampaignLedger& operator=(const CampaignLedger&) = delete;

  // Writes the rows of every day before the day of `t`.
  // REQUIRES: t never decreases from call to call, t < window.end.
  void AdvanceTo(Time t);
  // Counts one conversion of `campaign` at `t` (AdvanceTo(t) first).
  void AddConversion(int campaign, Time t);
  // Writes the remaining days of the window.
  void Finish();

 private:
  void WriteDay();

  uint64_t seed_;
  Window window_;
  const SignupSchedule& schedule_;
  RecordSink& sink_;
  Time day_;  // the day being counted (midnight UTC)
  std::array<int64_t, kCampaigns> conversions_{};
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_CAMPAIGNS_H_
