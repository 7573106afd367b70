// The periods a report covers: the last N calendar months (or ISO weeks,
// Monday to Monday, UTC) of the data window, the last being the one that
// holds the window's last instant. A period cut by the window's end (or
// start) is marked partial and cut to the window: its numbers are to date
// (the current month so far), an estimate of the whole period, not final.

#ifndef KPI_CLIENTS_REPORT_PERIOD_PLAN_H_
#define KPI_CLIENTS_REPORT_PERIOD_PLAN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "spec.h"

namespace kpi::report {

struct Period {
  std::string label;  // "2025-03", or "2025-W10"; "window" for the whole
  absl::Time start;   // inclusive; not before the window's start
  absl::Time end;     // exclusive; not after the window's end
  bool partial = false;
};

// The periods of `periods` within [window_start, window_end), oldest first;
// fewer than `periods.last` when the window is shorter.
// REQUIRES: window_start < window_end.
std::vector<Period> PlanPeriods(const PeriodsSpec& periods,
                                absl::Time window_start, absl::Time window_end);

// The whole window as one period, for KPIs without a period.
Period WholeWindow(absl::Time window_start, absl::Time window_end);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_PERIOD_PLAN_H_
