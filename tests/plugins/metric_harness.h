// tests/plugins/metric_harness.h -- the one harness behind every metric test:
// tables of {metric, inputs, parameters, expected outcome}, each case run
// twice, through the C++ layer (the metric class instantiated directly, with
// a recording sink) and through the C ABI of the built plugin file.
//
//   const MetricCase kCases[] = {
//       {"ChurnIs5PercentFor50LostOf1000", "churn_rate",
//        Scalars({{"customers_at_start", 1000}, {"customers_lost", 50}}), {},
//        Expected::Value(5).WithRatio(50, 1000)},
//   };
//
// Every case also checks what the ABI promises of any result: exactly one of
// value and undefined, no NaN or infinity, and a second finalize() that
// writes the same.
#ifndef KPI_TESTS_PLUGINS_METRIC_HARNESS_H_
#define KPI_TESTS_PLUGINS_METRIC_HARNESS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kpi/plugin.hpp"
#include "tests/support/abi_driver.h"

namespace kpi::testing {

// ---- Inputs -----------------------------------------------------------------

// One state fed one chunk that carries only these scalars.
std::vector<StateData> Scalars(std::map<std::string, double> scalars);

// One state per map of scalars: segments whose states are merged.
std::vector<StateData> Segments(
    std::vector<std::map<std::string, double>> segments);

// One state fed one chunk whose "scores" column holds `scores`.
std::vector<StateData> Scores(std::vector<double> scores);

// `count` copies of `score` for each {score, count}, in order: a survey
// written as its distribution.
std::vector<double> Distribution(
    std::vector<std::pair<double, size_t>> score_counts);

// One state that is created and finalized without any chunk.
std::vector<StateData> NoChunks();

// ---- Expectations -----------------------------------------------------------

// What a case must come to. Unset parts are not checked, except warnings:
// a case expects exactly the warnings it lists.
class Expected {
 public:
  // Status OK with this value (to within the tolerance).
  static Expected Value(double value);
  // Status OK, no value, a reason containing `reason_part`.
  static Expected Undefined(std::string reason_part);
  // The call fails with `status` and a message containing every part.
  static Expected Error(kpi_status status,
                        std::vector<std::string> message_parts);

  Expected WithRatio(double numerator, double denominator) const;
  Expected WithSampleSize(double sample_size) const;
  // The plugin overrides the declared unit with `unit`.
  Expected WithUnit(std::string unit) const;
  // A warning containing `part`; call once per expected warning.
  Expected WithWarning(std::string part) const;
  Expected WithInterval(Interval interval) const;
  // The tolerance of every number (default 1e-9, absolute).
  Expected WithTolerance(double tolerance) const;

  // Checks `outcome` with gtest expectations.
  void Check(const Outcome& outcome) const;

 private:
  kpi_status status_ = KPI_STATUS_OK;
  std::vector<std::string> message_parts_;
  std::optional<double> value_;
  std::optional<std::string> undefined_part_;
  std::optional<Ratio> ratio_;
  std::optional<double> sample_size_;
  std::optional<std::string> unit_;
  std::optional<Interval> interval_;
  std::vector<std::string> warning_parts_;
  double tolerance_ = 1e-9;
};

// The same result to within `tolerance`: values, ratios, intervals and
// sample sizes near, reasons and warnings equal.
void ExpectSameResult(const Outcome& actual, const Outcome& expected,
                      double tolerance);

// ---- Running ----------------------------------------------------------------

// How a case reaches the metric.
enum class Path { kCxx, kAbi };

// Runs a metric through one path.
using CxxRunner = Outcome (*)(const ParamOverrides& params,
                              const std::vector<StateData>& states);

// A plugin under test: its file and, for the C++ path, its metric classes.
struct Family {
  std::string plugin_file;  // full path of the built plugin
  std::map<std::string, CxxRunner> metrics;
};

// The plugin at `path`, loaded once per process and kept loaded. Fails the
// test (and returns nullptr) when it does not load.
const LoadedPlugin* SharedPlugin(const std::string& path);

// Runs `metric` of `family` through `path`.
Outcome Run(const Family& family, const std::string& metric, Path path,
            const ParamOverrides& params, const std::vector<StateData>& states);

// Runs metric class M as the C++ layer's adapter does, but calling the class
// directly: one instance per state (M(Params)), Update per chunk, Merge into
// the first, Finalize twice through a RecordingSink. sdk::InvalidArgument
// becomes KPI_STATUS_INVALID_ARGUMENT, as the adapter maps it.
template <typename M>
Outcome RunCxx(const ParamOverrides& overrides,
               const std::vector<StateData>& states) {
  using Params = sdk::detail::ParamsOf<M>;
  OwnedParams params(Params::data(), Params::size(), overrides);
  const OwnedChunks chunks =
      BuildChunks(M::kInputs, std::size(M::kInputs), states);
  Outcome outcome;
  const char* call = "create";
  try {
    std::vector<std::unique_ptr<M>> instances;
    for (size_t i = 0; i < std::max<size_t>(states.size(), 1); ++i) {
      instances.push_back(
          std::make_unique<M>(sdk::Params(params.data(), params.size())));
    }
    call = "update";
    for (size_t i = 0; i < chunks.size(); ++i) {
      for (const auto& chunk : chunks[i]) {
        instances[i]->Update(sdk::Chunk(chunk->get()));
      }
    }
    call = "merge";
    for (size_t i = 1; i < instances.size(); ++i) {
      instances[0]->Merge(*instances[i]);
    }
    call = "finalize";
    const M& state = *instances[0];
    RecordingSink first;
    sdk::Result first_result(first.sink());
    state.Finalize(first_result);
    outcome.result = first.Finish();
    RecordingSink second;
    sdk::Result second_result(second.sink());
    state.Finalize(second_result);
    outcome.finalize_repeatable = outcome.result == second.Finish();
  } catch (const sdk::InvalidArgument& e) {
    outcome.status = KPI_STATUS_INVALID_ARGUMENT;
    outcome.failed_call = call;
    outcome.message = e.what();
  }
  return outcome;
}

// ---- Tables -----------------------------------------------------------------

// One row of a metric table.
struct MetricCase {
  // The behaviour, in CamelCase; the test's name.
  std::string name;
  std::string metric;
  std::vector<StateData> states;
  ParamOverrides params;
  Expected expected;
};

// One row of a merge table: an input that is split into chunks and states.
struct MergeCase {
  std::string name;
  std::string metric;
  ChunkData input;
  ParamOverrides params;
};

void PrintTo(const MetricCase& c, std::ostream* os);
void PrintTo(const MergeCase& c, std::ostream* os);
void PrintTo(Path path, std::ostream* os);

// The test name of a case and path, e.g. "ChurnIs5Percent_ViaAbi".
template <typename Case>
std::string CaseName(
    const ::testing::TestParamInfo<std::tuple<Case, Path>>& info) {
  return std::get<0>(info.param).name +
         (std::get<1>(info.param) == Path::kCxx ? "_ViaCxx" : "_ViaAbi");
}

// Runs a table row and checks it.
void RunAndCheck(const Family& family, const MetricCase& c, Path path);

// Runs the input once whole, then split across chunks and merged states in
// several ways, and expects the same result every time.
void RunAndCheckMerge(const Family& family, const MergeCase& c, Path path);

}  // namespace kpi::testing

#endif  // KPI_TESTS_PLUGINS_METRIC_HARNESS_H_
