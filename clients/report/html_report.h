// report.html: the report as one self-contained page — no network, no
// scripts, no external fonts or images — that works offline and prints.
// This first version holds a tile per KPI (latest value, change from the
// period before, target status) with its trend over the periods as an inline
// SVG line, and the data and bad-row summary. The richer views of issue 13
// (noise tests, goals, MRR movements, funnel, cohorts) are still to come.

#ifndef KPI_CLIENTS_REPORT_HTML_REPORT_H_
#define KPI_CLIENTS_REPORT_HTML_REPORT_H_

#include <string>

#include "report_runner.h"

namespace kpi::report {

std::string HtmlReport(const Report& report);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_HTML_REPORT_H_
