// report.md: the report as Markdown tables, for chat and wikis. The same
// numbers as report.json: a summary of every KPI (latest period, change,
// target), then each KPI per period, its segments in the latest period and
// its tables, then the files and bad rows.

#ifndef KPI_CLIENTS_REPORT_MARKDOWN_REPORT_H_
#define KPI_CLIENTS_REPORT_MARKDOWN_REPORT_H_

#include <string>

#include "report_runner.h"

namespace kpi::report {

std::string MarkdownReport(const Report& report);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_MARKDOWN_REPORT_H_
