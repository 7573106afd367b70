#include "run_result.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace kpi::bench {
namespace {

// Nearest-rank percentile of sorted values; 0 when there are none.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(
      std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string Quoted(const std::string& text) {
  return absl::StrCat(
      "\"",
      absl::StrReplaceAll(text,
                          {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}}),
      "\"");
}

}  // namespace

void RunResult::Absorb(RunResult&& other) {
  calls += other.calls;
  errors += other.errors;
  rows += other.rows;
  latency_us.insert(latency_us.end(), other.latency_us.begin(),
                    other.latency_us.end());
  if (other.value) value = other.value;
  if (first_error.empty()) first_error = std::move(other.first_error);
}

std::string RunResult::Json() const {
  std::vector<double> sorted = latency_us;
  std::sort(sorted.begin(), sorted.end());
  const double per_second = seconds > 0 ? 1.0 / seconds : 0;
  return absl::StrCat("{\"case\": ", Quoted(case_name), ", \"calls\": ", calls,
                      ", \"errors\": ", errors, ", \"seconds\": ", seconds,
                      ", \"qps\": ", static_cast<double>(calls) * per_second,
                      ", \"rows\": ", rows, ", \"rows_per_s\": ",
                      static_cast<double>(rows) * per_second,
                      ", \"p50_us\": ", Percentile(sorted, 50),
                      ", \"p90_us\": ", Percentile(sorted, 90),
                      ", \"p99_us\": ", Percentile(sorted, 99),
                      ", \"value\": ", value ? absl::StrCat(*value) : "null",
                      ", \"first_error\": ", Quoted(first_error), "}");
}

}  // namespace kpi::bench
