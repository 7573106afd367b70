// Reading CSV fields: the ISO 8601 forms exports use, whole and decimal
// numbers, and the reasons a bad field is reported with.

#include "field_values.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

int64_t Micros(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return absl::ToUnixMicros(absl::FromCivil(
      absl::CivilSecond(y, m, d, hh, mm, ss), absl::UTCTimeZone()));
}

TEST(ParseTimestamp, ReadsTheIso8601FormsOfExports) {
  const struct {
    const char* text;
    int64_t micros;
  } cases[] = {
      {"2024-03-05T14:07:00Z", Micros(2024, 3, 5, 14, 7)},
      {"2024-03-05", Micros(2024, 3, 5)},
      {"2024-03-05T14:07:09", Micros(2024, 3, 5, 14, 7, 9)},
      {"2024-03-05 14:07", Micros(2024, 3, 5, 14, 7)},
      {"2024-03-05t14:07:00z", Micros(2024, 3, 5, 14, 7)},
      {"2024-03-05T14:07:00.25Z", Micros(2024, 3, 5, 14, 7) + 250000},
      {"2024-03-05T14:07:00.1234567Z", Micros(2024, 3, 5, 14, 7) + 123456},
      // The offset is local time minus UTC: 16:07 at +02:00 is 14:07 UTC.
      {"2024-03-05T16:07:00+02:00", Micros(2024, 3, 5, 14, 7)},
      {"2024-03-05T09:37:00-0430", Micros(2024, 3, 5, 14, 7)},
      {"2024-02-29", Micros(2024, 2, 29)},
      {"1969-12-31T23:59:59Z", -1000000},
  };
  for (const auto& c : cases) {
    int64_t micros = 0;
    const char* reason = nullptr;
    EXPECT_TRUE(ParseTimestamp(c.text, &micros, &reason)) << c.text;
    EXPECT_EQ(micros, c.micros) << c.text;
  }
}

TEST(ParseTimestamp, RefusesWhatIsNotAnInstantWithAReason) {
  const struct {
    const char* text;
    const char* reason;
  } cases[] = {
      {"05/03/2024", "not an ISO 8601 date or time"},
      {"2024-3-5", "not an ISO 8601 date or time"},
      {"2024-02-30", "not a valid calendar date"},
      {"2023-02-29", "not a valid calendar date"},
      {"2024-13-01", "not a valid calendar date"},
      {"2024-03-05T25:00:00Z", "not a valid time of day"},
      {"2024-03-05T14:07:00Zjunk", "not an ISO 8601 date or time"},
      {"2024-03-05T14", "not an ISO 8601 date or time"},
      {"yesterday", "not an ISO 8601 date or time"},
  };
  for (const auto& c : cases) {
    int64_t micros = 0;
    const char* reason = nullptr;
    EXPECT_FALSE(ParseTimestamp(c.text, &micros, &reason)) << c.text;
    ASSERT_NE(reason, nullptr) << c.text;
    EXPECT_EQ(std::string(reason).rfind(c.reason, 0), 0u)
        << c.text << ": " << reason;
  }
}

TEST(ParseNumbers, ReadsWholeAndDecimalNumbersAndRefusesTheRest) {
  int64_t i = 0;
  double d = 0;
  const char* reason = nullptr;
  EXPECT_TRUE(ParseInt64("-42", &i, &reason));
  EXPECT_EQ(i, -42);
  EXPECT_FALSE(ParseInt64("4.2", &i, &reason));
  EXPECT_STREQ(reason, "not a whole number");
  EXPECT_TRUE(ParseDouble("29.00", &d, &reason));
  EXPECT_EQ(d, 29.0);
  EXPECT_TRUE(ParseDouble("-1e3", &d, &reason));
  EXPECT_EQ(d, -1000.0);
  for (const char* bad : {"abc", "nan", "inf", "1,5", ""}) {
    EXPECT_FALSE(ParseDouble(bad, &d, &reason)) << bad;
    EXPECT_STREQ(reason, "not a finite number") << bad;
  }
}

}  // namespace
}  // namespace kpi::report
