#include "plugins/revenue/subscriptions.h"

#include "kpi/plugin_text.hpp"
#include "plugins/revenue/records.h"

namespace kpi::revenue {

SubscriptionBook::SubscriptionBook(const SubscriptionInputs& inputs,
                                   int64_t first, int64_t second,
                                   bool two_instants, bool track_history)
    : inputs_(inputs),
      instants_{first, second},
      num_instants_(two_instants ? 2 : 1),
      track_history_(track_history) {}

void SubscriptionBook::Add(const sdk::Chunk& chunk) {
  const sdk::KeyColumn customers = chunk.Keys(inputs_.customer);
  const sdk::View<double> amounts = chunk.Doubles(inputs_.amount);
  const sdk::View<int64_t> months = chunk.Int64s(inputs_.billing_months);
  const sdk::View<int64_t> starts = chunk.Timestamps(inputs_.start);
  const sdk::View<int64_t> ends = chunk.Timestamps(inputs_.end);
  customers_.Track(customers);
  for (size_t row = 0; row < chunk.rows(); ++row) {
    const int64_t start = starts[row];
    const int64_t end = ends[row];
    const Nanos amount = ToNanos(amounts[row]);
    bool active[2] = {false, false};
    bool counts = false;
    for (size_t i = 0; i < num_instants_; ++i) {
      active[i] = start <= instants_[i] && instants_[i] < end;
      counts = counts || active[i];
    }
    // Paid at some instant before the first: active at its own start, which
    // is before the first instant.
    const bool paid_before =
        track_history_ && amount > 0 && start < end && start < instants_[0];
    // Customers with neither MRR at an instant nor history are not kept:
    // they appear in no result.
    if (!counts && !paid_before) continue;
    bool added = false;
    Entry& entry = customers_.At(customers.codes[row], added);
    for (size_t i = 0; i < num_instants_; ++i) {
      if (active[i]) entry.at[i].Add(amount, months[row]);
    }
    entry.paid_before = entry.paid_before || paid_before;
  }
}

void SubscriptionBook::Merge(const SubscriptionBook& other) {
  customers_.Merge(other.customers_, [this](Entry& mine, const Entry& theirs) {
    for (size_t i = 0; i < num_instants_; ++i) {
      mine.at[i].Merge(theirs.at[i]);
    }
    mine.paid_before = mine.paid_before || theirs.paid_before;
  });
}

std::vector<CustomerMrr> SubscriptionBook::Customers() const {
  std::vector<CustomerMrr> result;
  result.reserve(customers_.count());
  customers_.ForEach([&](int32_t, const Entry& entry) {
    CustomerMrr customer;
    for (size_t i = 0; i < num_instants_; ++i) {
      customer.at[i] = entry.at[i].Rounded();
    }
    customer.paid_before = entry.paid_before;
    result.push_back(customer);
  });
  return result;
}

}  // namespace kpi::revenue
