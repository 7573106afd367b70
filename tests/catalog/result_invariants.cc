#include "tests/catalog/result_invariants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "result_sink.h"

namespace kpi::testing {

void ExpectResultInvariants(const v1::MetricResult& result) {
  EXPECT_NE(result.has_value(), !result.undefined_reason().empty())
      << "a result has a value or a reason for having none, never both";
  if (result.has_value()) {
    EXPECT_TRUE(std::isfinite(result.value())) << result.value();
  }
  const double denominator = result.ratio().denominator();
  if (result.has_value() && result.unit() == "%" && denominator != 0) {
    const double rate = 100 * result.ratio().numerator() / denominator;
    EXPECT_NEAR(result.value(), rate, std::max(1e-12, 1e-9 * std::fabs(rate)))
        << "a rate in % is 100 x its ratio";
  }
  if (result.has_interval()) {
    const v1::ConfidenceInterval& interval = result.interval();
    if (result.has_value()) {
      EXPECT_LE(interval.lower(), result.value());
      EXPECT_GE(interval.upper(), result.value());
    }
    EXPECT_GE(interval.margin(), 0);
    EXPECT_GE(interval.standard_error(), 0);
    EXPECT_GT(interval.confidence_level(), 0);
    EXPECT_LT(interval.confidence_level(), 1);
  }
  EXPECT_GE(result.sample_size(), 0);
  for (const v1::ResultTable& table : result.tables()) {
    for (const v1::Column& column : table.columns()) {
      EXPECT_EQ(ColumnLength(column), ColumnLength(table.columns(0)))
          << "table " << table.name() << " column " << column.name();
    }
  }
  for (const v1::SegmentResult& segment : result.segments()) {
    SCOPED_TRACE(::testing::PrintToString(segment.key()));
    ExpectResultInvariants(segment.result());
  }
}

}  // namespace kpi::testing
