#include "plugins/revenue/movements.h"

namespace kpi::revenue {

MovementBook::MovementBook(const SubscriptionInputs& inputs,
                           const Period& period)
    : period_(period),
      book_(inputs, period.start, period.end, /*two_instants=*/true,
            /*track_history=*/true) {}

void MovementBook::Add(const sdk::Chunk& chunk) {
  period_.Check();
  book_.Add(chunk);
}

void MovementBook::Merge(const MovementBook& other) {
  book_.Merge(other.book_);
}

MrrMovements MovementBook::Compute() const {
  period_.Check();
  MrrMovements m;
  for (const CustomerMrr& customer : book_.Customers()) {
    const Nanos s = customer.at[0];
    const Nanos e = customer.at[1];
    if (s == 0 && e == 0) continue;  // history only
    ++m.customers_covered;
    if (s > 0) {
      m.mrr[kStarting] += s;
      ++m.customers[kStarting];
    }
    if (e > 0) {
      m.mrr[kEnding] += e;
      ++m.customers[kEnding];
    }
    Movement movement;
    Nanos amount;
    if (s == 0) {
      movement = customer.paid_before ? kReactivation : kNew;
      amount = e;
    } else if (e == 0) {
      movement = kChurn;
      amount = s;
    } else if (e > s) {
      movement = kExpansion;
      amount = e - s;
    } else if (e < s) {
      movement = kContraction;
      amount = s - e;
    } else {
      continue;  // unchanged
    }
    m.mrr[movement] += amount;
    ++m.customers[movement];
  }
  return m;
}

}  // namespace kpi::revenue
