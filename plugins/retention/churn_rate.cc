#include "plugins/retention/churn_rate.h"

#include <cstdint>
#include <string>

#include "plugins/retention/counts.h"

namespace kpi::retention {

ChurnRate::ChurnRate(const sdk::Params& /*params*/) {}

void ChurnRate::Update(const sdk::Chunk& chunk) {
  // Scalars arrive in the first chunk only; later chunks add 0.
  const int64_t start = ScalarCount(chunk, kCustomersAtStart);
  const int64_t lost = ScalarCount(chunk, kCustomersLost);
  if (lost > start) {
    throw sdk::InvalidArgument(
        "customers_lost (" + FormatCount(lost) +
        ") exceeds customers_at_start (" + FormatCount(start) +
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
}

void ChurnRate::Finalize(sdk::Result& result) const {
  result.SampleSize(customers_at_start_);
  result.Rate(customers_lost_, customers_at_start_, 100.0,
              "customers_at_start is 0: churn rate is undefined without "
              "customers at the start of the period");
}

}  // namespace kpi::retention
