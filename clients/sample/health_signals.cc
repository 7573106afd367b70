#include "health_signals.h"

namespace kpi::sample {

void HealthSignals::Add(const CustomerRecord& record) {
  customer_ = Customer();
  customer_.id = record.customer;
  next_.Add(record);
}

void HealthSignals::Add(const SubscriptionRecord& record) {
  // Rows come in start order and only the last may be open: an open one is
  // the customer's state at the end of the window.
  const Time end = record.end == kAbsent ? window_.end : record.end;
  customer_.paid_seconds += end - record.start;
  customer_.subscribed = record.end == kAbsent;
  if (customer_.subscribed) customer_.segments = record.segments;
  next_.Add(record);
}

void HealthSignals::Add(const TransactionRecord& record) { next_.Add(record); }

void HealthSignals::Add(const OrderRecord& record) { next_.Add(record); }

void HealthSignals::Add(const SessionRecord& record) {
  if (record.start >= window_.end - kSessionsLookback) ++customer_.sessions;
  next_.Add(record);
}

void HealthSignals::Add(const TicketRecord& record) {
  if (record.created >= window_.end - kTicketsLookback) ++customer_.tickets;
  next_.Add(record);
}

void HealthSignals::Add(const SurveyRecord& record) {
  // The latest answer; of two at the same instant, the one made last.
  if (record.survey == Survey::kNps &&
      (!customer_.answered || record.time >= customer_.nps_time)) {
    customer_.answered = true;
    customer_.nps_time = record.time;
    customer_.nps = record.score;
  }
  next_.Add(record);
}

void HealthSignals::Add(const FunnelRecord& record) { next_.Add(record); }

void HealthSignals::Add(const CampaignRecord& record) { next_.Add(record); }

void HealthSignals::Add(const HealthSignalRecord& record) { next_.Add(record); }

void HealthSignals::FinishCustomer() {
  const Customer& c = customer_;
  if (c.id == 0 || !c.subscribed) return;
  next_.Add(HealthSignalRecord{c.id, kSessions30d, c.sessions, c.segments});
  next_.Add(HealthSignalRecord{c.id, kTickets90d, c.tickets, c.segments});
  if (c.answered) {
    next_.Add(HealthSignalRecord{c.id, kNpsSignal, c.nps, c.segments});
  }
  next_.Add(HealthSignalRecord{c.id, kTenureMonths, c.paid_seconds / kMeanMonth,
                               c.segments});
  customer_ = Customer();
}

}  // namespace kpi::sample
