#include "goal_progress.h"

#include <algorithm>

#include "targets.h"

namespace kpi::report {

std::optional<GoalProgress> ProgressTowardTarget(const KpiResults& results) {
  const std::optional<Target>& target = results.kpi->target;
  if (!target) return std::nullopt;
  const KpiPeriodResult* first = nullptr;
  const KpiPeriodResult* last = nullptr;
  for (const KpiPeriodResult& r : results.periods) {
    if (!r.result.has_value()) continue;
    if (first == nullptr) first = &r;
    last = &r;
  }
  if (first == nullptr) return std::nullopt;
  GoalProgress goal;
  goal.start_period = first->period.label;
  goal.start = first->result.value();
  goal.current_period = last->period.label;
  goal.current_partial = last->period.partial;
  goal.current = last->result.value();
  goal.target = target->value;
  if (Evaluate(target, last->result) == TargetStatus::kMet) {
    goal.percent = 100;
  } else if (Evaluate(target, first->result) != TargetStatus::kMet &&
             goal.target != goal.start) {
    // A start that missed "below 3" can be 3 itself: no distance to cover.
    goal.percent = std::clamp(
        100 * (goal.current - goal.start) / (goal.target - goal.start), 0.0,
        100.0);
  }
  return goal;
}

}  // namespace kpi::report
