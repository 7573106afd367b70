// A KPI with a target as a goal, the way ClickUp Goals tracks a key result:
// where it started (the first period with a value), where it is now (the
// latest period with a value, which may be a partial one's estimate) and
// how much of the way from start to target it has come.

#ifndef KPI_CLIENTS_REPORT_GOAL_PROGRESS_H_
#define KPI_CLIENTS_REPORT_GOAL_PROGRESS_H_

#include <optional>
#include <string>

#include "report_runner.h"

namespace kpi::report {

struct GoalProgress {
  std::string start_period;
  double start = 0;
  std::string current_period;
  bool current_partial = false;
  double current = 0;
  double target = 0;
  // 100 when the current value meets the target; otherwise the share of the
  // distance from start to target covered, in 0 .. 100 (0 when the start
  // already met the target, or the KPI moved away from it).
  double percent = 0;
};

// Nothing for a KPI without a target or without a defined value.
std::optional<GoalProgress> ProgressTowardTarget(const KpiResults& results);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_GOAL_PROGRESS_H_
