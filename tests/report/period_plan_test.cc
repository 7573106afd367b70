// The periods of a report: the last N months or ISO weeks of the window,
// partial ones marked.

#include "period_plan.h"

#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

absl::Time Day(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

TEST(PlanPeriods, TheLastTwelveMonthsOfKpiSamplesWindow) {
  const std::vector<Period> periods =
      PlanPeriods({PeriodUnit::kMonth, 12}, Day(2024, 1, 1), Day(2026, 1, 1));
  ASSERT_EQ(periods.size(), 12u);
  EXPECT_EQ(periods.front().label, "2025-01");
  EXPECT_EQ(periods.front().start, Day(2025, 1, 1));
  EXPECT_EQ(periods.back().label, "2025-12");
  EXPECT_EQ(periods.back().end, Day(2026, 1, 1));
  for (const Period& p : periods) EXPECT_FALSE(p.partial) << p.label;
}

TEST(PlanPeriods, AWindowEndingMidMonthMakesTheLastMonthPartial) {
  const std::vector<Period> periods =
      PlanPeriods({PeriodUnit::kMonth, 3}, Day(2024, 1, 1), Day(2024, 3, 15));
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[2].label, "2024-03");
  EXPECT_TRUE(periods[2].partial);
  EXPECT_FALSE(periods[1].partial);
  // Measured to date: March 1 to the window's end, March 15.
  EXPECT_EQ(periods[2].start, Day(2024, 3, 1));
  EXPECT_EQ(periods[2].end, Day(2024, 3, 15));
  EXPECT_EQ(periods[1].end, Day(2024, 3, 1));
}

TEST(PlanPeriods, AWindowStartingMidMonthCutsTheFirstMonth) {
  const std::vector<Period> periods =
      PlanPeriods({PeriodUnit::kMonth, 12}, Day(2024, 1, 10), Day(2024, 3, 1));
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_TRUE(periods[0].partial);
  EXPECT_EQ(periods[0].start, Day(2024, 1, 10));
  EXPECT_EQ(periods[0].end, Day(2024, 2, 1));
  EXPECT_FALSE(periods[1].partial);
}

TEST(PlanPeriods, AShortWindowHasFewerPeriods) {
  const std::vector<Period> periods =
      PlanPeriods({PeriodUnit::kMonth, 12}, Day(2024, 1, 1), Day(2024, 3, 1));
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[0].label, "2024-01");
}

TEST(PlanPeriods, IsoWeeksRunMondayToMonday) {
  // 2026-01-01 is a Thursday: the last week is ISO 2026-W01, from Monday
  // 2025-12-29, cut by the window's end.
  const std::vector<Period> periods =
      PlanPeriods({PeriodUnit::kWeek, 2}, Day(2024, 1, 1), Day(2026, 1, 1));
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[1].label, "2026-W01");
  EXPECT_EQ(periods[1].start, Day(2025, 12, 29));
  EXPECT_TRUE(periods[1].partial);
  EXPECT_EQ(periods[0].label, "2025-W52");
  EXPECT_EQ(periods[0].start, Day(2025, 12, 22));
  EXPECT_FALSE(periods[0].partial);
}

}  // namespace
}  // namespace kpi::report
