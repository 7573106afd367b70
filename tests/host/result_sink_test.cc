// The host side of the result sink: tables, the plugin defects it refuses,
// and overflow (a non-finite part), which makes the result undefined.
#include "result_sink.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace kpi {
namespace {

void AddDoubles(const kpi_result_sink& sink, const char* table,
                const char* column, const std::vector<double>& values) {
  sink.add_table_column(sink.context, table, std::strlen(table), column,
                        std::strlen(column), KPI_TYPE_DOUBLE, values.size(),
                        values.data(), nullptr, nullptr);
}

TEST(ResultSinkTest, CollectsTypedTableColumns) {
  v1::MetricResult result;
  ResultSink sink(&result);
  const kpi_result_sink& c = sink.c_sink();
  c.set_value(c.context, 2);
  const kpi_string_view stages[] = {{"visit", 5}, {"buy", 3}};
  c.add_table_column(c.context, "stages", 6, "stage", 5, KPI_TYPE_STRING, 2,
                     nullptr, nullptr, stages);
  const int64_t entrants[] = {10, 2};
  c.add_table_column(c.context, "stages", 6, "entrants", 8, KPI_TYPE_INT64, 2,
                     nullptr, entrants, nullptr);
  AddDoubles(c, "stages", "conversion", {100, 20});
  ASSERT_TRUE(sink.Finish().ok());
  ASSERT_EQ(result.tables_size(), 1);
  const v1::ResultTable& table = result.tables(0);
  EXPECT_EQ(table.name(), "stages");
  ASSERT_EQ(table.columns_size(), 3);
  EXPECT_EQ(table.columns(0).strings().values(1), "buy");
  EXPECT_EQ(table.columns(1).int64s().values(0), 10);
  EXPECT_EQ(table.columns(2).doubles().values(1), 20);
}

TEST(ResultSinkTest, RefusesColumnsOfUnequalLength) {
  v1::MetricResult result;
  ResultSink sink(&result);
  const kpi_result_sink& c = sink.c_sink();
  c.set_value(c.context, 1);
  AddDoubles(c, "t", "a", {1, 2});
  AddDoubles(c, "t", "b", {1});
  EXPECT_EQ(sink.Finish().message(),
            "table 't' column 'b' has 1 rows, the table 2");
}

TEST(ResultSinkTest, ANonFiniteCellMakesTheResultUndefined) {
  v1::MetricResult result;
  ResultSink sink(&result);
  const kpi_result_sink& c = sink.c_sink();
  c.set_value(c.context, 1);
  AddDoubles(c, "t", "a", {1, std::nan("")});
  ASSERT_TRUE(sink.Finish().ok());
  EXPECT_FALSE(result.has_value());
  EXPECT_EQ(result.tables_size(), 0);
  EXPECT_EQ(result.undefined_reason(),
            "table 't' column 'a' row 1 is not finite: the inputs are too "
            "large in magnitude for double-precision arithmetic (a sum or "
            "product passed 1.8e308)");
}

TEST(ResultSinkTest, RefusesAResultWithNeitherValueNorReason) {
  v1::MetricResult result;
  ResultSink sink(&result);
  EXPECT_EQ(sink.Finish().message(), "neither a value nor an undefined reason");
}

TEST(ResultSinkTest, AnInfiniteValueMakesTheResultUndefined) {
  v1::MetricResult result;
  ResultSink sink(&result);
  sink.c_sink().set_value(sink.c_sink().context, HUGE_VAL);
  ASSERT_TRUE(sink.Finish().ok());
  EXPECT_FALSE(result.has_value());
  EXPECT_EQ(result.undefined_reason().substr(0, 32),
            "the value (inf) is not finite: t");
}

TEST(ResultSinkTest, StillRefusesANegativeSampleSize) {
  v1::MetricResult result;
  ResultSink sink(&result);
  const kpi_result_sink& c = sink.c_sink();
  c.set_value(c.context, 1);
  c.set_sample_size(c.context, -1);
  EXPECT_EQ(sink.Finish().message(), "sample size is negative");
}

}  // namespace
}  // namespace kpi
