// Bad-row accounting: every bad field counted per file and reason, rows
// counted once, examples kept up to a bound per file.

#include "bad_rows.h"

#include "gtest/gtest.h"

namespace kpi::report {
namespace {

BadField Field(const std::string& file, int64_t line, const char* reason) {
  return BadField{file, line, 3, "score", "abc", reason};
}

TEST(BadRows, CountsEveryFieldAndRowButKeepsBoundedExamplesPerFile) {
  BadRows bad(/*examples_per_file=*/2);
  for (int line = 2; line < 7; ++line) {
    bad.AddField(Field("a.csv", line, "not a finite number"));
    bad.AddRow("a.csv");
  }
  bad.AddField(Field("a.csv", 9, "missing value"));
  bad.AddField(Field("b.csv", 4, "missing value"));
  bad.AddRow("b.csv");
  EXPECT_EQ(bad.total_rows(), 6);
  EXPECT_EQ((bad.by_reason().at({"a.csv", "not a finite number"})), 5);
  EXPECT_EQ((bad.by_reason().at({"a.csv", "missing value"})), 1);
  EXPECT_EQ((bad.by_reason().at({"b.csv", "missing value"})), 1);
  // Two of a.csv's six fields are kept, and b.csv's one.
  ASSERT_EQ(bad.examples().size(), 3u);
  EXPECT_EQ(bad.examples()[0].line, 2);
  EXPECT_EQ(bad.examples()[2].file, "b.csv");
  EXPECT_EQ(bad.fields_not_kept(), 4);
}

TEST(BadRows, DescribeNamesFileLineColumnHeaderReasonAndValue) {
  EXPECT_EQ(Describe(Field("a.csv", 7, "not a finite number")),
            "a.csv line 7 column 3 (score): not a finite number: 'abc'");
  EXPECT_EQ(Describe(BadField{"a.csv", 8, 1, "customer", "", "missing value"}),
            "a.csv line 8 column 1 (customer): missing value");
}

}  // namespace
}  // namespace kpi::report
