#include "html_report.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "number_format.h"
#include "targets.h"

namespace kpi::report {
namespace {

using kpi::cli::FormatNumber;

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
.axis{font-size:.7rem;color:#7b8794;margin-top:2px}
.badge{display:inline-block;font-size:.75rem;padding:1px 8px;border-radius:10px;
margin-top:6px}
.met{background:#e3f9e5;color:#1f7a32}.missed{background:#ffe3e3;color:#a61b1b}
.novalue{background:#eceff1;color:#52606d}
svg{display:block;width:100%;height:auto;margin-top:8px}
table{border-collapse:collapse;font-size:.85rem;margin-top:8px}
td,th{border-bottom:1px solid #d9e2ec;padding:4px 10px;text-align:left}
@media print{body{background:#fff;padding:0}.tile{border-color:#999}}
)css";

std::string Escape(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

std::string ValueText(const kpi::v1::MetricResult& result) {
  if (!result.has_value()) return "undefined";
  const std::string unit = result.unit() == "%" ? "%" : " " + result.unit();
  return absl::StrCat(FormatNumber(result.value(), 4),
                      result.unit().empty() ? "" : unit);
}

// "+0.51 points from 2025-11" for rates, "+7.7 % from 2025-11" otherwise.
std::string Change(const KpiResults& results) {
  if (results.periods.size() < 2) return "";
  const auto& latest = results.periods.back().result;
  const auto& before = results.periods[results.periods.size() - 2];
  if (!latest.has_value() || !before.result.has_value()) return "";
  const double d = latest.value() - before.result.value();
  const char* arrow = d > 0 ? "\u25B2" : d < 0 ? "\u25BC" : "\u25B6";
  std::string amount;
  if (latest.unit() == "%" || latest.unit() == "score") {
    amount = absl::StrCat(d > 0 ? "+" : "", FormatNumber(d, 3), " points");
  } else if (before.result.value() != 0) {
    amount =
        absl::StrCat(d > 0 ? "+" : "",
                     FormatNumber(100 * d / before.result.value(), 3), " %");
  } else {
    amount = absl::StrCat(d > 0 ? "+" : "", FormatNumber(d, 3));
  }
  return absl::StrCat(arrow, " ", amount, " from ", before.period.label);
}

// The values over the periods as a line: gaps where a period is undefined,
// the target as a dashed line, a hollow point for a partial period.
std::string Trend(const KpiResults& results) {
  constexpr double kWidth = 260, kHeight = 80, kPad = 6;
  std::vector<std::optional<double>> values;
  double low = 0, high = 0;
  bool any = false;
  for (const KpiPeriodResult& r : results.periods) {
    if (!r.result.has_value()) {
      values.push_back(std::nullopt);
      continue;
    }
    const double v = r.result.value();
    values.push_back(v);
    low = any ? std::min(low, v) : v;
    high = any ? std::max(high, v) : v;
    any = true;
  }
  if (!any || values.size() < 2) return "";
  const std::optional<Target>& target = results.kpi->target;
  if (target) {
    low = std::min(low, target->value);
    high = std::max(high, target->value);
  }
  if (high == low) {
    high += 1;
    low -= 1;
  }
  auto x = [&](size_t i) {
    return kPad + (kWidth - 2 * kPad) * i / (values.size() - 1);
  };
  auto y = [&](double v) {
    return kPad + (kHeight - 2 * kPad) * (high - v) / (high - low);
  };
  std::string svg = absl::StrFormat(
      "<svg viewBox=\"0 0 %g %g\" role=\"img\" aria-label=\"%s by period\">",
      kWidth, kHeight, Escape(results.kpi->title));
  if (target) {
    absl::StrAppendFormat(&svg,
                          "<line x1=\"0\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#9aa5b1\" stroke-dasharray=\"4 3\"/>",
                          kWidth, y(target->value), y(target->value));
  }
  std::string points;
  auto flush = [&] {
    if (points.empty()) return;
    absl::StrAppend(&svg,
                    "<polyline fill=\"none\" stroke=\"#2f6fde\" "
                    "stroke-width=\"2\" points=\"",
                    points, "\"/>");
    points.clear();
  };
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) {
      flush();
      continue;
    }
    absl::StrAppendFormat(&points, "%s%.1f,%.1f", points.empty() ? "" : " ",
                          x(i), y(*values[i]));
  }
  flush();
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    const bool partial = results.periods[i].period.partial;
    absl::StrAppendFormat(
        &svg,
        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" "
        "stroke=\"#2f6fde\"><title>%s: %s%s</title></circle>",
        x(i), y(*values[i]), partial ? "#fff" : "#2f6fde",
        Escape(results.periods[i].period.label),
        Escape(ValueText(results.periods[i].result)),
        partial ? " (partial period: an estimate)" : "");
  }
  absl::StrAppend(&svg, "</svg>");
  // The axes, in words: which periods, and the range of the values.
  const std::string unit =
      results.periods.back().result.unit() == "%" ? " %" : "";
  absl::StrAppend(&svg, "<div class=\"axis\">",
                  Escape(results.periods.front().period.label), " to ",
                  Escape(results.periods.back().period.label), "; ",
                  FormatNumber(low, 4), " to ", FormatNumber(high, 4),
                  Escape(unit), target ? ", dashed: target" : "", "</div>");
  return svg;
}

std::string Tile(const KpiResults& results) {
  const KpiSpec& kpi = *results.kpi;
  if (results.periods.empty()) return "";
  const KpiPeriodResult& latest = results.periods.back();
  std::string html =
      absl::StrCat("<section class=\"tile\" id=\"kpi-", Escape(kpi.id),
                   "\"><h2>", Escape(kpi.title), "</h2><div class=\"value\">",
                   Escape(ValueText(latest.result)), "</div>");
  absl::StrAppend(&html, "<div class=\"period\">", Escape(latest.period.label),
                  latest.period.partial ? " (partial: an estimate)" : "",
                  "</div>");
  if (!latest.result.has_value()) {
    absl::StrAppend(&html, "<div class=\"change\">",
                    Escape(latest.result.undefined_reason()), "</div>");
  }
  if (const std::string change = Change(results); !change.empty()) {
    absl::StrAppend(&html, "<div class=\"change\">", Escape(change), "</div>");
  }
  if (kpi.target) {
    const TargetStatus status = Evaluate(kpi.target, latest.result);
    const char* css = status == TargetStatus::kMet      ? "met"
                      : status == TargetStatus::kMissed ? "missed"
                                                        : "novalue";
    absl::StrAppend(&html, "<span class=\"badge ", css, "\">",
                    Escape(TargetStatusName(status)), ": target ",
                    Escape(DescribeTarget(*kpi.target, latest.result.unit())),
                    "</span>");
  }
  absl::StrAppend(&html, Trend(results), "</section>\n");
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
      &html, "<p class=\"meta\">Data ", Escape(report.data_dir), ", window ",
      Escape(kpi::cli::FormatTimestamp(report.window.start)), " to ",
      Escape(kpi::cli::FormatTimestamp(report.window.end)), "; ",
      Escape(report.spec_origin), "; server ", Escape(report.server), ". ",
      report.rows, " rows read, ", report.bad_rows.total_rows(),
      " bad rows left out. Every KPI was computed.</p>\n<div class=\"tiles\">");
  for (const KpiResults& results : report.kpis) {
    absl::StrAppend(&html, Tile(results));
  }
  absl::StrAppend(&html,
                  "</div>\n<h2>Data</h2><table><tr><th>file</th><th>rows</th>"
                  "<th>bad rows</th></tr>");
  for (const FileStats& file : report.files) {
    absl::StrAppend(&html, "<tr><td>", Escape(file.path), "</td><td>",
                    file.rows, "</td><td>", file.bad_rows, "</td></tr>");
  }
  absl::StrAppend(&html, "</table>");
  if (!report.bad_rows.by_reason().empty()) {
    absl::StrAppend(&html,
                    "<table><tr><th>file</th><th>bad fields</th><th>reason"
                    "</th></tr>");
    for (const auto& [key, count] : report.bad_rows.by_reason()) {
      absl::StrAppend(&html, "<tr><td>", Escape(key.first), "</td><td>", count,
                      "</td><td>", Escape(key.second), "</td></tr>");
    }
    absl::StrAppend(&html,
                    "</table><p class=\"meta\">Each bad field, with its line "
                    "and column, is in report.json and report.md.</p>");
  }
  absl::StrAppend(&html, "</main></body></html>\n");
  return html;
}

}  // namespace kpi::report
