// Finding a spec's columns in a header: case, spaces, a byte-order mark and
// the common aliases of exports; a missing column is an error naming what
// was tried.

#include "column_map.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ColumnSpec Column(const std::string& name,
                  std::vector<std::string> headers = {}) {
  ColumnSpec column;
  column.name = name;
  column.headers = headers.empty() ? std::vector<std::string>{name} : headers;
  return column;
}

TEST(MapColumns, MatchesCaseSpacesByteOrderMarkAndAliases) {
  const ColumnSpec customer = Column("customer");
  const ColumnSpec time = Column("time");
  const ColumnSpec score = Column("score");
  const std::vector<const ColumnSpec*> columns = {&customer, &time, &score};
  const std::vector<std::string> header = {"\xEF\xBB\xBF Rating ",
                                           "Customer ID", "Created-At"};
  absl::StatusOr<std::vector<int>> fields =
      MapColumns("answers.csv", header, columns);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_THAT(*fields, ElementsAre(1, 2, 0));
}

TEST(MapColumns, TheSpecsOwnHeaderNamesWinOverAliases) {
  const ColumnSpec time = Column("time", {"Event Date"});
  const std::vector<const ColumnSpec*> columns = {&time};
  const std::vector<std::string> header = {"timestamp", "event_date"};
  absl::StatusOr<std::vector<int>> fields =
      MapColumns("events.csv", header, columns);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_THAT(*fields, ElementsAre(1));
}

TEST(MapColumns, AMissingColumnNamesTheFileTheColumnAndTheNamesTried) {
  const ColumnSpec customer = Column("customer");
  const std::vector<const ColumnSpec*> columns = {&customer};
  const std::vector<std::string> header = {"time", "score"};
  absl::StatusOr<std::vector<int>> fields =
      MapColumns("answers.csv", header, columns);
  ASSERT_FALSE(fields.ok());
  EXPECT_THAT(fields.status().message(),
              HasSubstr("answers.csv: no column matches 'customer' (tried "
                        "customer, customer_id,"));
  EXPECT_THAT(fields.status().message(),
              HasSubstr("the header is: time,score"));
}

}  // namespace
}  // namespace kpi::report
