// report.html: the report as one self-contained page — no network, no
// scripts, no external fonts or images — that works offline and prints.
// It holds a tile per KPI: the latest value; the change between the last two
// complete periods with whether it is beyond noise (kpi_change.h); the
// target status and, for a KPI with a target, a goal progress bar; and the
// trend over the periods as an inline SVG line, a partial period marked as an
// estimate. Then, across the page, segment breakdowns (group_by), MRR
// movements stacked with the Quick Ratio, the funnel as bars and the cohort
// retention heatmap (the charts are in html_charts.h), and the data and
// bad-row summary.

#ifndef KPI_CLIENTS_REPORT_HTML_REPORT_H_
#define KPI_CLIENTS_REPORT_HTML_REPORT_H_

#include <string>

#include "report_runner.h"

namespace kpi::report {

std::string HtmlReport(const Report& report);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_HTML_REPORT_H_
