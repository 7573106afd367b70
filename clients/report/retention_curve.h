// The retention curve of a cohort_retention result: for each period k since
// a cohort's start, the share of customers active k periods later over
// every cohort whose period k is observable, weighted by cohort size:
//   retention(k) = sum active(c, k) / sum size(c) x 100.
// Weighted, not a mean of cohort percentages, for the reason the metric's
// headline is (docs/metrics.md, cohort_retention): a cohort of 2 customers
// does not weigh as much as one of 2,000. Recent cohorts reach only the
// first periods, so the late points rest on the oldest cohorts alone; each
// point carries the cohorts and customers it rests on.

#ifndef KPI_CLIENTS_REPORT_RETENTION_CURVE_H_
#define KPI_CLIENTS_REPORT_RETENTION_CURVE_H_

#include <cstdint>
#include <vector>

#include "kpi/v1/result.pb.h"

namespace kpi::report {

struct CurvePoint {
  int64_t period = 0;  // k
  int64_t cohorts = 0;
  int64_t size = 0;    // customers of those cohorts
  int64_t active = 0;  // of them, active in period k
  double retention() const { return size == 0 ? 0 : 100.0 * active / size; }
};

// The curve of a "cells" table (cohort, period, size, active), k ascending;
// empty when the table lacks those columns.
std::vector<CurvePoint> RetentionCurve(const kpi::v1::ResultTable& cells);

// The curve of the first "cells" table of `result`; empty without one.
std::vector<CurvePoint> RetentionCurveOf(const kpi::v1::MetricResult& result);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_RETENTION_CURVE_H_
