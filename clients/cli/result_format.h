// The readable output of `kpi compute`.

#ifndef KPI_CLIENTS_CLI_RESULT_FORMAT_H_
#define KPI_CLIENTS_CLI_RESULT_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "kpi/v1/result.pb.h"

namespace kpi::cli {

// `result` as lines of text, each ending in a newline. A defined value
// comes first, then what backs it: for a rate the ratio it was made from, for
// a statistic the confidence interval and the sample size (the sample size
// also whenever no ratio shows it), then the warnings:
//
//   churn_rate = 5 %
//     ratio: 50 / 1000
//
//   nps = 30 score
//     95% interval: 14.69 .. 45.31 (margin ±15.31, SE 7.81)
//     sample size: 100
//     warning: only 12 responses (fewer than 30): the margin of error is wide
//
// An undefined value is one line with the reason, then any warnings:
//
//   churn_rate is undefined: customers_at_start is 0
//
// Then the result's tables, each as FormatResultTable writes it, indented by
// two spaces. Then, when the call had `group_by` columns (or the result has
// segments), one line per segment: its key, and its value and unit or why it
// is undefined; then the segment's warnings and tables, indented further:
//
//   segments by plan, region:
//     basic, eu: 4 %
//     pro, us: undefined: customers_at_start is 0
//       warning: ...
//
// The value and the ratio have up to 6 significant digits, the interval
// statistics up to 4 (they are estimates). `metric` names the result when
// the server left `result.metric` empty. Everything else the result holds is
// in the --json output.
std::string FormatResult(const kpi::v1::MetricResult& result,
                         absl::string_view metric,
                         absl::Span<const std::string> group_by = {});

// `table` as a title line `table NAME:` indented by `indent` spaces, then its
// columns aligned under a header of their names, indented by `indent` + 2:
//
//   table stages:
//     stage   entered  share  since
//     visit      1000    100  2024-01-01T00:00:00Z
//     signup      250     25  open
//
// Columns are two spaces apart. Numbers are right-aligned: doubles with up
// to 6 significant digits, int64s in full. Strings (as they are) and
// timestamps (RFC 3339 in UTC; the largest int64, an open end, as "open")
// are left-aligned. A table without rows says "(no rows)" under its header;
// one without columns "(no columns)". Lines have no trailing spaces.
std::string FormatResultTable(const kpi::v1::ResultTable& table, int indent);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_RESULT_FORMAT_H_
