#include "plugins/support/ticket_resolution_rate.h"

#include <algorithm>
#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::support {

TicketResolutionRate::TicketResolutionRate(const sdk::Params& params)
    : period_start_(params.Timestamp(kPeriodStart)),
      period_end_(params.Timestamp(kPeriodEnd)) {
  if (period_end_ < period_start_) {
    throw sdk::InvalidArgument(
        "parameter 'period_end' (" + sdk::FormatInstant(period_end_) +
        ") is before period_start (" + sdk::FormatInstant(period_start_) + ")");
  }
}

void TicketResolutionRate::Update(const sdk::Chunk& chunk) {
  // Aggregate form: the totals, in the first chunk only.
  resolved_ += chunk.ScalarOr(kTicketsResolved, 0);
  opened_ += chunk.ScalarOr(kTicketsOpened, 0);
  // Records form: one row per ticket.
  const sdk::View<int64_t> opened = chunk.Timestamps(kOpened);
  const sdk::View<int64_t> resolved = chunk.Timestamps(kResolved);
  const size_t rows = std::min(opened.size(), resolved.size());
  // Messages name the row within the chunk (0-based) and its instants.
  auto row = [](size_t i) {
    return "row " + sdk::FormatCount(static_cast<int64_t>(i)) + " of the chunk";
  };
  for (size_t i = 0; i < rows; ++i) {
    if (opened[i] == INT64_MAX) {
      throw sdk::InvalidArgument("input 'opened' " + row(i) +
                                 ": a ticket cannot be opened at the open "
                                 "end");
    }
    if (opened[i] < period_start_ || opened[i] >= period_end_) continue;
    opened_ += 1;
    if (resolved[i] < period_end_) resolved_ += 1;
  }
}

void TicketResolutionRate::Merge(const TicketResolutionRate& other) {
  resolved_ += other.resolved_;
  opened_ += other.opened_;
}

void TicketResolutionRate::Finalize(sdk::Result& result) const {
  result.Share(resolved_, opened_,
               {"tickets_resolved", "tickets_opened",
                "as when tickets opened before the period are resolved in it",
                "no tickets opened in the period (tickets_opened is 0): "
                "ticket resolution rate is undefined"});
}

}  // namespace kpi::support
