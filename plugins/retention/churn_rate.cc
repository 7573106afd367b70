#include "plugins/retention/churn_rate.h"

#include <cstdint>
#include <string>

#include "kpi/plugin_text.hpp"
#include "plugins/retention/counts.h"

namespace kpi::retention {

ChurnRate::ChurnRate(const sdk::Params& params)
    : records_(kSubscriptions, TimeRange{"period_start", "period_end",
                                         params.Timestamp(kPeriodStart),
                                         params.Timestamp(kPeriodEnd)}) {}

void ChurnRate::Update(const sdk::Chunk& chunk) {
  if (records_.In(chunk)) {
    records_.Add(chunk);
    return;
  }
  // Scalars arrive in the first chunk only; later chunks add 0.
  const int64_t start = ScalarCount(chunk, kCustomersAtStart);
  const int64_t lost = ScalarCount(chunk, kCustomersLost);
  if (lost > start) {
    throw sdk::InvalidArgument(
        "customers_lost (" + sdk::FormatCount(lost) +
        ") exceeds customers_at_start (" + sdk::FormatCount(start) +
        "): customers lost must be counted from the customers at the start "
        "of the period; customers who joined and left inside the period are "
        "not churn");
  }
  customers_at_start_ += static_cast<double>(start);
  customers_lost_ += static_cast<double>(lost);
}

void ChurnRate::Merge(const ChurnRate& other) {
  customers_at_start_ += other.customers_at_start_;
  customers_lost_ += other.customers_lost_;
  records_.Merge(other.records_);
}

void ChurnRate::Finalize(sdk::Result& result) const {
  // A request uses one form, so one of the two parts is empty.
  const PeriodStatus::Counts counts = records_.Count();
  const double at_start = customers_at_start_ + counts.at_start;
  const double lost = customers_lost_ + (counts.at_start - counts.retained);
  result.SampleSize(at_start);
  result.Rate(lost, at_start, 100.0,
              NoCustomersAtStartReason(records_, "churn rate"));
}

}  // namespace kpi::retention
