// kpi-sample's pieces: the PRNG against its reference outputs, the
// portable exp and log against <cmath>, the distributions' moments, the
// calendar, and CSV quoting.

#include <cmath>
#include <cstdio>
#include <string>

#include "civil_time.h"
#include "csv_writer.h"
#include "gtest/gtest.h"
#include "random.h"
#include "signup_schedule.h"

namespace kpi::sample {
namespace {

TEST(SplitMix64Test, MatchesTheReferenceImplementation) {
  // The first outputs of splitmix64.c (Vigna) from state 0.
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(SplitMix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(SplitMix64(state), 0x06c45d188009454fULL);
}

TEST(RngTest, TheSameStreamGivesTheSameNumbersAndOthersDiffer) {
  Rng a(42, 1, 7), b(42, 1, 7), other_index(42, 1, 8), other_seed(43, 1, 7);
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    EXPECT_NE(x, other_index.Next());
    EXPECT_NE(x, other_seed.Next());
  }
}

TEST(PortableMathTest, ExpAndLogAgreeWithCmath) {
  for (double x = -50; x <= 50; x += 0.137) {
    EXPECT_NEAR(Exp(x), std::exp(x), 2e-15 * std::exp(x)) << x;
  }
  for (double x = 1e-12; x < 1e12; x *= 1.37) {
    EXPECT_NEAR(Log(x), std::log(x),
                1e-15 * std::max(1.0, std::fabs(std::log(x))))
        << x;
  }
  EXPECT_EQ(Log(1), 0);
  EXPECT_EQ(Exp(0), 1);
}

TEST(DistributionTest, MomentsAreTheDocumentedOnes) {
  Rng rng(1, 99, 0);
  constexpr int kN = 200000;
  double uniform = 0, normal = 0, normal2 = 0, exponential = 0, poisson = 0,
         big_poisson = 0, gamma = 0, small_gamma = 0;
  int below[3] = {0, 0, 0};
  int categorical[3] = {0, 0, 0};
  for (int i = 0; i < kN; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0);
    ASSERT_LT(u, 1);
    uniform += u;
    const double z = rng.Normal();
    normal += z;
    normal2 += z * z;
    exponential += rng.Exponential(3);
    poisson += rng.Poisson(4);
    big_poisson += rng.Poisson(100);
    gamma += rng.Gamma(2.5, 2);
    small_gamma += rng.Gamma(0.7, 0.3);
    ++below[rng.Below(3)];
    const double weights[] = {0.2, 0.3, 0.5};
    ++categorical[rng.Categorical(weights)];
  }
  EXPECT_NEAR(uniform / kN, 0.5, 0.005);
  EXPECT_NEAR(normal / kN, 0, 0.01);
  EXPECT_NEAR(normal2 / kN, 1, 0.01);
  EXPECT_NEAR(exponential / kN, 3, 0.03);
  EXPECT_NEAR(poisson / kN, 4, 0.02);
  EXPECT_NEAR(big_poisson / kN, 100, 0.1);
  EXPECT_NEAR(gamma / kN, 5, 0.05);
  EXPECT_NEAR(small_gamma / kN, 0.21, 0.003);
  for (int count : below) EXPECT_NEAR(count, kN / 3.0, 1000);
  EXPECT_NEAR(categorical[0], 0.2 * kN, 600);
  EXPECT_NEAR(categorical[2], 0.5 * kN, 600);
}

std::string Timestamp(Time t) {
  std::string out;
  AppendTimestamp(t, out);
  return out;
}

TEST(CivilTimeTest, FormatsUtcTimestamps) {
  EXPECT_EQ(Timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(Timestamp(1709647620), "2024-03-05T14:07:00Z");
  EXPECT_EQ(Timestamp(MonthStart(2024, 1, 13)), "2025-02-01T00:00:00Z");
  EXPECT_EQ(Timestamp(MonthStart(2024, 3, -3)), "2023-12-01T00:00:00Z");
}

TEST(CivilTimeTest, AddMonthsClampsToTheEndOfShorterMonths) {
  const Time jan31 = MonthStart(2024, 1) + 30 * kSecondsPerDay + 36000;
  EXPECT_EQ(Timestamp(AddMonths(jan31, 1)), "2024-02-29T10:00:00Z");
  EXPECT_EQ(Timestamp(AddMonths(jan31, 2)), "2024-03-31T10:00:00Z");
  EXPECT_EQ(Timestamp(AddMonths(jan31, 13)), "2025-02-28T10:00:00Z");
  EXPECT_EQ(Timestamp(AddMonths(jan31, 12)), "2025-01-31T10:00:00Z");
}

TEST(SignupScheduleTest, EveryCustomerHasAMonthAndMonthsGrow) {
  const Window window = MakeWindow(2024, 1, 24);
  const SignupSchedule schedule(100000, window);
  int64_t total = 0;
  for (int m = 0; m < 24; ++m) {
    total += schedule.CustomersInMonth(m);
    if (m > 0) {
      EXPECT_GT(schedule.CustomersInMonth(m), schedule.CustomersInMonth(m - 1));
    }
  }
  EXPECT_EQ(total, 100000);
  EXPECT_EQ(schedule.SignupTime(1, 0), window.start);
  EXPECT_LT(schedule.SignupTime(100000, 0.999999), window.end);
  EXPECT_GE(schedule.SignupTime(100000, 0.999999), MonthStart(2025, 12));
}

TEST(CsvWriterTest, QuotesOnlyWhatNeedsQuotingAndRenamesAtTheEnd) {
  char dir_template[] = "/tmp/kpi-sample-unit-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/t.csv";
  {
    auto writer = CsvWriter::Open(path, {"a", "b", "c"});
    ASSERT_TRUE(writer.ok()) << writer.status();
    (*writer)->Text("plain");
    (*writer)->Text("with, comma and \"quote\"");
    (*writer)->Money(2900);
    (*writer)->EndRow();
    (*writer)->Integer(-3);
    (*writer)->Empty();
    (*writer)->Money(5);
    (*writer)->EndRow();
    EXPECT_EQ((*writer)->rows(), 2);
    FILE* early = std::fopen(path.c_str(), "r");
    EXPECT_EQ(early, nullptr) << "the file appeared before Finish";
    if (early != nullptr) std::fclose(early);
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  FILE* file = std::fopen(path.c_str(), "r");
  ASSERT_NE(file, nullptr);
  char bytes[256] = {};
  const size_t n = std::fread(bytes, 1, sizeof bytes - 1, file);
  std::fclose(file);
  EXPECT_EQ(std::string(bytes, n),
            "a,b,c\r\nplain,\"with, comma and \"\"quote\"\"\",29.00\r\n"
            "-3,,0.05\r\n");
  std::remove(path.c_str());
  rmdir(dir_template);
}

TEST(CsvWriterTest, ARowWithTheWrongFieldCountIsAnError) {
  char dir_template[] = "/tmp/kpi-sample-unit-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = std::string(dir_template) + "/t.csv";
  {
    auto writer = CsvWriter::Open(path, {"a", "b"});
    ASSERT_TRUE(writer.ok());
    (*writer)->Text("only one");
    (*writer)->EndRow();
    EXPECT_FALSE((*writer)->status().ok());
    EXPECT_FALSE((*writer)->Finish().ok());
  }
  FILE* file = std::fopen(path.c_str(), "r");
  EXPECT_EQ(file, nullptr) << "an incomplete file was left under its name";
  if (file != nullptr) std::fclose(file);
  FILE* partial = std::fopen((path + ".partial").c_str(), "r");
  EXPECT_EQ(partial, nullptr) << "the partial file was left behind";
  if (partial != nullptr) std::fclose(partial);
  rmdir(dir_template);
}

}  // namespace
}  // namespace kpi::sample
