// report.json: every KPI per period and segment, for machines. Each result
// is the server's kpi.v1.MetricResult in the proto3 JSON mapping (value or
// undefined_reason, unit, ratio, interval, sample_size, warnings, tables,
// segments), with the target status beside it; then the files read and the
// bad rows. docs/reports.md describes the layout.

#ifndef KPI_CLIENTS_REPORT_JSON_REPORT_H_
#define KPI_CLIENTS_REPORT_JSON_REPORT_H_

#include <string>

#include "report_runner.h"

namespace kpi::report {

// The version of report.json's layout; fields are only ever added.
inline constexpr int kJsonFormatVersion = 1;

std::string JsonReport(const Report& report);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_JSON_REPORT_H_
