// RunResult: what one benchmark run measured, and its JSON line -- the one
// format kpi-bench prints, whichever server (or no server) it measured.
#ifndef KPI_TESTS_BENCH_RUN_RESULT_H_
#define KPI_TESTS_BENCH_RUN_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kpi::bench {

struct RunResult {
  std::string case_name;
  // Calls completed inside the measured interval, and those that failed.
  uint64_t calls = 0;
  uint64_t errors = 0;
  // Input rows of the completed calls.
  uint64_t rows = 0;
  // The measured interval.
  double seconds = 0;
  // One entry per completed call, in microseconds.
  std::vector<double> latency_us;
  // The value of the last answer, to check that every service computed the
  // same thing; unset when it was undefined or no call succeeded.
  std::optional<double> value;
  std::string first_error;

  // Adds `other`'s calls; the interval is the caller's to set.
  void Absorb(RunResult&& other);
  // {"case": ..., "calls": ..., "qps": ..., "rows_per_s": ...,
  //  "p50_us": ..., "p90_us": ..., "p99_us": ..., "value": ...}
  std::string Json() const;
};

}  // namespace kpi::bench

#endif  // KPI_TESTS_BENCH_RUN_RESULT_H_
