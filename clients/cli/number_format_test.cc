#include "number_format.h"

#include <string>

#include "gtest/gtest.h"

namespace kpi::cli {
namespace {

struct Example {
  double value;
  int digits;
  std::string text;
};

TEST(FormatNumberTest, Examples) {
  const Example examples[] = {
      {0, 6, "0"},
      {-0.0, 6, "0"},
      {5, 6, "5"},
      {-3, 6, "-3"},
      {1000, 6, "1000"},
      {1000000, 6, "1000000"},  // whole: never 1e+06
      {123456789012, 6, "123456789012"},
      {1e15, 6, "1e+15"},  // beyond exact whole printing
      {0.05, 6, "0.05"},
      {33.333333333, 6, "33.3333"},
      {66.666666666, 6, "66.6667"},
      {0.1 + 0.2, 6, "0.3"},      // no floating-point noise
      {1234567.8, 6, "1234568"},  // rounded, not an exponent
      {0.0000123, 6, "1.23e-05"},
      {-0.0000001, 4, "-1e-07"},
      {14.692211, 4, "14.69"},
      {7.81025, 4, "7.81"},
      {12345.6, 4, "12346"},
      {2.5, 1, "2"},  // %g rounds half to even
  };
  for (const Example& example : examples) {
    EXPECT_EQ(FormatNumber(example.value, example.digits), example.text)
        << example.value << " with " << example.digits << " digits";
  }
}

TEST(FormatTimestampTest, Rfc3339InUtc) {
  EXPECT_EQ(FormatTimestamp(absl::FromUnixSeconds(1706659200)),
            "2024-01-31T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMicros(1706659200500000)),
            "2024-01-31T00:00:00.5Z");
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMicros(-1)),
            "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace kpi::cli
