// The pieces report.html is built from, each a function of the report's
// numbers to HTML text: inline SVG charts with their captions in words.
// Every text that comes from data (titles, labels, segment names) is
// HTML-escaped here, so the page cannot be broken by what a CSV holds.

#ifndef KPI_CLIENTS_REPORT_HTML_CHARTS_H_
#define KPI_CLIENTS_REPORT_HTML_CHARTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "goal_progress.h"
#include "kpi/v1/result.pb.h"
#include "mrr_movements.h"
#include "report_runner.h"
#include "retention_curve.h"

namespace kpi::report {

// `text` with & < > " as character references: safe in element content
// and in double-quoted attributes.
std::string HtmlEscape(absl::string_view text);

// "5.2%", "40 score", "undefined".
std::string ValueText(const kpi::v1::MetricResult& result);

// The values over the periods as a line: gaps where a period is undefined,
// the target as a dashed line, and a partial period's point hollow, reached
// by a dashed segment and labelled "estimate"; then the periods and value
// range in words. Empty with fewer than two periods or no value.
std::string TrendSvg(const KpiResults& results);

// The goal as a bar filled to its progress, with start, current and target
// in words under it. `unit` is the results' unit.
std::string GoalBarSvg(const GoalProgress& goal, absl::string_view unit);

// The movements of each period as a bar: new, expansion and reactivation
// stacked up from a shared zero axis, contraction and churn down from it,
// on one scale, with each period's Quick Ratio under its bar. Empty when
// there is nothing to draw.
std::string MrrMovementsSvg(const std::vector<MrrMovements>& periods,
                            absl::string_view title);

// A funnel's "stages" table (docs/metrics.md, funnel) as a horizontal bar
// per stage, its length the stage's entrants on the first stage's scale,
// with the entrants and the overall and step conversion in words. Empty
// when the table lacks those columns or has no entrants.
std::string FunnelSvg(const kpi::v1::ResultTable& stages);

// A table of group sizes -- rfm's "segments" (segment, customers),
// health_score's "bands" (band, customers) -- as a horizontal bar per row,
// its length the row's customers on the largest one's scale, with the count
// and its share of the total. Bands, which come in ascending order of
// score, are coloured by BandColor. Empty when the table lacks a string
// column and a "customers" column, or counts nobody.
std::string GroupSizesSvg(const kpi::v1::ResultTable& groups);

// The colour of band `band` (0-based) of `bands` in ascending order of
// score, from red for the lowest through amber to green for the highest:
// "#d64545", "#e8a33d", "#3ebd5d" for three. REQUIRES: band < bands.
std::string BandColor(size_t band, size_t bands);

// A cohort_retention "cells" table (docs/metrics.md) as a heatmap: a row
// per cohort, a column per period since, a cell per table row shaded by its
// retention and labelled with it. Empty when the table lacks the columns.
std::string CohortHeatmapSvg(const kpi::v1::ResultTable& cells);

// The retention curve (retention_curve.h) as a line from period 0, each
// point's retention, cohorts and customers in its tooltip and the curve's
// ends in words. Empty with fewer than two points.
std::string RetentionCurveSvg(const std::vector<CurvePoint>& curve);

// The values over the periods with their confidence intervals (NPS): a
// whisker from lower to upper and the value as a point, hollow for a
// partial period; the level and the latest interval in words. Empty when
// fewer than two periods have an interval.
std::string IntervalTrendSvg(const KpiResults& results);

// A KPI's segments (group_by) over the periods, a line each in its own
// colour and named at the right; gaps where a segment is undefined, a hollow
// point for a partial period. Empty without segments or with one period.
std::string SegmentLinesSvg(const KpiResults& results);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_HTML_CHARTS_H_
