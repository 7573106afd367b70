#include "civil_time.h"

namespace kpi::sample {
namespace {

// Floor division: civil arithmetic must round towards minus infinity for
// instants before the epoch.
int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void AppendDigits(int64_t value, int width, std::string& out) {
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 || n < width);
  while (n > 0) out.push_back(digits[--n]);
}

}  // namespace

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = FloorDiv(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2), m, d};
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Time MonthStart(int64_t year, int month, int64_t months) {
  const int64_t index = year * 12 + (month - 1) + months;
  const int64_t y = FloorDiv(index, 12);
  const int m = static_cast<int>(index - y * 12) + 1;
  return DaysFromCivil(y, m, 1) * kSecondsPerDay;
}

Time AddMonths(Time t, int64_t months) {
  const int64_t days = FloorDiv(t, kSecondsPerDay);
  const Time time_of_day = t - days * kSecondsPerDay;
  const CivilDate date = CivilFromDays(days);
  const int64_t index = date.year * 12 + (date.month - 1) + months;
  const int64_t y = FloorDiv(index, 12);
  const int m = static_cast<int>(index - y * 12) + 1;
  const int last = DaysInMonth(y, m);
  const int d = date.day < last ? date.day : last;
  return DaysFromCivil(y, m, d) * kSecondsPerDay + time_of_day;
}

void AppendDate(Time t, std::string& out) {
  const CivilDate date = CivilFromDays(FloorDiv(t, kSecondsPerDay));
  AppendDigits(date.year, 4, out);
  out.push_back('-');
  AppendDigits(date.month, 2, out);
  out.push_back('-');
  AppendDigits(date.day, 2, out);
}

void AppendTimestamp(Time t, std::string& out) {
  AppendDate(t, out);
  const Time s = t - FloorDiv(t, kSecondsPerDay) * kSecondsPerDay;
  out.push_back('T');
  AppendDigits(s / kSecondsPerHour, 2, out);
  out.push_back(':');
  AppendDigits(s / kSecondsPerMinute % 60, 2, out);
  out.push_back(':');
  AppendDigits(s % 60, 2, out);
  out.push_back('Z');
}

}  // namespace kpi::sample
