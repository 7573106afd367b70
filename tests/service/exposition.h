// Test support: reading samples back out of a text exposition.
#ifndef KPI_TESTS_SERVICE_EXPOSITION_H_
#define KPI_TESTS_SERVICE_EXPOSITION_H_

#include <cmath>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"

namespace kpi::testing {

// The value of the sample whose name and labels are exactly `series`
// (e.g. `kpi_calls_total{method="M",metric="",code="OK"}`), or nullopt.
inline std::optional<double> SampleValue(const std::string& exposition,
                                         const std::string& series) {
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::ConsumePrefix(&line, series) || !absl::ConsumePrefix(&line, " "))
      continue;
    double value;
    if (line == "+Inf") return HUGE_VAL;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return std::nullopt;
}

// How many sample lines (not comments) start with `prefix`.
inline int CountSamples(const std::string& exposition,
                        const std::string& prefix) {
  int count = 0;
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (absl::StartsWith(line, prefix)) ++count;
  }
  return count;
}

}  // namespace kpi::testing

#endif  // KPI_TESTS_SERVICE_EXPOSITION_H_
