// A chunk of typed columns: good rows go in, a row with any bad field does
// not and each of its bad fields is reported; keys go as int64s while every
// id of the chunk is a canonical integer, else as strings.

#include "column_chunk.h"

#include <string>
#include <tuple>
#include <vector>

#include "field_values.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::ElementsAre;

class ColumnChunkTest : public ::testing::Test {
 protected:
  ColumnChunkTest() {
    customer_.name = "customer";
    customer_.type = ColumnType::kKey;
    end_.name = "end";
    end_.type = ColumnType::kTimestamp;
    end_.empty = EmptyField::kOpenEnd;
    score_.name = "score";
    score_.type = ColumnType::kDouble;
    score_.min = 0;
    score_.max = 10;
    plan_.name = "plan";
    plan_.type = ColumnType::kString;
    plan_.values = {"basic", "pro"};
  }

  // Adds a record; returns its bad fields as (column, field number, reason).
  std::vector<std::tuple<size_t, int, std::string>> Add(
      ColumnChunk& chunk, std::vector<absl::string_view> record) {
    std::vector<std::tuple<size_t, int, std::string>> bad;
    chunk.AddRow(record, [&](size_t column, int field, absl::string_view,
                             const char* reason) {
      bad.emplace_back(column, field, reason);
    });
    return bad;
  }

  ColumnSpec customer_, end_, score_, plan_;
};

TEST_F(ColumnChunkTest, GoodRowsAreTypedAndAnEmptyOpenEndIsTheLargestInt64) {
  // The file's fields are plan,score,end,customer.
  ColumnChunk chunk({&customer_, &end_, &score_, &plan_}, {3, 2, 1, 0});
  EXPECT_TRUE(Add(chunk, {"pro", "9", "2024-01-02", "17"}).empty());
  EXPECT_TRUE(Add(chunk, {"basic", "0", "", "18"}).empty());
  ASSERT_EQ(chunk.rows(), 2u);
  EXPECT_EQ(chunk.Int(1, 1), kOpenEnd);
  // Per row: the key, the end and the score 8 bytes each, "pro" 3 + 2 and
  // "basic" 5 + 2.
  EXPECT_EQ(chunk.bytes(), 2 * 24 + 5 + 7u);

  kpi::v1::Column customers, scores;
  chunk.AppendTo(0, nullptr, "customer", &customers);
  EXPECT_THAT(customers.int64s().values(), ElementsAre(17, 18));
  const std::vector<uint32_t> second = {1};
  chunk.AppendTo(2, &second, "scores", &scores);
  EXPECT_EQ(scores.name(), "scores");
  EXPECT_THAT(scores.doubles().values(), ElementsAre(0.0));
}

TEST_F(ColumnChunkTest, EveryBadFieldOfARowIsReportedAndTheRowLeftOut) {
  ColumnChunk chunk({&customer_, &end_, &score_, &plan_}, {0, 1, 2, 3});
  using Bad = std::tuple<size_t, int, std::string>;
  EXPECT_THAT(Add(chunk, {"", "2024-13-01", "11", "gold"}),
              ElementsAre(Bad{0, 1, "missing value"},
                          Bad{1, 2, "not a valid calendar date"},
                          Bad{2, 3,
                              "out of the column's range (min/max in the "
                              "spec)"},
                          Bad{3, 4,
                              "not one of the column's values (values "
                              "in the spec)"}));
  EXPECT_THAT(Add(chunk, {"1", "", "x"}),
              ElementsAre(Bad{2, 3, "not a finite number"},
                          Bad{3, 4,
                              "missing field (the row has fewer fields "
                              "than the header)"}));
  EXPECT_EQ(chunk.rows(), 0u);
}

TEST_F(ColumnChunkTest, KeysTurnToStringsWhenOneIsNotACanonicalInteger) {
  ColumnChunk chunk({&customer_}, {0});
  for (absl::string_view id : {"7", "42", "007"}) {
    EXPECT_TRUE(Add(chunk, {id}).empty());
  }
  kpi::v1::Column keys;
  chunk.AppendTo(0, nullptr, "customer", &keys);
  // "007" is another id than 7: the ints so far become their text.
  EXPECT_THAT(keys.strings().values(), ElementsAre("7", "42", "007"));
  chunk.Clear();
  EXPECT_TRUE(Add(chunk, {"5"}).empty());
  kpi::v1::Column again;
  chunk.AppendTo(0, nullptr, "customer", &again);
  EXPECT_THAT(again.int64s().values(), ElementsAre(5));
}

}  // namespace
}  // namespace kpi::report
