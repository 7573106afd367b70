#include "plugins/retention/retention_rate.h"

#include <cstdint>
#include <string>

#include "kpi/plugin_text.hpp"
#include "plugins/retention/counts.h"

namespace kpi::retention {

RetentionRate::RetentionRate(const sdk::Params& params)
    : records_(kSubscriptions, TimeRange{"period_start", "period_end",
                                         params.Timestamp(kPeriodStart),
                                         params.Timestamp(kPeriodEnd)}) {}

void RetentionRate::Update(const sdk::Chunk& chunk) {
  if (records_.In(chunk)) {
    records_.Add(chunk);
    return;
  }
  // Scalars arrive in the first chunk only; later chunks add 0.
  const int64_t start = ScalarCount(chunk, kCustomersAtStart);
  const int64_t end = ScalarCount(chunk, kCustomersAtEnd);
  const int64_t added = ScalarCount(chunk, kNewCustomers);
  if (added > end) {
    throw sdk::InvalidArgument(
        "new_customers (" + sdk::FormatCount(added) +
        ") exceeds customers_at_end (" + sdk::FormatCount(end) +
        "): customers retained (customers_at_end - new_customers) cannot be "
        "negative");
  }
  customers_at_start_ += static_cast<double>(start);
  customers_at_end_ += static_cast<double>(end);
  new_customers_ += static_cast<double>(added);
}

void RetentionRate::Merge(const RetentionRate& other) {
  customers_at_start_ += other.customers_at_start_;
  customers_at_end_ += other.customers_at_end_;
  new_customers_ += other.new_customers_;
  records_.Merge(other.records_);
}

void RetentionRate::Finalize(sdk::Result& result) const {
  // A request uses one form, so one of the two parts is empty. In the
  // records form E - N is the customers active at both instants.
  const PeriodStatus::Counts counts = records_.Count();
  const double at_start = customers_at_start_ + counts.at_start;
  const double retained =
      (customers_at_end_ - new_customers_) + counts.retained;
  if (retained > at_start) {
    // Possible when the inputs come from different sources (e.g. N counted
    // over a shorter window); the value is then above 100%.
    result.Warning(
        "customers_at_end - new_customers (" + sdk::FormatCount(retained) +
        ") exceeds customers_at_start (" + sdk::FormatCount(at_start) +
        "): more customers retained than existed at the start; "
        "check the inputs");
  }
  result.SampleSize(at_start);
  result.Rate(retained, at_start, 100.0,
              NoCustomersAtStartReason(records_, "retention rate"));
}

}  // namespace kpi::retention
