// The catalog harness: one table-driven mechanism that checks every bundled
// metric through the server's own dispatch path (validation, the plugin's
// C ABI, result conversion), without a server process.
//
// A test file defines rows and instantiates the shared tests:
//
//   std::vector<CatalogCase> RevenueCases() {
//     return {
//         {"MrrOfNoCustomersIsZero",
//          Request("mrr").Int("customers", 0).Double("arpc", 50),
//          Expect::Value(0).SampleSize(0)},
//         ...};
//   }
//   KPI_CATALOG_CASES(Revenue, RevenueCases);
//
// The metrics' declared examples are rows too, generated from the loaded
// plugins (declared_example_cases.h); a table keeps only what an example
// cannot show, and builds its request from the example (ExampleRequest)
// rather than writing an example's data again.
//
// For every row, CatalogCaseTest checks:
//   - ComputesAsExpected: one Compute gives `expect`, and a result that
//     keeps ExpectResultInvariants (result_invariants.h);
//   - IsolationModesAgreeBitForBit: in a plugin worker and in process, the
//     same status and bytes;
// and, instantiated only on the rows they apply to:
//   - SplitCaseTest.ChunkingAndMergingChangeNothing (rows with columns and an
//     OK result):
//     the rows fed as 3 chunks of one call, and split over 3 states merged
//     together, give the same result as one pass (and the merged state
//     finalized twice gives it twice);
//   - SegmentedCaseTest.SegmentsMatchEachSegmentAlone (the same, without
//     scalars):
//     grouped by a synthetic segment column (rows dealt round-robin into 2
//     segments), the overall result equals the ungrouped one and each
//     segment's result equals computing that segment's rows alone.
// Results are compared field by field: numbers to 1e-9 relative, strings
// exactly, tables cell by cell.
//
// MergedStatesTest checks the result of states merged by the host, each fed
// its own request (MergedStatesCase), finalized twice.
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
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi {
class Metric;
}  // namespace kpi

namespace kpi::testing {

// The bundled plugins' metrics, sorted by name, as the suite loads them:
// through the server's registry, each plugin in its worker process, or in
// this process when KPI_TEST_ISOLATION=none.
const std::vector<std::shared_ptr<const Metric>>& LoadedMetrics();

// A ComputeRequest under construction.
class Request {
 public:
  explicit Request(std::string metric);
  // A request built elsewhere (e.g. from a declared example).
  explicit Request(v1::ComputeRequest request) : request_(std::move(request)) {}

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
  // The call succeeds; only what is added below is checked (e.g. the ratio
  // of a declared example, whose value the example states).
  static Expect Ok();
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
  // Without any, the result must have no warnings, unless:
  Expect& Warning(std::string part);
  // Warnings are not checked (a declared example states none).
  Expect& WarningsUnchecked();
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
  bool warnings_unchecked_ = false;
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

// States of one metric, each fed one request, merged into the first and
// finalized, as the host merges the segments of a call: what merging (the
// plugin's merge()) must give, e.g. counts summed over segments.
struct MergedStatesCase {
  std::string name;
  std::vector<Request> states;  // parameters: the first's
  Expect expect;
};

void PrintTo(const CatalogCase& c, std::ostream* os);
void PrintTo(const FormPair& c, std::ostream* os);
void PrintTo(const MergedStatesCase& c, std::ostream* os);

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
class MergedStatesTest : public ::testing::TestWithParam<MergedStatesCase> {};

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
