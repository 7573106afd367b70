// The readable output of `kpi compute`.

#ifndef KPI_CLIENTS_CLI_RESULT_FORMAT_H_
#define KPI_CLIENTS_CLI_RESULT_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
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
// The value and the ratio have up to 6 significant digits, the interval
// statistics up to 4 (they are estimates). `metric` names the result when
// the server left `result.metric` empty. Everything else the result holds is
// in the --json output.
std::string FormatResult(const kpi::v1::MetricResult& result,
                         absl::string_view metric);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_RESULT_FORMAT_H_
