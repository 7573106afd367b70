// Conformance checks: a plugin proves itself before it serves.
//
// CheckConformance runs, for every metric of a loaded plugin, the checks
// below through the server's own call path (BoundParams, input-form choice,
// BoundChunk validation, MetricState / MetricCall and the ResultSink checks
// of finalize), so a check behaves exactly as a served call would:
//
//   "descriptor is well-formed"        the schema check PluginLibrary::Load
//                                      already ran (repeated for the report)
//   "empty state finalizes"            create (defaults; REQUIRED parameters
//                                      filled in, see below, or else a
//                                      declared example's) then finalize
//                                      with no rows: a value or an undefined
//                                      reason. INVALID_ARGUMENT from the
//                                      plugin is accepted (the caller sent no
//                                      rows); INTERNAL, NaN, infinity or
//                                      neither value nor reason fail.
//   "chunking does not change results" generated rows in one chunk vs. the
//                                      same rows in three chunks of one call
//   "merge is associative"             the rows split over states A, B, C:
//                                      (A merge B) merge C, A merge (B merge
//                                      C) and the single state all agree
//   "declared examples pass"           every kpi_example of the descriptor,
//                                      computed as a call, gives its expected
//                                      result (one entry per example)
//
// Generated rows (64 per input form, deterministic) fit the declared schema:
// numbers inside the declared or parameter ranges (whole where INTEGRAL;
// doubles without a range in [0, 1000], int64s in [0, 20]), strings from
// "c0".."c7", timestamps in 2024-01-01..2024-03-01, a timestamp input named
// like an end ("end", "resolved", "first_response", "closed", "last") no
// earlier than the row's previous timestamp input. Filled-in REQUIRED
// parameters: one timestamp is an "as of", 2024-03-01 (after every generated
// timestamp); several are 2024-01-01, 2024-02-01, 2024-03-01... in
// declaration order; numbers the minimum (or 1, within the maximum); strings
// the first allowed value. When the plugin refuses generated input with
// INVALID_ARGUMENT (after three draws with every input of the form and three
// with only the required ones), the chunking and merge checks split instead
// the rows of the first declared example of that form the plugin accepts,
// with its parameters: input no schema can describe (rows that must name a
// signal the parameters declare, totals that must add up) is what examples
// carry. Likewise, when create refuses the filled-in parameters, the empty
// state is created with each declared example's parameters in turn. Only
// when nothing is accepted is a check skipped, naming the first refusal,
// rather than failed. In the merge check state A gets the scalars, as the
// first chunk of a call does; an example's n rows split like the generated
// 64 (at 10/64 and 40/64 of n, rounded up). Results are equal when every
// field agrees, numbers to 1e-9 relative, tables cellwise.
//
// The checks run plugin code in the calling process: kpi-server runs them in
// the plugin's worker, or in a load-time child (plugin_worker.h), so a
// plugin that crashes or hangs there is refused and the server lives on;
// `kpi-plugin check` runs them in its own process.
#ifndef KPI_HOST_CONFORMANCE_H_
#define KPI_HOST_CONFORMANCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "plugin_library.h"

namespace kpi {

// Check names, as reported.
inline constexpr char kCheckDescriptor[] = "descriptor is well-formed";
inline constexpr char kCheckEmptyState[] = "empty state finalizes";
inline constexpr char kCheckChunking[] = "chunking does not change results";
inline constexpr char kCheckMerge[] = "merge is associative";
inline constexpr char kCheckExamples[] = "declared examples pass";

enum class CheckOutcome { kPass, kFail, kSkip };

struct CheckResult {
  std::string check;   // one of the kCheck* names
  std::string metric;  // empty for checks of the whole plugin
  CheckOutcome outcome = CheckOutcome::kPass;
  std::string detail;
};

struct ConformanceReport {
  std::vector<CheckResult> results;

  bool passed() const { return first_failure() == nullptr; }
  // nullptr when nothing failed.
  const CheckResult* first_failure() const;
  int count(CheckOutcome outcome) const;
};

// Runs every check on every metric of `library`.
ConformanceReport CheckConformance(
    const std::shared_ptr<const PluginLibrary>& library);

// OK, or FAILED_PRECONDITION naming the first failed check, e.g.
// "conformance check 'merge is associative' failed for metric 'm': ...".
absl::Status ConformanceStatus(const ConformanceReport& report);

// "PASS", "FAIL" or "SKIP".
const char* OutcomeName(CheckOutcome outcome);

}  // namespace kpi

#endif  // KPI_HOST_CONFORMANCE_H_
