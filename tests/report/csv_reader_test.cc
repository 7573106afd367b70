// Streaming CSV: CRLF, delimiters found or given, quoted fields, and line
// numbers that stay true past quoted line breaks and blank lines (bad rows
// are reported by line).

#include "csv_reader.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace kpi::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Row {
  std::vector<std::string> fields;
  int64_t line;
};

std::vector<Row> ReadAll(CsvReader& reader) {
  std::vector<Row> rows;
  const absl::Status status = reader.ReadRows(
      [&](absl::Span<const absl::string_view> fields, int64_t line) {
        rows.push_back({{fields.begin(), fields.end()}, line});
        return true;
      });
  EXPECT_TRUE(status.ok()) << status;
  return rows;
}

TEST(CsvReader, ReadsCrlfQuotedFieldsAndCountsPhysicalLines) {
  kpi::testing::TempDir dir;
  const std::string path = dir.Install(
      "a.csv",
      "id,note\r\n1,plain\r\n2,\"two\r\nlines\"\r\n\r\n3,\"a \"\"quote\"\", "
      "comma\"\r\n4,");
  absl::StatusOr<CsvReader> reader = CsvReader::Open(path, 0);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT(reader->header(), ElementsAre("id", "note"));
  EXPECT_EQ(reader->delimiter(), ',');
  const std::vector<Row> rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_THAT(rows[0].fields, ElementsAre("1", "plain"));
  EXPECT_EQ(rows[0].line, 2);
  EXPECT_THAT(rows[1].fields, ElementsAre("2", "two\r\nlines"));
  EXPECT_EQ(rows[1].line, 3);
  // Line 5 is blank.
  EXPECT_THAT(rows[2].fields, ElementsAre("3", "a \"quote\", comma"));
  EXPECT_EQ(rows[2].line, 6);
  // The last line has no line end, and an empty last field.
  EXPECT_THAT(rows[3].fields, ElementsAre("4", ""));
  EXPECT_EQ(rows[3].line, 7);
}

TEST(CsvReader, DetectsSemicolonsAndTabsAndTakesAGivenDelimiter) {
  kpi::testing::TempDir dir;
  absl::StatusOr<CsvReader> semicolons =
      CsvReader::Open(dir.Install("s.csv", "a;b,c;d\n1;2,5;3\n"), 0);
  ASSERT_TRUE(semicolons.ok());
  EXPECT_EQ(semicolons->delimiter(), ';');
  EXPECT_THAT(ReadAll(*semicolons)[0].fields, ElementsAre("1", "2,5", "3"));

  absl::StatusOr<CsvReader> tabs =
      CsvReader::Open(dir.Install("t.tsv", "a\tb\tc\n1\t\t3\n"), 0);
  ASSERT_TRUE(tabs.ok());
  EXPECT_EQ(tabs->delimiter(), '\t');
  EXPECT_THAT(ReadAll(*tabs)[0].fields, ElementsAre("1", "", "3"));

  absl::StatusOr<CsvReader> given =
      CsvReader::Open(dir.Install("g.csv", "a;b,c\n1;2,3\n"), ',');
  ASSERT_TRUE(given.ok());
  EXPECT_THAT(ReadAll(*given)[0].fields, ElementsAre("1;2", "3"));
}

TEST(CsvReader, NamesTheFileOfAnOpenOrFormatError) {
  kpi::testing::TempDir dir;
  absl::StatusOr<CsvReader> missing = CsvReader::Open(dir.File("none.csv"), 0);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("none.csv"));

  absl::StatusOr<CsvReader> empty =
      CsvReader::Open(dir.Install("e.csv", ""), 0);
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("e.csv: empty file"));

  absl::StatusOr<CsvReader> open_quote =
      CsvReader::Open(dir.Install("q.csv", "a,b\n1,2\n3,\"never closed\n"), 0);
  ASSERT_TRUE(open_quote.ok());
  const absl::Status status = open_quote->ReadRows(
      [](absl::Span<const absl::string_view>, int64_t) { return true; });
  EXPECT_THAT(status.message(),
              HasSubstr("q.csv line 3: a quoted field is not closed"));
}

}  // namespace
}  // namespace kpi::report
