#include "plugins/revenue/mrr.h"

#include <cmath>

#include "kpi/plugin_text.hpp"
#include "plugins/revenue/money.h"
#include "plugins/revenue/records.h"

namespace kpi::revenue {

Mrr::Mrr(const sdk::Params& params)
    : as_of_(params.Timestamp(kAsOf)),
      book_(kSubscriptions, as_of_, as_of_, /*two_instants=*/false,
            /*track_history=*/false) {}

void Mrr::Update(const sdk::Chunk& chunk) {
  if (chunk.Has(kCustomers)) {
    // The aggregate form; its scalars arrive in the first chunk only.
    const double customers = static_cast<double>(chunk.Int64s(kCustomers)[0]);
    aggregate_ = true;
    aggregate_customers_ += customers;
    aggregate_mrr_ += customers * chunk.Doubles(kArpc)[0];
  } else if (book_.In(chunk)) {
    book_.Add(chunk);
  }
}

void Mrr::Merge(const Mrr& other) {
  aggregate_ = aggregate_ || other.aggregate_;
  aggregate_customers_ += other.aggregate_customers_;
  aggregate_mrr_ += other.aggregate_mrr_;
  book_.Merge(other.book_);
}

void Mrr::Finalize(sdk::Result& result) const {
  if (aggregate_) {
    result.SampleSize(aggregate_customers_);
    if (!std::isfinite(aggregate_mrr_)) {
      result.Undefined(
          "customers x arpc is too large to represent as a double");
      return;
    }
    result.Value(aggregate_mrr_);
    return;
  }
  Nanos total = 0;
  double paying = 0;
  for (const CustomerMrr& customer : book_.Customers()) {
    if (customer.at[0] == 0) continue;
    total += customer.at[0];
    ++paying;
  }
  if (paying == 0) {
    result.Warning("no paid subscription is active at as_of (" +
                   sdk::FormatInstant(as_of_) + "): MRR is 0");
  }
  result.SampleSize(paying);
  result.Value(ToDouble(total));
}

}  // namespace kpi::revenue
