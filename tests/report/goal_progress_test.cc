#include "goal_progress.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

KpiPeriodResult Result(const std::string& label, double value,
                       bool partial = false) {
  KpiPeriodResult r;
  r.period.label = label;
  r.period.partial = partial;
  r.result.set_value(value);
  r.result.set_unit("%");
  return r;
}

KpiSpec Below(double value) {
  KpiSpec kpi;
  kpi.id = kpi.metric = "churn_rate";
  kpi.target = Target{TargetKind::kBelow, value};
  return kpi;
}

TEST(ProgressTowardTarget, IsTheShareOfTheWayFromStartToTarget) {
  const KpiSpec kpi = Below(3);
  // From 5 toward below 3, now 4: (4 − 5) / (3 − 5) = 50 %.
  const auto goal =
      ProgressTowardTarget({&kpi,
                            {Result("2025-01", 5), Result("2025-02", 4.5),
                             Result("2025-03", 4, /*partial=*/true)}});
  ASSERT_TRUE(goal.has_value());
  EXPECT_EQ(goal->start_period, "2025-01");
  EXPECT_EQ(goal->current_period, "2025-03");
  EXPECT_TRUE(goal->current_partial);
  EXPECT_DOUBLE_EQ(goal->percent, 50);
}

TEST(ProgressTowardTarget, MetIsAllTheWayAndAwayIsNone) {
  const KpiSpec kpi = Below(3);
  EXPECT_EQ(
      ProgressTowardTarget({&kpi, {Result("a", 5), Result("b", 2)}})->percent,
      100);
  EXPECT_EQ(
      ProgressTowardTarget({&kpi, {Result("a", 5), Result("b", 6)}})->percent,
      0);
  // Started on target, then lost it: nothing of a way to cover was covered.
  EXPECT_EQ(
      ProgressTowardTarget({&kpi, {Result("a", 2), Result("b", 4)}})->percent,
      0);
  // "below 3" from exactly 3: no distance, no division by it.
  EXPECT_EQ(
      ProgressTowardTarget({&kpi, {Result("a", 3), Result("b", 3)}})->percent,
      0);
}

TEST(ProgressTowardTarget, NothingWithoutTargetOrValue) {
  const KpiSpec no_target;
  EXPECT_FALSE(ProgressTowardTarget({&no_target, {Result("a", 1)}}));
  const KpiSpec kpi = Below(3);
  EXPECT_FALSE(ProgressTowardTarget({&kpi, {KpiPeriodResult{}}}));
}

}  // namespace
}  // namespace kpi::report
