// The customers most at risk: the N lowest of a health_score "customers"
// table, kept in a heap of N, and the signals read back for them.

#include "at_risk.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// (customer, score) of each kept customer, in order.
std::vector<std::pair<std::string, double>> Scores(
    const std::vector<AtRiskCustomer>& customers) {
  std::vector<std::pair<std::string, double>> out;
  for (const AtRiskCustomer& c : customers)
    out.emplace_back(c.customer, c.score);
  return out;
}

// A health_score result whose "customers" table (customer, score, band,
// signals) holds `rows`, in the metric's order: by customer id.
kpi::v1::MetricResult Result(
    const std::vector<std::tuple<std::string, double, std::string>>& rows) {
  kpi::v1::MetricResult result;
  result.set_value(50);
  kpi::v1::ResultTable* bands = result.add_tables();
  bands->set_name("bands");
  kpi::v1::ResultTable* table = result.add_tables();
  table->set_name("customers");
  kpi::v1::Column* customer = table->add_columns();
  customer->set_name("customer");
  kpi::v1::Column* score = table->add_columns();
  score->set_name("score");
  kpi::v1::Column* band = table->add_columns();
  band->set_name("band");
  kpi::v1::Column* signals = table->add_columns();
  signals->set_name("signals");
  for (const auto& [id, s, b] : rows) {
    customer->mutable_strings()->add_values(id);
    score->mutable_doubles()->add_values(s);
    band->mutable_strings()->add_values(b);
    signals->mutable_int64s()->add_values(4);
  }
  return result;
}

TEST(LowestScores, KeepsTheNLowestLowestFirst) {
  LowestScores lowest(3);
  for (const auto& [id, score] : std::vector<std::pair<std::string, double>>{
           {"a", 80}, {"b", 12.5}, {"c", 99}, {"d", 40}, {"e", 3}, {"f", 41}}) {
    lowest.Offer(id, score, "band");
  }
  EXPECT_THAT(Scores(lowest.Take()),
              ElementsAre(std::pair<std::string, double>{"e", 3},
                          std::pair<std::string, double>{"b", 12.5},
                          std::pair<std::string, double>{"d", 40}));
}

TEST(LowestScores, EqualScoresGoByCustomerIdWhicheverComesFirst) {
  // Three customers share the lowest score; the two kept are the first by
  // id as text ("10" before "9"), whatever the order they are offered in.
  for (const std::vector<std::string>& order :
       {std::vector<std::string>{"9", "10", "11"},
        std::vector<std::string>{"11", "10", "9"}}) {
    LowestScores lowest(2);
    lowest.Offer("1", 50, "yellow");
    for (const std::string& id : order) lowest.Offer(id, 20, "red");
    EXPECT_THAT(Scores(lowest.Take()),
                ElementsAre(std::pair<std::string, double>{"10", 20},
                            std::pair<std::string, double>{"11", 20}));
  }
}

TEST(LowestScores, FewerCustomersThanNKeepsThemAllAndZeroKeepsNone) {
  LowestScores three(3);
  three.Offer("x", 70, "green");
  three.Offer("y", 10, "red");
  const std::vector<AtRiskCustomer> kept = three.Take();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].customer, "y");
  EXPECT_EQ(kept[0].band, "red");
  EXPECT_THAT(three.Take(), IsEmpty());  // taken once
  LowestScores none(0);
  none.Offer("x", 1, "red");
  EXPECT_THAT(none.Take(), IsEmpty());
}

TEST(LowestScores, MatchesAFullSortOfManyScores) {
  // 5,000 scores on a coarse grid, so many tie: the heap of 25 keeps what
  // sorting them all by (score, id) puts first.
  std::mt19937 random(7);
  std::vector<std::pair<double, std::string>> all;
  LowestScores lowest(25);
  for (int i = 0; i < 5000; ++i) {
    const double score = static_cast<double>(random() % 400) / 4;
    const std::string id = absl::StrCat(random() % 100000);
    all.emplace_back(score, id);
    lowest.Offer(id, score, "band");
  }
  std::sort(all.begin(), all.end());
  const std::vector<AtRiskCustomer> kept = lowest.Take();
  ASSERT_EQ(kept.size(), 25u);
  for (size_t i = 0; i < kept.size(); ++i) {
    EXPECT_EQ(kept[i].score, all[i].first) << i;
    EXPECT_EQ(kept[i].customer, all[i].second) << i;
  }
}

TEST(LowestScoredCustomers, ReadsTheCustomersTableOfTheResult) {
  absl::StatusOr<std::vector<AtRiskCustomer>> kept = LowestScoredCustomers(
      Result({{"1", 72.5, "green"}, {"2", 18, "red"}, {"3", 55, "yellow"}}), 2);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].customer, "2");
  EXPECT_EQ((*kept)[0].score, 18);
  EXPECT_EQ((*kept)[0].band, "red");
  EXPECT_EQ((*kept)[1].customer, "3");
  EXPECT_EQ((*kept)[1].band, "yellow");
}

TEST(LowestScoredCustomers, NoTableIsNoListAndAMissingColumnIsAnError) {
  kpi::v1::MetricResult undefined;
  undefined.set_undefined_reason("no rows");
  absl::StatusOr<std::vector<AtRiskCustomer>> none =
      LowestScoredCustomers(undefined, 10);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_THAT(*none, IsEmpty());

  kpi::v1::MetricResult result = Result({{"1", 10, "red"}});
  result.mutable_tables(1)->mutable_columns()->DeleteSubrange(1, 1);  // score
  absl::StatusOr<std::vector<AtRiskCustomer>> bad =
      LowestScoredCustomers(result, 10);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("no score column"));
}

TEST(DeclaredSignals, TheNamesOfTheSignalsParameterInItsOrder) {
  KpiSpec kpi;
  kpi.parameters["signals"].set_string_value(
      "sessions_30d:3:higher:0:8, nps:2:higher:0:10,tickets_90d:1:lower");
  EXPECT_THAT(DeclaredSignals(kpi),
              ElementsAre("sessions_30d", "nps", "tickets_90d"));
  kpi.parameters["signals"].set_int64_value(3);
  EXPECT_THAT(DeclaredSignals(kpi), IsEmpty());
}

TEST(SignalCollector, GathersTheRowsOfTheListedCustomersInDeclaredOrder) {
  std::vector<AtRiskCustomer> customers = {{"7", 12, "red", {}},
                                           {"3", 20, "red", {}}};
  SignalCollector collector(customers, {"sessions", "nps", "tickets"});
  collector.Add("3", "tickets", 4);
  collector.Add("7", "nps", 2);
  collector.Add("5", "nps", 10);  // not at risk: ignored
  collector.Add("7", "extra", 1);
  collector.Add("7", "sessions", 0);
  collector.Finish();
  ASSERT_EQ(customers[0].signals.size(), 3u);
  EXPECT_EQ(customers[0].signals[0].name, "sessions");
  EXPECT_EQ(customers[0].signals[0].value, 0);
  EXPECT_EQ(customers[0].signals[1].name, "nps");
  EXPECT_EQ(customers[0].signals[1].value, 2);
  EXPECT_EQ(customers[0].signals[2].name, "extra");  // undeclared: last
  ASSERT_EQ(customers[1].signals.size(), 1u);
  EXPECT_EQ(customers[1].signals[0].name, "tickets");
  EXPECT_EQ(customers[1].signals[0].value, 4);
  // The columns to show: the declared signals, then the others.
  EXPECT_THAT(SignalColumns({"sessions", "nps", "tickets"}, customers),
              ElementsAre("sessions", "nps", "tickets", "extra"));
}

}  // namespace
}  // namespace kpi::report
