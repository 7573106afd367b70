// The health signals of kpi-sample's health_signals.csv: what the
// health_score metric scores each customer on, derived from the records the
// business model makes as they pass on their way to the files.
//
// For every customer still subscribed at the end W of the window (their
// last subscription is open; a customer who has left has no health to
// score), one record per signal:
//   sessions_30d   sessions started in [W - 30 days, W)
//   tickets_90d    support tickets opened in [W - 90 days, W); fewer is
//                  healthier
//   nps            the score of the customer's latest NPS answer; no record
//                  when they never answered
//   tenure_months  whole mean months (30.436875 days) the customer has paid
//                  for: the lengths of their subscriptions up to W, summed
//                  (the gap after a cancellation does not count)
// with the customer's plan at W, region and channel.
//
// HealthSignals draws no random numbers and forwards every record
// unchanged, so every other file is byte for byte what it is without it.
// It holds one customer's counters at a time: memory does not grow with
// the number of customers. Not thread-safe.

#ifndef KPI_CLIENTS_SAMPLE_HEALTH_SIGNALS_H_
#define KPI_CLIENTS_SAMPLE_HEALTH_SIGNALS_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "records.h"
#include "signup_schedule.h"

namespace kpi::sample {

// The signal names: part of the file format, never renamed.
inline constexpr absl::string_view kSessions30d = "sessions_30d";
inline constexpr absl::string_view kTickets90d = "tickets_90d";
inline constexpr absl::string_view kNpsSignal = "nps";
inline constexpr absl::string_view kTenureMonths = "tenure_months";

// The lookbacks of the counted signals.
inline constexpr Time kSessionsLookback = 30 * kSecondsPerDay;
inline constexpr Time kTicketsLookback = 90 * kSecondsPerDay;
// The mean month tenure_months counts in (365.2425 / 12 days).
inline constexpr Time kMeanMonth = 2629746;

// A RecordSink in front of another: every record goes on to `next` as it
// comes, and FinishCustomer adds the finished customer's signals after
// their other records.
class HealthSignals : public RecordSink {
 public:
  // `next` must outlive this object.
  HealthSignals(const Window& window, RecordSink& next)
      : window_(window), next_(next) {}
  HealthSignals(const HealthSignals&) = delete;
  HealthSignals& operator=(const HealthSignals&) = delete;

  void Add(const CustomerRecord& record) override;
  void Add(const SubscriptionRecord& record) override;
  void Add(const TransactionRecord& record) override;
  void Add(const OrderRecord& record) override;
  void Add(const SessionRecord& record) override;
  void Add(const TicketRecord& record) override;
  void Add(const SurveyRecord& record) override;
  void Add(const FunnelRecord& record) override;
  void Add(const CampaignRecord& record) override;
  void Add(const HealthSignalRecord& record) override;

  // Sends the signals of the customer whose records came since their
  // CustomerRecord to `next` (none when they are no longer subscribed),
  // and forgets them. REQUIRES: every record of that customer has come.
  void FinishCustomer();

 private:
  // What one customer's records have shown so far.
  struct Customer {
    int64_t id = 0;
    bool subscribed = false;  // their last subscription is open
    Segments segments{};      // of that open subscription
    int64_t sessions = 0;
    int64_t tickets = 0;
    bool answered = false;
    Time nps_time = 0;
    int nps = 0;
    Time paid_seconds = 0;
  };

  const Window window_;
  RecordSink& next_;
  Customer customer_;
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_HEALTH_SIGNALS_H_
