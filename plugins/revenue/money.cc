#include "plugins/revenue/money.h"

#include <algorithm>
#include <cmath>

namespace kpi::revenue {
namespace {

constexpr long double kNanosPerUnit = 1e9L;

}  // namespace

Nanos ToNanos(double amount) {
  // long double keeps the product exact enough that a decimal amount such as
  // 99.99 (stored as 99.98999999999999488...) rounds to 99990000000.
  return static_cast<Nanos>(
      std::roundl(static_cast<long double>(amount) * kNanosPerUnit));
}

double ToDouble(Nanos nanos) {
  return static_cast<double>(static_cast<long double>(nanos) / kNanosPerUnit);
}

void MonthlySum::Add(Nanos amount, int64_t months) {
  auto it = std::lower_bound(terms_.begin(), terms_.end(), months,
                             [](const std::pair<int64_t, Nanos>& term,
                                int64_t m) { return term.first < m; });
  if (it != terms_.end() && it->first == months) {
    it->second += amount;
  } else {
    terms_.insert(it, {months, amount});
  }
}

void MonthlySum::Merge(const MonthlySum& other) {
  for (const auto& [months, amount] : other.terms_) Add(amount, months);
}

Nanos MonthlySum::Rounded() const {
  // Whole nanounits exactly; the fractional remainders (each below 1, at
  // most one per distinct billing period) in long double, in the fixed order
  // of terms_, so the result depends only on the terms.
  Nanos whole = 0;
  long double fraction = 0;
  for (const auto& [months, amount] : terms_) {
    whole += amount / months;
    fraction += static_cast<long double>(amount % months) /
                static_cast<long double>(months);
  }
  return whole + static_cast<Nanos>(std::roundl(fraction));
}

}  // namespace kpi::revenue
