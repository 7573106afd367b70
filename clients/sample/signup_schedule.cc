#include "signup_schedule.h"

#include <algorithm>

namespace kpi::sample {

Window MakeWindow(int64_t year, int month, int months) {
  return {year, month, months, MonthStart(year, month),
          MonthStart(year, month, months)};
}

SignupSchedule::SignupSchedule(int64_t customers, const Window& window)
    : window_(window), first_(window.months + 1) {
  // Cumulative weights 1, g, g^2, ... by repeated multiplication (no pow:
  // see random.h on portability); month m ends at customer
  // floor(N * W(m + 1) / W(M)).
  std::vector<double> cumulative(window.months + 1, 0.0);
  double weight = 1.0;
  for (int m = 0; m < window.months; ++m) {
    cumulative[m + 1] = cumulative[m] + weight;
    weight *= kMonthlySignupGrowth;
  }
  const double total = cumulative[window.months];
  for (int m = 0; m <= window.months; ++m) {
    const double share = cumulative[m] / total;
    first_[m] =
        1 + static_cast<int64_t>(share * static_cast<double>(customers));
  }
  first_[window.months] = customers + 1;
}

int SignupSchedule::MonthOf(int64_t id) const {
  // The last month whose first id is <= id (months may be empty).
  const auto it = std::upper_bound(first_.begin(), first_.end(), id);
  return static_cast<int>(it - first_.begin()) - 1;
}

Time SignupSchedule::SignupTime(int64_t id, double u) const {
  const int m = MonthOf(id);
  const Time start = MonthStart(window_.year, window_.month, m);
  const Time length = MonthStart(window_.year, window_.month, m + 1) - start;
  const double n = static_cast<double>(CustomersInMonth(m));
  const double position = (static_cast<double>(id - first_[m]) + u) / n;
  const Time offset = static_cast<Time>(position * static_cast<double>(length));
  return start + std::min(offset, length - 1);
}

double SignupSchedule::ExpectedSignupsPerDay(Time t) const {
  int m = 0;
  while (m + 1 < window_.months &&
         MonthStart(window_.year, window_.month, m + 1) <= t) {
    ++m;
  }
  const Time length = MonthStart(window_.year, window_.month, m + 1) -
                      MonthStart(window_.year, window_.month, m);
  return static_cast<double>(CustomersInMonth(m)) /
         (static_cast<double>(length) / kSecondsPerDay);
}

}  // namespace kpi::sample
