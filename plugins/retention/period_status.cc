#include "plugins/retention/period_status.h"

#include <string>
#include <string_view>

#include "kpi/plugin_text.hpp"
#include "plugins/retention/calendar.h"

namespace kpi::retention {

PeriodStatus::PeriodStatus(const SubscriptionInputs& inputs,
                           const TimeRange& period)
    : inputs_(inputs), period_(period) {
  period_.CheckNotReversed();
}

void PeriodStatus::Add(const sdk::Chunk& chunk) {
  period_.CheckNotEmpty();
  has_records_ = true;
  const sdk::KeyColumn customers = chunk.Keys(inputs_.customer);
  const sdk::View<int64_t> starts = chunk.Timestamps(inputs_.start);
  const sdk::View<int64_t> ends = chunk.Timestamps(inputs_.end);
  flags_.Track(customers);
  for (size_t row = 0; row < customers.codes.size(); ++row) {
    auto active_at = [&](int64_t t) {
      return starts[row] <= t && t < ends[row];
    };
    const uint8_t flags = (active_at(period_.begin) ? kAtStart : 0) |
                          (active_at(period_.end) ? kAtEnd : 0);
    if (flags == 0) continue;
    bool added = false;
    flags_.At(customers.codes[row], added) |= flags;
  }
}

void PeriodStatus::Merge(const PeriodStatus& other) {
  has_records_ = has_records_ || other.has_records_;
  flags_.Merge(other.flags_,
               [](uint8_t& mine, uint8_t theirs) { mine |= theirs; });
}

PeriodStatus::Counts PeriodStatus::Count() const {
  Counts counts;
  flags_.ForEach([&counts](int32_t, uint8_t flags) {
    counts.at_start += (flags & kAtStart) ? 1 : 0;
    counts.at_end += (flags & kAtEnd) ? 1 : 0;
    counts.retained += (flags & kAtStart) && (flags & kAtEnd) ? 1 : 0;
  });
  return counts;
}

std::string NoCustomersAtStartReason(const PeriodStatus& records,
                                     std::string_view rate) {
  std::string reason = "customers_at_start is 0: ";
  if (records.has_records()) {
    reason += "no customer has a subscription active at period_start (" +
              sdk::FormatInstant(records.period().begin) + "); ";
  }
  return reason + std::string(rate) +
         " is undefined without customers at the start of the period";
}

}  // namespace kpi::retention
