#include "plugins/retention/calendar.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace kpi::retention {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// a / b and a mod b rounded toward negative infinity. REQUIRES: b > 0.
int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
int64_t FloorMod(int64_t a, int64_t b) {
  const int64_t r = a % b;
  return r < 0 ? r + b : r;
}

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Howard Hinnant's days_from_civil / civil_from_days
// (https://howardhinnant.github.io/date_algorithms.html), exact for every
// day an int64 timestamp can reach.
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = FloorDiv(year, 400);
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

// Midnight of `day` in micros, clamped to the int64 range.
int64_t MicrosOfDay(int64_t day) {
  if (day > INT64_MAX / kMicrosPerDay) return INT64_MAX;
  if (day < INT64_MIN / kMicrosPerDay) return INT64_MIN;
  return day * kMicrosPerDay;
}

}  // namespace

int64_t DayOf(int64_t micros) { return FloorDiv(micros, kMicrosPerDay); }

int64_t MonthIndex(int64_t micros) {
  const CivilDate date = CivilFromDays(DayOf(micros));
  return (date.year - 1970) * 12 + (date.month - 1);
}

int64_t WeekIndex(int64_t micros) {
  // 1970-01-01 was a Thursday: day -3 is the Monday that starts week 0.
  return FloorDiv(DayOf(micros) + 3, 7);
}

int64_t MonthStart(int64_t month_index) {
  const int64_t year = 1970 + FloorDiv(month_index, 12);
  const int month = static_cast<int>(FloorMod(month_index, 12)) + 1;
  return MicrosOfDay(DaysFromCivil(year, month, 1));
}

int64_t WeekStart(int64_t week_index) {
  return MicrosOfDay(week_index * 7 - 3);
}

std::string MonthLabel(int64_t month_index) {
  const int64_t year = 1970 + FloorDiv(month_index, 12);
  const int month = static_cast<int>(FloorMod(month_index, 12)) + 1;
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%04" PRId64 "-%02d", year, month);
  return buffer;
}

std::string IsoWeekLabel(int64_t week_index) {
  // An ISO week belongs to the year of its Thursday and is numbered from
  // the week holding that year's first Thursday.
  const int64_t thursday = week_index * 7;
  const int64_t year = CivilFromDays(thursday).year;
  const int64_t week = (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%04" PRId64 "-W%02" PRId64, year,
                week);
  return buffer;
}

}  // namespace kpi::retention
