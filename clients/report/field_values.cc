#include "field_values.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace kpi::report {
namespace {

// Reads exactly `n` digits at `*p`.
bool Digits(const char*& p, const char* end, int n, int* out) {
  if (end - p < n) return false;
  int value = 0;
  for (int i = 0; i < n; ++i, ++p) {
    if (*p < '0' || *p > '9') return false;
    value = value * 10 + (*p - '0');
  }
  *out = value;
  return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil): integer arithmetic only, no time zone
// database, no locale.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

constexpr char kNotIso[] =
    "not an ISO 8601 date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)";

}  // namespace

bool ParseTimestamp(absl::string_view text, int64_t* micros,
                    const char** reason) {
  const char* p = text.data();
  const char* const end = p + text.size();
  int year, month, day;
  if (!Digits(p, end, 4, &year) || p == end || *p++ != '-' ||
      !Digits(p, end, 2, &month) || p == end || *p++ != '-' ||
      !Digits(p, end, 2, &day)) {
    *reason = kNotIso;
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    *reason = "not a valid calendar date";
    return false;
  }
  int hour = 0, minute = 0, second = 0;
  int64_t fraction = 0;
  int64_t offset_seconds = 0;
  if (p != end) {
    if (*p != 'T' && *p != 't' && *p != ' ') {
      *reason = kNotIso;
      return false;
    }
    ++p;
    if (!Digits(p, end, 2, &hour) || p == end || *p++ != ':' ||
        !Digits(p, end, 2, &minute)) {
      *reason = kNotIso;
      return false;
    }
    if (p != end && *p == ':') {
      ++p;
      if (!Digits(p, end, 2, &second)) {
        *reason = kNotIso;
        return false;
      }
      if (p != end && (*p == '.' || *p == ',')) {
        ++p;
        int digits = 0;
        while (p != end && *p >= '0' && *p <= '9') {
          // Digits beyond microseconds are read and dropped.
          if (digits < 6) fraction = fraction * 10 + (*p - '0');
          ++digits;
          ++p;
        }
        if (digits == 0) {
          *reason = kNotIso;
          return false;
        }
        for (; digits < 6; ++digits) fraction *= 10;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) {
      *reason = "not a valid time of day";
      return false;
    }
    if (p != end) {
      if (*p == 'Z' || *p == 'z') {
        ++p;
      } else if (*p == '+' || *p == '-') {
        const int sign = *p++ == '-' ? -1 : 1;
        int oh, om = 0;
        if (!Digits(p, end, 2, &oh)) {
          *reason = kNotIso;
          return false;
        }
        if (p != end && *p == ':') ++p;
        if (p != end && !Digits(p, end, 2, &om)) {
          *reason = kNotIso;
          return false;
        }
        // The offset is local time minus UTC.
        offset_seconds = sign * (oh * 3600 + om * 60);
      }
      if (p != end) {
        *reason = kNotIso;
        return false;
      }
    }
  }
  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 +
                          hour * 3600 + minute * 60 + second - offset_seconds;
  *micros = seconds * 1000000 + fraction;
  return true;
}

bool ParseInt64(absl::string_view text, int64_t* value, const char** reason) {
  if (!absl::SimpleAtoi(text, value)) {
    *reason = "not a whole number";
    return false;
  }
  return true;
}

bool ParseDouble(absl::string_view text, double* value, const char** reason) {
  // SimpleAtod takes "nan" and "inf"; no metric input may hold them.
  if (!absl::SimpleAtod(text, value) || !std::isfinite(*value)) {
    *reason = "not a finite number";
    return false;
  }
  return true;
}

}  // namespace kpi::report
