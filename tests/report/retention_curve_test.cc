#include "retention_curve.h"

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

// A cohort_retention "cells" table (docs/metrics.md) of rows (period, size,
// active), cohorts left out: the curve does not need them.
kpi::v1::ResultTable Cells(const std::vector<std::vector<int64_t>>& rows) {
  kpi::v1::ResultTable table;
  table.set_name("cells");
  kpi::v1::Column* period = table.add_columns();
  period->set_name("period");
  kpi::v1::Column* size = table.add_columns();
  size->set_name("size");
  kpi::v1::Column* active = table.add_columns();
  active->set_name("active");
  for (const std::vector<int64_t>& row : rows) {
    period->mutable_int64s()->add_values(row[0]);
    size->mutable_int64s()->add_values(row[1]);
    active->mutable_int64s()->add_values(row[2]);
  }
  return table;
}

TEST(RetentionCurve, WeightsEachPeriodByTheCohortsThatReachIt) {
  // docs/metrics.md's example: January (3 customers) reaches k = 2, February
  // (1) reaches k = 1. k = 1: (2 + 1) / (3 + 1) = 75 %, the metric's value;
  // k = 2 rests on January alone: 1 / 3.
  const std::vector<CurvePoint> curve = RetentionCurve(
      Cells({{0, 3, 3}, {1, 3, 2}, {2, 3, 1}, {0, 1, 1}, {1, 1, 1}}));
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_EQ(curve[0].period, 0);
  EXPECT_EQ(curve[0].retention(), 100);
  EXPECT_EQ(curve[1].cohorts, 2);
  EXPECT_EQ(curve[1].size, 4);
  EXPECT_EQ(curve[1].active, 3);
  EXPECT_EQ(curve[1].retention(), 75);
  EXPECT_EQ(curve[2].cohorts, 1);
  EXPECT_DOUBLE_EQ(curve[2].retention(), 100.0 / 3);
}

TEST(RetentionCurve, NotACohortTableGivesNoCurve) {
  kpi::v1::ResultTable table = Cells({{0, 3, 3}});
  table.mutable_columns()->RemoveLast();  // no "active"
  EXPECT_THAT(RetentionCurve(table), testing::IsEmpty());
  kpi::v1::MetricResult result;
  EXPECT_THAT(RetentionCurveOf(result), testing::IsEmpty());
}

}  // namespace
}  // namespace kpi::report
