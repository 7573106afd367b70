#include "html_report.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "at_risk.h"
#include "goal_progress.h"
#include "html_charts.h"
#include "kpi_change.h"
#include "mrr_movements.h"
#include "number_format.h"
#include "retention_curve.h"
#include "targets.h"

namespace kpi::report {
namespace {

// The page's only styling, inline. System fonts: nothing is fetched.
constexpr char kStyle[] = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
padding:24px;color:#1f2933;background:#f7f8fa}
main{max-width:1200px;margin:0 auto}
h1{font-size:1.5rem;margin:0 0 4px}
.meta{color:#52606d;font-size:.85rem;margin:0 0 20px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:14px}
.tile{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:14px;
break-inside:avoid;min-width:0}
.tile h2{font-size:.9rem;font-weight:600;margin:0 0 6px;color:#334e68}
.value{font-size:1.6rem;font-weight:700}
.period,.change{font-size:.8rem;color:#52606d}
.beyond_noise{color:#1f2933;font-weight:600}
.axis{font-size:.7rem;color:#7b8794;margin-top:2px}
.badge{display:inline-block;font-size:.75rem;padding:1px 8px;border-radius:10px;
margin-top:6px}
.met{background:#e3f9e5;color:#1f7a32}.missed{background:#ffe3e3;color:#a61b1b}
.novalue{background:#eceff1;color:#52606d}
svg{display:block;width:100%;height:auto;margin-top:8px}
table{border-collapse:collapse;font-size:.85rem;margin-top:8px}
td,th{border-bottom:1px solid #d9e2ec;padding:4px 10px;text-align:left}
svg.goal{margin-top:6px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;
margin-right:6px}
.chart{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:14px;
margin-top:14px;break-inside:avoid}
.chart h2{font-size:1rem;margin:0 0 6px;color:#334e68}
@media print{body{background:#fff;padding:0}.tile{border-color:#999}
.tiles{grid-template-columns:repeat(2,1fr)}}
)css";

// "2025-11 to 2025-12: down 0.4 points, within noise", styled by verdict.
std::string ChangeLine(const KpiResults& results) {
  const std::optional<KpiChange> change = AssessChange(results);
  if (!change) return "";
  return absl::StrCat("<div class=\"change ", NoiseVerdictName(change->verdict),
                      "\">", HtmlEscape(change->from), " to ",
                      HtmlEscape(change->to), ": ",
                      HtmlEscape(DescribeChange(*change)), "</div>");
}

std::string Tile(const KpiResults& results) {
  const KpiSpec& kpi = *results.kpi;
  if (results.periods.empty()) return "";
  const KpiPeriodResult& latest = results.periods.back();
  std::string html = absl::StrCat(
      "<section class=\"tile\" id=\"kpi-", HtmlEscape(kpi.id), "\"><h2>",
      HtmlEscape(kpi.title), "</h2><div class=\"value\">",
      HtmlEscape(ValueText(latest.result)), "</div>");
  absl::StrAppend(
      &html, "<div class=\"period\">", HtmlEscape(latest.period.label),
      latest.period.partial ? " (partial: an estimate)" : "", "</div>");
  if (!latest.result.has_value()) {
    absl::StrAppend(&html, "<div class=\"change\">",
                    HtmlEscape(latest.result.undefined_reason()), "</div>");
  }
  absl::StrAppend(&html, ChangeLine(results));
  if (kpi.target) {
    const TargetStatus status = Evaluate(kpi.target, latest.result);
    const char* css = status == TargetStatus::kMet      ? "met"
                      : status == TargetStatus::kMissed ? "missed"
                                                        : "novalue";
    absl::StrAppend(
        &html, "<span class=\"badge ", css, "\">",
        HtmlEscape(TargetStatusName(status)), ": target ",
        HtmlEscape(DescribeTarget(*kpi.target, latest.result.unit())),
        "</span>");
  }
  if (const std::optional<GoalProgress> goal = ProgressTowardTarget(results)) {
    absl::StrAppend(&html, GoalBarSvg(*goal, latest.result.unit()));
  }
  absl::StrAppend(&html, TrendSvg(results), "</section>\n");
  return html;
}

// A KPI whose periods carry MRR movements, as stacked bars across the page.
std::string MovementsSection(const KpiResults& results) {
  std::vector<MrrMovements> periods;
  for (const KpiPeriodResult& r : results.periods) {
    if (std::optional<MrrMovements> m = MovementsOf(r)) periods.push_back(*m);
  }
  const std::string svg = MrrMovementsSvg(periods, results.kpi->title);
  if (svg.empty()) return "";
  return absl::StrCat("<section class=\"chart\" id=\"movements-",
                      HtmlEscape(results.kpi->id), "\"><h2>",
                      HtmlEscape(results.kpi->title), " and Quick Ratio</h2>",
                      svg, "</section>\n");
}

// The chart of a KPI's latest period drawn from one of its tables (the
// funnel's "stages", cohort retention's "cells"), when it has that table.
// `what` names what the chart shows, when the title does not say it; a KPI
// without a period is over the whole window, which goes without saying.
std::string TableSection(const KpiResults& results,
                         absl::string_view table_name, absl::string_view kind,
                         absl::string_view what,
                         std::string (*draw)(const kpi::v1::ResultTable&)) {
  if (results.periods.empty()) return "";
  const KpiPeriodResult& latest = results.periods.back();
  for (const kpi::v1::ResultTable& table : latest.result.tables()) {
    if (table.name() != table_name) continue;
    const std::string svg = draw(table);
    if (svg.empty()) return "";
    std::string heading = HtmlEscape(results.kpi->title);
    if (!what.empty()) absl::StrAppend(&heading, ": ", what);
    if (results.kpi->period) {
      absl::StrAppend(&heading, ", ", HtmlEscape(latest.period.label),
                      latest.period.partial ? " (partial: an estimate)" : "");
    }
    return absl::StrCat("<section class=\"chart\" id=\"", kind, "-",
                        HtmlEscape(results.kpi->id), "\"><h2>", heading,
                        "</h2>", svg, "</section>\n");
  }
  return "";
}

// A KPI's segments as lines, when it has group_by.
std::string SegmentSection(const KpiResults& results) {
  const std::string svg = SegmentLinesSvg(results);
  if (svg.empty()) return "";
  return absl::StrCat("<section class=\"chart\" id=\"segments-",
                      HtmlEscape(results.kpi->id), "\"><h2>",
                      HtmlEscape(results.kpi->title), " by ",
                      HtmlEscape(absl::StrJoin(results.kpi->group_by, ", ")),
                      "</h2>", svg, "</section>\n");
}

// A KPI whose results carry confidence intervals (NPS), with them.
std::string IntervalSection(const KpiResults& results) {
  const std::string svg = IntervalTrendSvg(results);
  if (svg.empty()) return "";
  return absl::StrCat(
      "<section class=\"chart\" id=\"interval-", HtmlEscape(results.kpi->id),
      "\"><h2>", HtmlEscape(results.kpi->title),
      " with its confidence interval</h2>", svg, "</section>\n");
}

// The retention curve of a KPI whose latest result is a cohort table.
std::string CurveSection(const KpiResults& results) {
  if (results.periods.empty()) return "";
  const std::string svg =
      RetentionCurveSvg(RetentionCurveOf(results.periods.back().result));
  if (svg.empty()) return "";
  return absl::StrCat("<section class=\"chart\" id=\"curve-",
                      HtmlEscape(results.kpi->id), "\"><h2>",
                      HtmlEscape(results.kpi->title), ": retention curve</h2>",
                      svg, "</section>\n");
}

// A KPI's customers most at risk (at_risk.h) as a table, lowest score
// first, each with the signal values of their rows and their band in its
// colour (the bands table gives the bands' order).
std::string AtRiskSection(const Report& report, const KpiResults& results) {
  const KpiSpec& kpi = *results.kpi;
  if (kpi.at_risk == 0 || results.periods.empty()) return "";
  const KpiPeriodResult& latest = results.periods.back();
  const std::vector<AtRiskCustomer>& customers = latest.at_risk;
  std::string path = kpi.file;
  for (const FileStats& file : report.files) {
    if (file.name == kpi.file) path = file.path;
  }
  std::vector<std::string> bands;
  for (const kpi::v1::ResultTable& table : latest.result.tables()) {
    if (table.name() != "bands") continue;
    for (const kpi::v1::Column& column : table.columns()) {
      if (column.name() != "band" || !column.has_strings()) continue;
      bands.assign(column.strings().values().begin(),
                   column.strings().values().end());
    }
  }
  std::string html = absl::StrCat(
      "<section class=\"chart\" id=\"at-risk-", HtmlEscape(kpi.id), "\"><h2>",
      HtmlEscape(kpi.title), ": the ", customers.size(),
      customers.size() == 1 ? " customer" : " customers", " most at risk</h2>");
  if (customers.empty()) {
    return absl::StrCat(html,
                        "<p class=\"period\">No customer was scored, so none "
                        "is at risk.</p></section>\n");
  }
  const std::vector<std::string> signals =
      SignalColumns(DeclaredSignals(kpi), customers);
  absl::StrAppend(&html,
                  "<table class=\"at-risk\"><tr><th>customer</th><th "
                  "class=\"num\">score</th><th>band</th>");
  for (const std::string& signal : signals) {
    absl::StrAppend(&html, "<th class=\"num\">", HtmlEscape(signal), "</th>");
  }
  absl::StrAppend(&html, "</tr>");
  for (const AtRiskCustomer& c : customers) {
    std::string swatch;
    for (size_t b = 0; b < bands.size(); ++b) {
      if (bands[b] != c.band) continue;
      swatch = absl::StrCat("<span class=\"swatch\" style=\"background:",
                            BandColor(b, bands.size()), "\"></span>");
    }
    absl::StrAppend(&html, "<tr><td>", HtmlEscape(c.customer),
                    "</td><td class=\"num\">",
                    kpi::cli::FormatNumber(c.score, 4), "</td><td>", swatch,
                    HtmlEscape(c.band), "</td>");
    for (const std::string& signal : signals) {
      const auto it =
          std::find_if(c.signals.begin(), c.signals.end(),
                       [&](const AtRiskSignal& s) { return s.name == signal; });
      absl::StrAppend(
          &html, "<td class=\"num\">",
          it == c.signals.end() ? "—" : kpi::cli::FormatNumber(it->value),
          "</td>");
    }
    absl::StrAppend(&html, "</tr>");
  }
  absl::StrAppend(&html, "</table><div class=\"axis\">The lowest scores of ",
                  kpi::cli::FormatNumber(latest.result.sample_size()),
                  " customers scored (equal scores by customer id); each "
                  "signal as ",
                  HtmlEscape(path),
                  " has it, — where the customer has no row (left out of "
                  "their score).");
  const auto signals_parameter = kpi.parameters.find("signals");
  if (signals_parameter != kpi.parameters.end() &&
      signals_parameter->second.has_string_value()) {
    absl::StrAppend(&html,
                    " Weights, which values are better and the range scored "
                    "0 to 100 (name:weight:direction:min:max): ",
                    HtmlEscape(signals_parameter->second.string_value()), ".");
  }
  absl::StrAppend(&html, "</div></section>\n");
  return html;
}

}  // namespace

std::string HtmlReport(const Report& report) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\"><title>KPI report</title><style>",
      kStyle, "</style></head>\n<body><main><h1>KPI report</h1>");
  absl::StrAppend(
      &html, "<p class=\"meta\">Data ", HtmlEscape(report.data_dir),
      ", window ", HtmlEscape(kpi::cli::FormatTimestamp(report.window.start)),
      " to ", HtmlEscape(kpi::cli::FormatTimestamp(report.window.end)), "; ",
      HtmlEscape(report.spec_origin), "; server ", HtmlEscape(report.server),
      ". ", report.rows, " rows read, ", report.bad_rows.total_rows(),
      " bad rows left out. Every KPI was computed.</p>\n<div class=\"tiles\">");
  for (const KpiResults& results : report.kpis) {
    absl::StrAppend(&html, Tile(results));
  }
  absl::StrAppend(&html, "</div>\n");
  for (const KpiResults& results : report.kpis) {
    absl::StrAppend(
        &html, SegmentSection(results), MovementsSection(results),
        TableSection(results, "stages", "funnel", "", FunnelSvg),
        TableSection(results, "cells", "cohorts", "", CohortHeatmapSvg),
        CurveSection(results), IntervalSection(results),
        TableSection(results, "segments", "groups", "customers per segment",
                     GroupSizesSvg),
        TableSection(results, "bands", "groups", "customers per band",
                     GroupSizesSvg),
        AtRiskSection(report, results));
  }
  absl::StrAppend(&html,
                  "<h2>Data</h2><table><tr><th>file</th><th>rows</th>"
                  "<th>bad rows</th></tr>");
  for (const FileStats& file : report.files) {
    absl::StrAppend(&html, "<tr><td>", HtmlEscape(file.path), "</td><td>",
                    file.rows, "</td><td>", file.bad_rows, "</td></tr>");
  }
  absl::StrAppend(&html, "</table>");
  if (!report.bad_rows.by_reason().empty()) {
    absl::StrAppend(&html,
                    "<table><tr><th>file</th><th>bad fields</th><th>reason"
                    "</th></tr>");
    for (const auto& [key, count] : report.bad_rows.by_reason()) {
      absl::StrAppend(&html, "<tr><td>", HtmlEscape(key.first), "</td><td>",
                      count, "</td><td>", HtmlEscape(key.second), "</td></tr>");
    }
    absl::StrAppend(&html,
                    "</table><p class=\"meta\">Each bad field, with its line "
                    "and column, is in report.json and report.md.</p>");
  }
  absl::StrAppend(&html, "</main></body></html>\n");
  return html;
}

}  // namespace kpi::report
