// The catalog harness: one table-driven mechanism that checks every bundled
// metric through the server's own dispatch path (validation, the plugin's
// C ABI, result conversion), without a server process.
//
// A test file defines rows and instantiates the shared tests:
//
//   std::vector<CatalogCase> RevenueCases() {
//     return {
//         {"MrrOf100CustomersPaying50",
//          Request("mrr").Int("customers", 100).Double("arpc", 50),
//          Expect::Value(5000)},
//         ...};
//   }
//   KPI_CATALOG_CASES(Revenue, RevenueCases);
//
// For every row, CatalogCaseTest checks:
//   - ComputesAsExpected: one Compute gives `expect`;
//   - IsolationModesAgreeBitForBit: in a plugin worker and in process, the
//     same status and bytes;
// and, instantiated only on the rows they apply to:
//   - SplitCaseTest.ChunkingAndMergingChangeNothing (rows with columns and an
//     OK result):
//     the rows fed as 3 chunks of one call, and split over 3 states merged
//     together, give the same result as one pass;
//   - SegmentedCaseTest.SegmentsMatchEachSegmentAlone (the same, without
//     scalars):
//     grouped by a synthetic segment column (rows dealt round-robin into 2
//     segments), the overall result equals the ungrouped one and each
//     segment's result equals computing that segment's rows alone.
// Results are compared field by field: numbers to 1e-9 relative, strings
// exactly, tables cell by cell.
//
// FormPairTest checks that a record-form request and an aggregate-form
// request of the same data give the same value and ratio:
//   INSTANTIATE_TEST_SUITE_P(Retention, FormPairTest,
//                            ::testing::ValuesIn(RetentionFormPairs()),
//                            CaseName);
#ifndef KPI_TESTS_CATALOG_CATALOG_HARNESS_H_
#define KPI_TESTS_CATALOG_CATALOG_HARNESS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi::testing {

// A ComputeRequest under construction.
class Request {
 public:
  explicit Request(std::string metric);

  // Column inputs.
  Request& Doubles(const std::string& name, std::vector<double> values);
  Request& Int64s(const std::string& name, std::vector<int64_t> values);
  Request& Strings(const std::string& name, std::vector<std::string> values);
  // Instants as "2024-01-31" (midnight UTC) or "2024-01-31T10:15:00Z";
  // "" is the open end (see OpenEnd()).
  Request& Timestamps(const std::string& name, std::vector<std::string> values);

  // Scalar inputs.
  Request& Double(const std::string& name, double value);
  Request& Int(const std::string& name, int64_t value);
  Request& Time(const std::string& name, const std::string& instant);

  // Parameters.
  Request& ParamDouble(const std::string& name, double value);
  Request& ParamInt(const std::string& name, int64_t value);
  Request& ParamString(const std::string& name, const std::string& value);
  Request& ParamBool(const std::string& name, bool value);
  Request& ParamTime(const std::string& name, const std::string& instant);

  const v1::ComputeRequest& proto() const { return request_; }

 private:
  v1::ComputeRequest request_;
};

// Microseconds since the Unix epoch of "YYYY-MM-DD" or
// "YYYY-MM-DDTHH:MM:SSZ"; "" gives OpenEnd(). Aborts the test on bad text.
int64_t Micros(const std::string& instant);
// The value a timestamp column uses for "no end yet" (an active
// subscription): the largest int64.
constexpr int64_t OpenEnd() { return INT64_MAX; }

// What a row expects.
class Expect {
 public:
  static Expect Value(double value);
  // No value; the reason contains `reason_part`.
  static Expect Undefined(std::string reason_part);
  // The call fails with `code` and a message containing `message_part`.
  static Expect Error(absl::StatusCode code, std::string message_part);

  Expect& Ratio(double numerator, double denominator);
  Expect& SampleSize(double sample_size);
  // The confidence interval, each bound to the tolerance below.
  Expect& Interval(double lower, double upper, double margin,
                   double standard_error, double confidence_level);
  Expect& Unit(std::string unit);
  // A warning containing `part`; once per expected warning, in order.
  Expect& Warning(std::string part);
  // A column of result table `table`, exactly these cells (doubles to 1e-9
  // relative). Tables and columns not named here are not checked.
  Expect& TableDoubles(std::string table, std::string column,
                       std::vector<double> cells);
  Expect& TableInt64s(std::string table, std::string column,
                      std::vector<int64_t> cells);
  Expect& TableStrings(std::string table, std::string column,
                       std::vector<std::string> cells);
  // Absolute tolerance for value, ratio and table doubles (default: 1e-9
  // relative to the expected number, at least 1e-12).
  Expect& Tolerance(double absolute);

  // Checks `result` (or the failure) with gtest expectations.
  void Check(const absl::Status& status, const v1::MetricResult* result) const;
  bool expects_ok() const { return code_ == absl::StatusCode::kOk; }

 private:
  struct TableColumnExpectation {
    std::string table, column;
    v1::Column cells;
  };
  absl::StatusCode code_ = absl::StatusCode::kOk;
  std::string message_part_;
  std::optional<double> value_;
  std::optional<std::string> undefined_part_;
  std::optional<std::pair<double, double>> ratio_;
  std::optional<double> sample_size_;
  std::optional<v1::ConfidenceInterval> interval_;
  std::optional<std::string> unit_;
  std::vector<std::string> warning_parts_;
  std::vector<TableColumnExpectation> tables_;
  std::optional<double> tolerance_;
};

struct CatalogCase {
  // The behaviour, in CamelCase; the test's name.
  std::string name;
  Request request;
  Expect expect;
};

struct FormPair {
  std::string name;
  Request records;
  Request aggregate;
};

void PrintTo(const CatalogCase& c, std::ostream* os);
void PrintTo(const FormPair& c, std::ostream* os);

template <typename Row>
std::string CaseName(const ::testing::TestParamInfo<Row>& info) {
  return info.param.name;
}

class CatalogCaseTest : public ::testing::TestWithParam<CatalogCase> {};
// The cases whose requests the chunking and merging test can split: at
// least 2 rows, and an OK result expected.
class SplitCaseTest : public ::testing::TestWithParam<CatalogCase> {};
// The cases the segment test can group: splittable, and no scalars.
class SegmentedCaseTest : public ::testing::TestWithParam<CatalogCase> {};
class FormPairTest : public ::testing::TestWithParam<FormPair> {};

std::vector<CatalogCase> Splittable(const std::vector<CatalogCase>& cases);
std::vector<CatalogCase> Segmentable(const std::vector<CatalogCase>& cases);

// Instantiates the shared tests on the cases `make_cases()` returns, each
// test on the cases it can run (none instantiated only to skip). Use it in
// namespace kpi::testing, where the suites are declared.
#define KPI_CATALOG_CASES(prefix, make_cases)                         \
  INSTANTIATE_TEST_SUITE_P(prefix, CatalogCaseTest,                   \
                           ::testing::ValuesIn(make_cases()),         \
                           ::kpi::testing::CaseName<CatalogCase>);    \
  INSTANTIATE_TEST_SUITE_P(                                           \
      prefix, SplitCaseTest,                                          \
      ::testing::ValuesIn(::kpi::testing::Splittable(make_cases())),  \
      ::kpi::testing::CaseName<CatalogCase>);                         \
  INSTANTIATE_TEST_SUITE_P(                                           \
      prefix, SegmentedCaseTest,                                      \
      ::testing::ValuesIn(::kpi::testing::Segmentable(make_cases())), \
      ::kpi::testing::CaseName<CatalogCase>)

}  // namespace kpi::testing

#endif  // KPI_TESTS_CATALOG_CATALOG_HARNESS_H_
