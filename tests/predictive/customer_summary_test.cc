// Purchase histories to (x, t_x, T, mean repeat amount), and the grouping
// of identical summaries (plugins/predictive/models/customer_summary.h).
#include "plugins/predictive/models/customer_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/predictive/cdnow.h"

namespace kpi::predictive {
namespace {

using testing::DayMicros;
using testing::kMicrosPerWeek;

TEST(Summarize, CountsDistinctInstantsAfterTheFirstAndSumsTheirAmounts) {
  // Two lines on Jan 1 (the first purchase), two on Jan 15 (one repeat
  // transaction worth 30), one on Jan 29, one after the end.
  std::vector<Purchase> purchases = {
      {DayMicros("19970115"), 10}, {DayMicros("19970101"), 5},
      {DayMicros("19970129"), 60}, {DayMicros("19970115"), 20},
      {DayMicros("19970101"), 7},  {DayMicros("19971001"), 1000}};
  std::optional<CustomerSummary> s =
      Summarize(purchases, DayMicros("19970930"), kMicrosPerWeek);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->x, 2);
  EXPECT_DOUBLE_EQ(s->t_x, 4);
  EXPECT_DOUBLE_EQ(s->T, 272 / 7.0);
  EXPECT_DOUBLE_EQ(s->mean_repeat_amount, 45);
}

TEST(Summarize, APurchaseOnTheLastDayIsInsideTheCalibrationPeriod) {
  std::vector<Purchase> purchases = {{DayMicros("19970930"), 1}};
  std::optional<CustomerSummary> s =
      Summarize(purchases, DayMicros("19970930"), kMicrosPerWeek);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->x, 0);
  EXPECT_EQ(s->T, 0);
  purchases = {{DayMicros("19971001"), 1}};
  EXPECT_FALSE(
      Summarize(purchases, DayMicros("19970930"), kMicrosPerWeek).has_value());
}

TEST(Summarize, ReproducesThePublishedCdnowSummaryForEveryCustomer) {
  const std::vector<testing::CdnowTransaction> sample = testing::CdnowSample();
  if (sample.empty()) GTEST_SKIP() << "no " << testing::CdnowSamplePath();
  const std::vector<CustomerSummary> summaries =
      testing::CdnowSummaries(sample);
  // cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar rounded
  // to two decimals (half up: 22.345 is written 22.35, hence 0.0051), in sample
  // id order (as CdnowSummaries, ordered by id text "0001".."2357").
  std::string path = testing::CdnowSamplePath();
  path = path.substr(0, path.find_last_of('/')) +
         "/cdnow_customers_summary_with_transactions.csv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string line;
  std::getline(in, line);  // header
  size_t i = 0;
  for (; std::getline(in, line); ++i) {
    ASSERT_LT(i, summaries.size());
    std::istringstream fields(line);
    std::string id, x, t_x, T, zbar;
    std::getline(fields, id, ',');
    std::getline(fields, x, ',');
    std::getline(fields, t_x, ',');
    std::getline(fields, T, ',');
    std::getline(fields, zbar, ',');
    EXPECT_EQ(summaries[i].x, std::stod(x)) << "customer " << id;
    EXPECT_NEAR(summaries[i].t_x, std::stod(t_x), 0.005) << "customer " << id;
    EXPECT_NEAR(summaries[i].T, std::stod(T), 0.005) << "customer " << id;
    EXPECT_NEAR(summaries[i].mean_repeat_amount, std::stod(zbar), 0.0051)
        << "customer " << id;
  }
  EXPECT_EQ(i, 2357u);
}

TEST(GroupSummaries, WeighsIdenticalRowsAndKeepsEachCustomersRow) {
  const std::vector<CustomerSummary> customers = {
      {1, 2, 3, 0}, {0, 0, 3, 0}, {1, 2, 3, 50}, {0, 0, 4, 0}};
  const GroupedSummaries grouped = GroupSummaries(customers);
  ASSERT_EQ(grouped.rows.size(), 3u);
  EXPECT_EQ(grouped.rows[0].x, 0);
  EXPECT_EQ(grouped.rows[0].T, 3);
  EXPECT_EQ(grouped.rows[2].weight, 2);
  EXPECT_EQ(grouped.row_of[0], 2u);
  EXPECT_EQ(grouped.row_of[2], 2u);
  EXPECT_EQ(grouped.row_of[3], 1u);
}

}  // namespace
}  // namespace kpi::predictive
