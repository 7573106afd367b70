#include "plugins/retention/retention_rate.h"

#include <cstdint>
#include <string>

#include "plugins/retention/counts.h"

namespace kpi::retention {

RetentionRate::RetentionRate(const sdk::Params& /*params*/) {}

void RetentionRate::Update(const sdk::Chunk& chunk) {
  // Scalars arrive in the first chunk only; later chunks add 0.
  const int64_t start = ScalarCount(chunk, kCustomersAtStart);
  const int64_t end = ScalarCount(chunk, kCustomersAtEnd);
  const int64_t added = ScalarCount(chunk, kNewCustomers);
  if (added > end) {
    throw sdk::InvalidArgument(
        "new_customers (" + FormatCount(added) +
        ") exceeds customers_at_end (" + FormatCount(end) +
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
}

void RetentionRate::Finalize(sdk::Result& result) const {
  const double retained = customers_at_end_ - new_customers_;
  if (retained > customers_at_start_) {
    // Possible when the inputs come from different sources (e.g. N counted
    // over a shorter window); the value is then above 100%.
    result.Warning("customers_at_end - new_customers (" +
                   FormatCount(retained) + ") exceeds customers_at_start (" +
                   FormatCount(customers_at_start_) +
                   "): more customers retained than existed at the start; "
                   "check the inputs");
  }
  result.SampleSize(customers_at_start_);
  result.Rate(retained, customers_at_start_, 100.0,
              "customers_at_start is 0: retention rate is undefined without "
              "customers at the start of the period");
}

}  // namespace kpi::retention
