// When customers sign up: the generated window and how N customers spread
// over its months. Signups grow by a fixed rate each month, so every month
// has at least as many signups as the one before (more, once N is large
// enough for the growth to show in whole customers).

#ifndef KPI_CLIENTS_SAMPLE_SIGNUP_SCHEDULE_H_
#define KPI_CLIENTS_SAMPLE_SIGNUP_SCHEDULE_H_

#include <cstdint>
#include <vector>

#include "civil_time.h"

namespace kpi::sample {

// Signups in a month are this many times those of the month before.
inline constexpr double kMonthlySignupGrowth = 1.06;

// The generated months: every instant in the files is in [start, end).
struct Window {
  int64_t year;  // of the first month
  int month;     // of the first month, 1..12
  int months;
  Time start;  // first instant of the first month
  Time end;    // first instant after the last month
};

// REQUIRES: 1 <= month <= 12, months >= 1.
Window MakeWindow(int64_t year, int month, int months);

// Customer ids 1..N in signup order, months filled in turn.
class SignupSchedule {
 public:
  // REQUIRES: customers >= 1.
  SignupSchedule(int64_t customers, const Window& window);

  // Customers whose signup falls in month m (0-based) of the window.
  int64_t CustomersInMonth(int m) const { return first_[m + 1] - first_[m]; }
  // The month (0-based) of customer `id`. REQUIRES: 1 <= id <= customers.
  int MonthOf(int64_t id) const;
  // The signup instant of customer `id`: the customers of a month take
  // consecutive equal slices of it, and `u` in [0, 1) places `id` inside
  // its slice. Never decreases with id, so files come out in signup order.
  Time SignupTime(int64_t id, double u) const;
  // Signups expected per day in the month holding `t`, for campaign budgets.
  double ExpectedSignupsPerDay(Time t) const;

 private:
  Window window_;
  // first_[m]: the id of the first customer of month m; first_[months] =
  // customers + 1. Months, not customers: the size does not grow with N.
  std::vector<int64_t> first_;
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_SIGNUP_SCHEDULE_H_
