// plugins/revenue/money.h -- exact money arithmetic for the revenue metrics.
//
// Amounts are held as whole nanounits (1e-9 of the input's currency) in a
// 128-bit integer, not as double. MRR movements must satisfy
//   end = start + new + expansion + reactivation - contraction - churn
// exactly, and whether a customer expanded, contracted or stayed the same
// must not depend on how the rows were chunked, segmented or merged. With
// integers every sum is exact and independent of order, so both hold by
// construction. Rounding happens only at the edges:
//   - an amount is rounded to the nearest nanounit once, when it is read
//     (decimal amounts with up to 9 decimals, like 99.99, are read exactly);
//   - a customer's MRR, a sum of amount / billing_months terms, is rounded
//     to the nearest nanounit once (MonthlySum::Rounded);
//   - a total is converted to double once, for the result.
// The range: amounts are declared at most kMaxAmount (1e15) per row, so
// 1.7e14 rows fit before a sum could overflow.
//
// Thread safety: values; no shared state.
#ifndef KPI_PLUGINS_REVENUE_MONEY_H_
#define KPI_PLUGINS_REVENUE_MONEY_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace kpi::revenue {

// Nanounits of the input's currency. __int128 is a GCC/Clang extension;
// `__extension__` keeps -pedantic quiet about it.
__extension__ typedef __int128 Nanos;

// The largest amount a revenue input accepts (its declared maximum).
inline constexpr double kMaxAmount = 1e15;

// `amount` (finite, 0 <= amount <= kMaxAmount: the host has checked) in
// nanounits, rounded to the nearest.
Nanos ToNanos(double amount);

// `nanos` in currency units, as the nearest double (to within one rounding
// of the long double division).
double ToDouble(Nanos nanos);

// The exact sum of terms amount / months (a customer's monthly-normalised
// recurring revenue at one instant), kept as one sum of amounts per distinct
// billing period so that it can be rounded once, exactly, whatever the order
// in which terms were added.
class MonthlySum {
 public:
  // Adds amount / months. REQUIRES: amount >= 0, months >= 1.
  void Add(Nanos amount, int64_t months);
  void Merge(const MonthlySum& other);
  // The sum in nanounits, rounded to the nearest (halves away from zero).
  // Depends only on the terms added, not on their order.
  Nanos Rounded() const;

 private:
  // (months, sum of amounts billed every `months`), sorted by months, one
  // entry per distinct billing period: usually one or two (monthly, annual).
  std::vector<std::pair<int64_t, Nanos>> terms_;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_MONEY_H_
