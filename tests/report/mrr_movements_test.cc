#include "mrr_movements.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

// A result with the "movements" table mrr_movements returns
// (docs/metrics.md), its rows in `names` order.
KpiPeriodResult Movements(const std::vector<std::string>& names,
                          const std::vector<double>& amounts) {
  KpiPeriodResult r;
  r.period.label = "2025-06";
  kpi::v1::ResultTable* table = r.result.add_tables();
  table->set_name("movements");
  kpi::v1::Column* movement = table->add_columns();
  movement->set_name("movement");
  for (const std::string& n : names) {
    movement->mutable_strings()->add_values(n);
  }
  kpi::v1::Column* mrr = table->add_columns();
  mrr->set_name("mrr");
  for (double a : amounts) mrr->mutable_doubles()->add_values(a);
  return r;
}

TEST(MovementsOf, ReadsEachMovementByNameAndTheQuickRatio) {
  const auto m =
      MovementsOf(Movements({"starting", "new", "expansion", "reactivation",
                             "contraction", "churn", "ending"},
                            {1000, 60, 30, 10, 20, 30, 1050}));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->period, "2025-06");
  EXPECT_EQ(m->gains(), 100);
  EXPECT_EQ(m->losses(), 50);
  // (60 + 30 + 10) / (20 + 30) = 2.
  EXPECT_EQ(m->quick_ratio(), 2);
}

TEST(MovementsOf, TheQuickRatioIsUndefinedWhenNothingWasLost) {
  const auto m = MovementsOf(
      Movements({"new", "expansion", "reactivation", "contraction", "churn"},
                {5, 0, 0, 0, 0}));
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->quick_ratio().has_value());
}

TEST(MovementsOf, NothingWithoutTheTable) {
  EXPECT_FALSE(MovementsOf(KpiPeriodResult{}).has_value());
}

}  // namespace
}  // namespace kpi::report
