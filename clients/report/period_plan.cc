#include "period_plan.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace kpi::report {

std::vector<Period> PlanPeriods(const PeriodsSpec& periods,
                                absl::Time window_start,
                                absl::Time window_end) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond last_instant =
      absl::ToCivilSecond(window_end - absl::Microseconds(1), utc);
  std::vector<Period> out;
  for (int k = periods.last - 1; k >= 0; --k) {
    Period period;
    if (periods.unit == PeriodUnit::kMonth) {
      const absl::CivilMonth month = absl::CivilMonth(last_instant) - k;
      period.start = absl::FromCivil(month, utc);
      period.end = absl::FromCivil(month + 1, utc);
      period.label = absl::StrFormat("%04d-%02d", month.year(), month.month());
    } else {
      const absl::CivilDay day = absl::CivilDay(last_instant);
      const absl::CivilDay monday =
          absl::PrevWeekday(day + 1, absl::Weekday::monday) - 7 * k;
      period.start = absl::FromCivil(monday, utc);
      period.end = absl::FromCivil(monday + 7, utc);
      // The ISO week-numbering year is the year of the week's Thursday.
      const absl::CivilDay thursday = monday + 3;
      const int week =
          static_cast<int>((absl::GetYearDay(thursday) - 1) / 7 + 1);
      period.label = absl::StrFormat("%04d-W%02d", thursday.year(), week);
    }
    if (period.end <= window_start) continue;
    period.partial = period.start < window_start || period.end > window_end;
    // A partial period is measured to date: cut to the window, so rows
    // outside it never count and an end-of-period measure (churn at
    // period_end, MRR as_of) is taken where the data ends.
    period.start = std::max(period.start, window_start);
    period.end = std::min(period.end, window_end);
    out.push_back(period);
  }
  return out;
}

Period WholeWindow(absl::Time window_start, absl::Time window_end) {
  return Period{"window", window_start, window_end, false};
}

}  // namespace kpi::report
