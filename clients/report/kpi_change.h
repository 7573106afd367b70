// A KPI's change between its last two complete periods and whether that
// change is beyond noise: the one judgement the tile, report.json and
// report.md all show, made once here.
//
// A partial period (the current month) is never compared: its numbers are
// an estimate. Which test applies depends on what the metric's ratio counts,
// which the result does not say, so it is a property of the metric name
// (NoiseTestFor): counted rates get a two-proportion z-test, CSAT and CES
// (shares of answers) the interval of the difference of two proportions,
// NPS the interval of the difference from each period's standard error.
// Money ratios (revenue churn) and averages are not tested.

#ifndef KPI_CLIENTS_REPORT_KPI_CHANGE_H_
#define KPI_CLIENTS_REPORT_KPI_CHANGE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "report_runner.h"

namespace kpi::report {

enum class NoiseTest {
  kNone,
  kTwoProportion,          // z-test, pooled standard error
  kProportionInterval,     // interval of p2 - p1, unpooled
  kStandardErrorInterval,  // interval of v2 - v1 from the results' SEs
};

// The test for `metric` (a metric name as the server serves it).
NoiseTest NoiseTestFor(absl::string_view metric);

// "two_proportion_z", "proportion_difference_interval",
// "standard_error_difference_interval", "none".
absl::string_view NoiseTestName(NoiseTest test);

enum class NoiseVerdict { kBeyondNoise, kWithinNoise, kNotTested };

// "beyond_noise", "within_noise", "not_tested".
absl::string_view NoiseVerdictName(NoiseVerdict verdict);

struct KpiChange {
  std::string from;  // period labels
  std::string to;
  double from_value = 0;
  double to_value = 0;
  // to_value - from_value, in the KPI's unit: points for "%" and "score".
  double difference = 0;
  // For other units, the change relative to from_value in percent (absent
  // when from_value is 0); the tile shows it instead of `difference`.
  bool in_points = false;
  std::optional<double> relative_percent;
  NoiseTest test = NoiseTest::kNone;
  NoiseVerdict verdict = NoiseVerdict::kNotTested;
  // Why a KPI with a test was not tested (no ratio, a ratio that is not a
  // proportion, no standard error); empty otherwise.
  std::string not_tested_reason;
  std::optional<double> z;  // the two-proportion test's statistic
  std::optional<double> p_value;
  // The interval of the difference, in the KPI's unit (interval tests).
  std::optional<double> lower;
  std::optional<double> upper;
  double confidence_level = 0.95;
};

// The change of `results` between its last two complete periods, or nothing
// when there are fewer than two or either is undefined.
std::optional<KpiChange> AssessChange(const KpiResults& results);

// "down 0.4 points, within noise", "up 2.1 points, beyond noise (p = 0.01)",
// "up 15 points, beyond noise (95% interval +2.2 to +27.8 points)",
// "up 7.7 %, not tested".
std::string DescribeChange(const KpiChange& change);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_KPI_CHANGE_H_
