// What every metric result must satisfy, whatever the metric and its data:
// the promises of the result sink (kpi/plugin_abi.h) and of the API
// (proto/kpi/v1/metric_service.proto) that no single expected number shows.
#ifndef KPI_TESTS_CATALOG_RESULT_INVARIANTS_H_
#define KPI_TESTS_CATALOG_RESULT_INVARIANTS_H_

#include "kpi/v1/metric_service.pb.h"

namespace kpi::testing {

// Checks `result`, and each of its segments' results, with gtest
// expectations:
//   - exactly one of a finite value and a non-empty undefined reason;
//   - a rate in "%" with a ratio is 100 x numerator / denominator;
//   - a confidence interval holds the value, with a margin and standard
//     error >= 0 and a confidence level in (0, 1);
//   - the sample size is >= 0;
//   - every column of a table has the table's number of rows.
void ExpectResultInvariants(const v1::MetricResult& result);

}  // namespace kpi::testing

#endif  // KPI_TESTS_CATALOG_RESULT_INVARIANTS_H_
