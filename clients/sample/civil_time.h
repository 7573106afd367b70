// UTC instants and calendar arithmetic for kpi-sample, in whole seconds
// since the Unix epoch. Integer arithmetic only (Hinnant's civil-day
// algorithms), so the same on every machine and independent of the time
// zone and locale of the process.

#ifndef KPI_CLIENTS_SAMPLE_CIVIL_TIME_H_
#define KPI_CLIENTS_SAMPLE_CIVIL_TIME_H_

#include <cstdint>
#include <string>

namespace kpi::sample {

// Seconds since 1970-01-01T00:00:00Z.
using Time = int64_t;

inline constexpr Time kSecondsPerMinute = 60;
inline constexpr Time kSecondsPerHour = 3600;
inline constexpr Time kSecondsPerDay = 86400;

// Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian).
// REQUIRES: 1 <= m <= 12, 1 <= d <= DaysInMonth(y, m).
int64_t DaysFromCivil(int64_t y, int m, int d);

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};
CivilDate CivilFromDays(int64_t days);

int DaysInMonth(int64_t year, int month);

// The first instant of the month `months` after year-month: MonthStart(2024,
// 1, 13) is 2025-02-01T00:00:00Z.
Time MonthStart(int64_t year, int month, int64_t months = 0);

// The same day of the month and time of day `months` later, the day clamped
// to the end of a shorter month, as billing systems renew: AddMonths of
// 2024-01-31T10:00:00Z by 1 is 2024-02-29T10:00:00Z. Always count from the
// original anchor (AddMonths(anchor, k)), never step by step, or a clamped
// day would stick.
Time AddMonths(Time t, int64_t months);

// "2024-03-05T14:07:00Z" (ISO 8601 / RFC 3339, UTC, whole seconds).
void AppendTimestamp(Time t, std::string& out);
// "2024-03-05" (the UTC day of t).
void AppendDate(Time t, std::string& out);

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_CIVIL_TIME_H_
