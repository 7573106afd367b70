// plugins/revenue/movements.h -- MRR movements between two instants, the
// one computation behind mrr_movements and the record forms of
// gross_revenue_churn and net_revenue_churn.
//
// Each customer is compared once, by their MRR at period_start (s) and at
// period_end (e), and falls in at most one movement:
//   new           s = 0, e > 0, never paid before period_start   (+e)
//   reactivation  s = 0, e > 0, paid for a subscription that was
//                 active at some instant before period_start      (+e)
//   expansion     s > 0, e > s                                    (+(e - s))
//   contraction   s > 0, 0 < e < s                                (s - e)
//   churn         s > 0, e = 0                                    (s)
// A customer with s = e is unchanged. Movements inside the period are
// netted per customer: a customer who upgraded and then downgraded back is
// unchanged; one who joined and left inside the period is in none.
//
// Every amount is an exact integer of nanounits (money.h) and each movement
// is a sum of per-customer deltas, so
//   ending = starting + new + expansion + reactivation - contraction - churn
// holds exactly, as does the same identity for customers (without expansion
// and contraction, which do not change the count).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_MOVEMENTS_H_
#define KPI_PLUGINS_REVENUE_MOVEMENTS_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "kpi/plugin.hpp"
#include "plugins/revenue/money.h"
#include "plugins/revenue/records.h"
#include "plugins/revenue/subscriptions.h"

namespace kpi::revenue {

// The rows of the movements table, in order.
enum Movement {
  kStarting,
  kNew,
  kExpansion,
  kReactivation,
  kContraction,
  kChurn,
  kEnding,
  kNumMovements,
};

// The names of the movements, in the order of Movement.
inline constexpr const char* kMovementNames[kNumMovements] = {
    "starting",    "new",   "expansion", "reactivation",
    "contraction", "churn", "ending"};

// MRR and customers per movement. Contraction and churn are positive
// amounts (what was lost).
struct MrrMovements {
  std::array<Nanos, kNumMovements> mrr{};
  std::array<int64_t, kNumMovements> customers{};
  // Customers with MRR at period_start or at period_end.
  int64_t customers_covered = 0;
};

// Subscription records folded into per-customer MRR at both ends of a
// period, read from `inputs`.
class MovementBook {
 public:
  MovementBook(const SubscriptionInputs& inputs, const Period& period);

  // Whether `chunk` carries subscription records.
  bool In(const sdk::Chunk& chunk) const { return book_.In(chunk); }
  // Reads the chunk's subscription records. Throws sdk::InvalidArgument
  // for an empty period (Period::Check) and for bad records
  // (SubscriptionBook::Add).
  void Add(const sdk::Chunk& chunk);
  // REQUIRES: `other` was made with the same period and layout.
  void Merge(const MovementBook& other);
  // The movements. Throws sdk::InvalidArgument for an empty period.
  MrrMovements Compute() const;

 private:
  Period period_;
  SubscriptionBook book_;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_MOVEMENTS_H_
