#include "html_charts.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "mrr_movements.h"
#include "number_format.h"

namespace kpi::report {

using kpi::cli::FormatNumber;

std::string HtmlEscape(absl::string_view text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}});
}

std::string ValueText(const kpi::v1::MetricResult& result) {
  if (!result.has_value()) return "undefined";
  const std::string unit = result.unit() == "%" ? "%" : " " + result.unit();
  return absl::StrCat(FormatNumber(result.value(), 4),
                      result.unit().empty() ? "" : unit);
}

// The values over the periods as a line: gaps where a period is undefined,
// the target as a dashed line, a hollow point for a partial period.
std::string TrendSvg(const KpiResults& results) {
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
      kWidth, kHeight, HtmlEscape(results.kpi->title));
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
  auto partial = [&](size_t i) { return results.periods[i].period.partial; };
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i] || partial(i)) {
      flush();
      continue;
    }
    absl::StrAppendFormat(&points, "%s%.1f,%.1f", points.empty() ? "" : " ",
                          x(i), y(*values[i]));
  }
  flush();
  // A partial period's value is an estimate, so the line reaches it dashed
  // and the point says so in words, not only by its style.
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i] || !partial(i)) continue;
    // At i = 0, i - 1 wraps past the end and is skipped like it.
    for (const size_t j : {i - 1, i + 1}) {
      if (j >= values.size() || !values[j]) continue;
      absl::StrAppendFormat(&svg,
                            "<line class=\"estimate\" x1=\"%.1f\" "
                            "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                            "stroke=\"#2f6fde\" stroke-width=\"2\" "
                            "stroke-dasharray=\"3 3\"/>",
                            x(j), y(*values[j]), x(i), y(*values[i]));
    }
    // At the ends the label sits beside the point, so it stays in the box.
    const bool last = i + 1 == values.size();
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" fill=\"#52606d\" "
        "text-anchor=\"%s\">estimate</text>",
        x(i) + (last     ? -4
                : i == 0 ? 4
                         : 0),
        std::max(9.0, y(*values[i]) - 5),
        last     ? "end"
        : i == 0 ? "start"
                 : "middle");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    absl::StrAppendFormat(
        &svg,
        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" "
        "stroke=\"#2f6fde\"><title>%s: %s%s</title></circle>",
        x(i), y(*values[i]), partial(i) ? "#fff" : "#2f6fde",
        HtmlEscape(results.periods[i].period.label),
        HtmlEscape(ValueText(results.periods[i].result)),
        partial(i) ? " (partial period: an estimate)" : "");
  }
  absl::StrAppend(&svg, "</svg>");
  // The axes, in words: which periods, and the range of the values.
  const std::string unit =
      results.periods.back().result.unit() == "%" ? " %" : "";
  absl::StrAppend(&svg, "<div class=\"axis\">",
                  HtmlEscape(results.periods.front().period.label), " to ",
                  HtmlEscape(results.periods.back().period.label), "; ",
                  FormatNumber(low, 4), " to ", FormatNumber(high, 4),
                  HtmlEscape(unit), target ? ", dashed: target" : "",
                  results.periods.back().period.partial
                      ? ", hollow: partial period (an estimate)"
                      : "",
                  "</div>");
  return svg;
}

std::string GoalBarSvg(const GoalProgress& goal, absl::string_view unit) {
  constexpr double kWidth = 260, kHeight = 22, kBar = 10;
  const double filled = kWidth * goal.percent / 100;
  std::string svg = absl::StrFormat(
      "<svg class=\"goal\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"%s%% of the way to target\">"
      "<rect x=\"0\" y=\"0\" width=\"%g\" height=\"%g\" rx=\"3\" "
      "fill=\"#e4e7eb\"/>"
      "<rect class=\"progress\" x=\"0\" y=\"0\" width=\"%.1f\" "
      "height=\"%g\" rx=\"3\" fill=\"%s\"/></svg>",
      kWidth, kHeight, FormatNumber(goal.percent, 3), kWidth, kBar, filled,
      kBar, goal.percent >= 100 ? "#3ebd5d" : "#2f6fde");
  const std::string suffix = unit == "%" ? " %" : "";
  absl::StrAppend(&svg, "<div class=\"axis\">start ",
                  FormatNumber(goal.start, 4), HtmlEscape(suffix), " (",
                  HtmlEscape(goal.start_period), "), now ",
                  FormatNumber(goal.current, 4), HtmlEscape(suffix), " (",
                  HtmlEscape(goal.current_period),
                  goal.current_partial ? ", an estimate" : "", "), target ",
                  FormatNumber(goal.target, 4), HtmlEscape(suffix), ": ",
                  FormatNumber(goal.percent, 3), "% of the way</div>");
  return svg;
}

std::string MrrMovementsSvg(const std::vector<MrrMovements>& periods,
                            absl::string_view title) {
  constexpr double kWidth = 1100, kTop = 10, kPlot = 180, kPad = 10;
  double max_gain = 0, max_loss = 0;
  for (const MrrMovements& m : periods) {
    max_gain = std::max(max_gain, m.gains());
    max_loss = std::max(max_loss, m.losses());
  }
  if (periods.empty() || max_gain + max_loss <= 0) return "";
  const double unit = kPlot / (max_gain + max_loss);
  const double axis = kTop + max_gain * unit;
  const double slot = (kWidth - 2 * kPad) / periods.size();
  std::string svg = absl::StrFormat(
      "<svg class=\"wide\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"%s: gains above the axis, losses below\">",
      kWidth, kTop + kPlot + 40, HtmlEscape(title));
  struct Part {
    const char* name;
    double MrrMovements::*amount;
    const char* color;
  };
  // Gains stack up from the axis, losses down from it, in this order.
  static constexpr Part kGains[] = {
      {"new", &MrrMovements::new_mrr, "#2f6fde"},
      {"expansion", &MrrMovements::expansion, "#3ebd5d"},
      {"reactivation", &MrrMovements::reactivation, "#9ad0a6"}};
  static constexpr Part kLosses[] = {
      {"contraction", &MrrMovements::contraction, "#f0a35e"},
      {"churn", &MrrMovements::churn, "#d64545"}};
  for (size_t i = 0; i < periods.size(); ++i) {
    const MrrMovements& m = periods[i];
    const double x = kPad + slot * i + slot * 0.2, width = slot * 0.6;
    auto bar = [&](const Part& part, double y, double height) {
      absl::StrAppendFormat(
          &svg,
          "<rect class=\"mv-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
          "height=\"%.1f\" fill=\"%s\"%s><title>%s %s: %s</title></rect>",
          part.name, x, y, width, height, part.color,
          m.partial ? " fill-opacity=\"0.5\"" : "", HtmlEscape(m.period),
          part.name, FormatNumber(m.*part.amount, 6));
    };
    double y = axis;
    for (const Part& part : kGains) {
      const double height = m.*part.amount * unit;
      y -= height;
      bar(part, y, height);
    }
    y = axis;
    for (const Part& part : kLosses) {
      const double height = m.*part.amount * unit;
      bar(part, y, height);
      y += height;
    }
    const std::optional<double> quick_ratio = m.quick_ratio();
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%.1f\" y=\"%g\" font-size=\"11\" "
        "text-anchor=\"middle\">%s%s</text>"
        "<text class=\"quick-ratio\" x=\"%.1f\" y=\"%g\" font-size=\"11\" "
        "text-anchor=\"middle\" fill=\"#52606d\">QR %s</text>",
        x + width / 2, kTop + kPlot + 16, HtmlEscape(m.period),
        m.partial ? " (est.)" : "", x + width / 2, kTop + kPlot + 32,
        quick_ratio ? FormatNumber(*quick_ratio, 3) : "undefined");
  }
  absl::StrAppendFormat(&svg,
                        "<line x1=\"0\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" "
                        "stroke=\"#1f2933\"/></svg>",
                        kWidth, axis, axis);
  absl::StrAppend(
      &svg,
      "<div class=\"axis\">Above the axis: new, expansion, reactivation; "
      "below: contraction, churn (bottom). QR: Quick Ratio = (new + expansion "
      "+ reactivation) / (contraction + churn), undefined when nothing was "
      "lost. Largest gain ",
      FormatNumber(max_gain, 6), ", largest loss ", FormatNumber(max_loss, 6),
      "; an estimate (partial period) is paler.</div>");
  return svg;
}

namespace {

const kpi::v1::Column* FindColumn(const kpi::v1::ResultTable& table,
                                  absl::string_view name) {
  for (const kpi::v1::Column& column : table.columns()) {
    if (column.name() == name) return &column;
  }
  return nullptr;
}

// One horizontal bar: its label, its length's value, the text after it and
// its colour.
struct Bar {
  std::string label;
  double value;
  std::string caption;
  std::string color = "#2f6fde";
};

// Horizontal bars, a row of `row` px each, `bar` px for the largest value,
// labels right-aligned in the `label` px before them. The svg element is
// left open for the caller to close.
std::string OpenBarsSvg(absl::string_view css_class, absl::string_view aria,
                        double label, double bar, double row,
                        const std::vector<Bar>& bars) {
  constexpr double kWidth = 1100;
  double most = 0;
  for (const Bar& b : bars) most = std::max(most, b.value);
  std::string svg = absl::StrFormat(
      "<svg class=\"wide\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"%s\">",
      kWidth, row * static_cast<double>(bars.size()), aria);
  for (size_t i = 0; i < bars.size(); ++i) {
    const double y = row * static_cast<double>(i) + 3;
    const double width = bar * bars[i].value / most;
    const double text_y = y + row / 2 + 1;
    absl::StrAppendFormat(
        &svg,
        "<text x=\"%g\" y=\"%g\" font-size=\"12\" text-anchor=\"end\">%s"
        "</text><rect class=\"%s\" x=\"%g\" y=\"%g\" width=\"%.1f\" "
        "height=\"%g\" fill=\"%s\"/><text x=\"%.1f\" y=\"%g\" "
        "font-size=\"12\">%s</text>",
        label - 8, text_y, HtmlEscape(bars[i].label), css_class, label, y,
        width, row - 6, bars[i].color, label + width + 6, text_y,
        bars[i].caption);
  }
  return svg;
}

}  // namespace

std::string FunnelSvg(const kpi::v1::ResultTable& stages) {
  const kpi::v1::Column* names = FindColumn(stages, "stage");
  const kpi::v1::Column* entrants = FindColumn(stages, "entrants");
  const kpi::v1::Column* step = FindColumn(stages, "step_conversion");
  const kpi::v1::Column* overall = FindColumn(stages, "overall_conversion");
  if (names == nullptr || entrants == nullptr || step == nullptr ||
      overall == nullptr || !names->has_strings() || !entrants->has_int64s() ||
      !step->has_doubles() || !overall->has_doubles()) {
    return "";
  }
  const int rows = std::min(
      {names->strings().values_size(), entrants->int64s().values_size(),
       step->doubles().values_size(), overall->doubles().values_size()});
  std::vector<Bar> bars;
  for (int i = 0; i < rows; ++i) {
    const int64_t n = entrants->int64s().values(i);
    bars.push_back(
        {names->strings().values(i), static_cast<double>(n),
         absl::StrFormat("%d: %s%% overall, %s%% of the step before", n,
                         FormatNumber(overall->doubles().values(i), 3),
                         FormatNumber(step->doubles().values(i), 3))});
  }
  if (std::none_of(bars.begin(), bars.end(),
                   [](const Bar& b) { return b.value > 0; })) {
    return "";
  }
  return OpenBarsSvg("stage", "funnel: entrants per stage", 160, 560, 26,
                     bars) +
         "</svg>";
}

std::string GroupSizesSvg(const kpi::v1::ResultTable& groups) {
  const kpi::v1::Column* names = nullptr;
  for (const kpi::v1::Column& column : groups.columns()) {
    if (column.has_strings()) {
      names = &column;
      break;
    }
  }
  const kpi::v1::Column* counts = FindColumn(groups, "customers");
  if (names == nullptr || counts == nullptr || !counts->has_int64s()) {
    return "";
  }
  const int rows =
      std::min(names->strings().values_size(), counts->int64s().values_size());
  int64_t most = 0, total = 0;
  for (int i = 0; i < rows; ++i) {
    most = std::max(most, counts->int64s().values(i));
    total += counts->int64s().values(i);
  }
  if (most == 0) return "";
  const bool bands = groups.name() == "bands";
  std::vector<Bar> bars;
  for (int i = 0; i < rows; ++i) {
    const int64_t n = counts->int64s().values(i);
    bars.push_back(
        {names->strings().values(i), static_cast<double>(n),
         absl::StrFormat("%d (%s%%)", n, FormatNumber(100.0 * n / total, 3))});
    if (bands) {
      bars.back().color =
          BandColor(static_cast<size_t>(i), static_cast<size_t>(rows));
    }
  }
  std::string svg = OpenBarsSvg(
      "group", absl::StrCat("customers per ", HtmlEscape(names->name())), 160,
      700, 24, bars);
  absl::StrAppend(&svg, "</svg><div class=\"axis\">", total,
                  " customers; each bar a ", HtmlEscape(names->name()),
                  "'s customers and its share of them.</div>");
  return svg;
}

std::string BandColor(size_t band, size_t bands) {
  // Red, amber and green, and between them for more bands; one band alone
  // is the best there is.
  static constexpr int kStops[3][3] = {
      {0xd6, 0x45, 0x45}, {0xe8, 0xa3, 0x3d}, {0x3e, 0xbd, 0x5d}};
  const double t = bands <= 1 ? 1.0 : static_cast<double>(band) / (bands - 1);
  const int from = t < 0.5 ? 0 : 1;
  const double f = t < 0.5 ? 2 * t : 2 * t - 1;
  int rgb[3];
  for (int c = 0; c < 3; ++c) {
    rgb[c] = static_cast<int>(
        kStops[from][c] + f * (kStops[from + 1][c] - kStops[from][c]) + 0.5);
  }
  return absl::StrFormat("#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

std::string CohortHeatmapSvg(const kpi::v1::ResultTable& cells) {
  constexpr double kLabel = 70, kTop = 16, kWidth = 1100, kCell = 16;
  const kpi::v1::Column* cohort = FindColumn(cells, "cohort");
  const kpi::v1::Column* period = FindColumn(cells, "period");
  const kpi::v1::Column* size = FindColumn(cells, "size");
  const kpi::v1::Column* active = FindColumn(cells, "active");
  const kpi::v1::Column* retention = FindColumn(cells, "retention");
  if (cohort == nullptr || period == nullptr || size == nullptr ||
      active == nullptr || retention == nullptr || !cohort->has_strings() ||
      !period->has_int64s() || !size->has_int64s() || !active->has_int64s() ||
      !retention->has_doubles()) {
    return "";
  }
  const int rows =
      std::min({cohort->strings().values_size(), period->int64s().values_size(),
                size->int64s().values_size(), active->int64s().values_size(),
                retention->doubles().values_size()});
  // Cohorts in the table's order (oldest first), one row each.
  std::vector<std::string> cohorts;
  absl::flat_hash_map<std::string, int> row_of;
  int64_t periods = 0;
  for (int i = 0; i < rows; ++i) {
    const std::string& c = cohort->strings().values(i);
    if (row_of.emplace(c, cohorts.size()).second) cohorts.push_back(c);
    periods = std::max(periods, period->int64s().values(i) + 1);
  }
  if (rows == 0) return "";
  const double column = (kWidth - kLabel) / periods;
  std::string svg = absl::StrFormat(
      "<svg class=\"wide\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"retention by cohort and period\">",
      kWidth, kTop + kCell * cohorts.size());
  for (int64_t p = 0; p < periods; ++p) {
    absl::StrAppendFormat(&svg,
                          "<text x=\"%.1f\" y=\"11\" font-size=\"10\" "
                          "text-anchor=\"middle\">%d</text>",
                          kLabel + column * (p + 0.5), p);
  }
  for (size_t r = 0; r < cohorts.size(); ++r) {
    absl::StrAppendFormat(&svg,
                          "<text x=\"%g\" y=\"%g\" font-size=\"10\" "
                          "text-anchor=\"end\">%s</text>",
                          kLabel - 6, kTop + kCell * r + 12,
                          HtmlEscape(cohorts[r]));
  }
  for (int i = 0; i < rows; ++i) {
    const double value = retention->doubles().values(i);
    // Darker is more retained; above 100 % (never for customers) is capped.
    const double shade = std::clamp(value, 0.0, 100.0) / 100;
    const double x = kLabel + column * period->int64s().values(i);
    const double y = kTop + kCell * row_of[cohort->strings().values(i)];
    absl::StrAppendFormat(
        &svg,
        "<rect class=\"cell\" x=\"%.1f\" y=\"%g\" width=\"%.1f\" "
        "height=\"%g\" fill=\"#2f6fde\" fill-opacity=\"%.2f\" "
        "stroke=\"#fff\"><title>%s, period %d: %s%% (%d of %d)</title>"
        "</rect><text x=\"%.1f\" y=\"%g\" font-size=\"9\" "
        "text-anchor=\"middle\" fill=\"%s\">%.0f</text>",
        x, y, column, kCell, 0.08 + 0.92 * shade,
        HtmlEscape(cohort->strings().values(i)), period->int64s().values(i),
        FormatNumber(value, 4), active->int64s().values(i),
        size->int64s().values(i), x + column / 2, y + 11,
        shade > 0.55 ? "#fff" : "#1f2933", value);
  }
  absl::StrAppend(&svg,
                  "</svg><div class=\"axis\">Rows: cohorts by their first "
                  "period; columns: periods since; each cell the percent of "
                  "the cohort's customers active, darker for more.</div>");
  return svg;
}

std::string RetentionCurveSvg(const std::vector<CurvePoint>& curve) {
  constexpr double kWidth = 1100, kHeight = 200, kLeft = 40, kPad = 12;
  if (curve.size() < 2) return "";
  // Retention of customers never passes 100 %, so the scale is 0..100.
  const int64_t last = curve.back().period;
  auto x = [&](int64_t k) {
    return kLeft + (kWidth - kLeft - kPad) * k / std::max<int64_t>(last, 1);
  };
  auto y = [&](double v) {
    return kPad + (kHeight - 2 * kPad) * (100 - v) / 100;
  };
  std::string svg = absl::StrFormat(
      "<svg class=\"wide curve\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"retention curve\">",
      kWidth, kHeight);
  for (const int v : {0, 50, 100}) {
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%g\" x2=\"%g\" y1=\"%.1f\" y2=\"%.1f\" "
                          "stroke=\"#d9e2ec\"/><text x=\"%g\" y=\"%.1f\" "
                          "font-size=\"10\" text-anchor=\"end\">%d%%</text>",
                          kLeft, kWidth - kPad, y(v), y(v), kLeft - 4, y(v) + 3,
                          v);
  }
  std::string points;
  for (const CurvePoint& point : curve) {
    absl::StrAppendFormat(&points, "%s%.1f,%.1f", points.empty() ? "" : " ",
                          x(point.period), y(point.retention()));
  }
  absl::StrAppend(&svg,
                  "<polyline fill=\"none\" stroke=\"#2f6fde\" "
                  "stroke-width=\"2\" points=\"",
                  points, "\"/>");
  for (const CurvePoint& point : curve) {
    absl::StrAppendFormat(
        &svg,
        "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
        "fill=\"#2f6fde\"><title>period %d: %s%% (%d of %d customers, %d "
        "cohorts)</title></circle>",
        x(point.period), y(point.retention()), point.period,
        FormatNumber(point.retention(), 4), point.active, point.size,
        point.cohorts);
  }
  absl::StrAppend(
      &svg, "</svg><div class=\"axis\">Periods since the cohort's start, 0 to ",
      last, "; period 1: ", FormatNumber(curve[1].retention(), 4),
      " %, period ", last, ": ", FormatNumber(curve.back().retention(), 4),
      " % (", curve.back().cohorts,
      " cohorts reach it). Each point weighs the cohorts that reach it by "
      "their size.</div>");
  return svg;
}

std::string IntervalTrendSvg(const KpiResults& results) {
  // kRight leaves room for the last period's label, centred on its point.
  constexpr double kWidth = 1100, kHeight = 200, kLeft = 50, kRight = 30,
                   kPad = 14;
  const size_t n = results.periods.size();
  auto has_interval = [](const KpiPeriodResult& r) {
    return r.result.has_value() && r.result.has_interval();
  };
  double low = 0, high = 0;
  int with_interval = 0;
  for (const KpiPeriodResult& r : results.periods) {
    if (!has_interval(r)) continue;
    const kpi::v1::ConfidenceInterval& interval = r.result.interval();
    low =
        with_interval > 0 ? std::min(low, interval.lower()) : interval.lower();
    high =
        with_interval > 0 ? std::max(high, interval.upper()) : interval.upper();
    ++with_interval;
  }
  if (with_interval < 2) return "";
  if (high == low) {
    high += 1;
    low -= 1;
  }
  // The bottom kPad holds the period labels.
  auto x = [&](size_t i) {
    return kLeft + (kWidth - kLeft - kRight) * i / (n - 1);
  };
  auto y = [&](double v) {
    return kPad + (kHeight - 3 * kPad) * (high - v) / (high - low);
  };
  std::string svg = absl::StrFormat(
      "<svg class=\"wide interval\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"%s with its confidence interval\">",
      kWidth, kHeight, HtmlEscape(results.kpi->title));
  for (const double v : {low, high}) {
    absl::StrAppendFormat(&svg,
                          "<text x=\"%g\" y=\"%.1f\" font-size=\"10\" "
                          "text-anchor=\"end\">%s</text>",
                          kLeft - 4, y(v) + 3, FormatNumber(v, 3));
  }
  const KpiPeriodResult* latest = nullptr;
  for (size_t i = 0; i < n; ++i) {
    const KpiPeriodResult& r = results.periods[i];
    absl::StrAppendFormat(&svg,
                          "<text x=\"%.1f\" y=\"%g\" font-size=\"10\" "
                          "text-anchor=\"middle\">%s</text>",
                          x(i), kHeight - 4, HtmlEscape(r.period.label));
    if (!has_interval(r)) continue;
    latest = &r;
    const kpi::v1::ConfidenceInterval& interval = r.result.interval();
    absl::StrAppendFormat(
        &svg,
        "<line class=\"whisker\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
        "y2=\"%.1f\" stroke=\"#9fb3c8\" stroke-width=\"6\" "
        "stroke-linecap=\"round\"/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
        "fill=\"%s\" stroke=\"#2f6fde\" stroke-width=\"2\"><title>%s: %s "
        "(%s to %s)</title></circle>",
        x(i), x(i), y(interval.lower()), y(interval.upper()), x(i),
        y(r.result.value()), r.period.partial ? "#fff" : "#2f6fde",
        HtmlEscape(r.period.label), FormatNumber(r.result.value(), 4),
        FormatNumber(interval.lower(), 4), FormatNumber(interval.upper(), 4));
  }
  const kpi::v1::ConfidenceInterval& interval = latest->result.interval();
  absl::StrAppend(
      &svg, "</svg><div class=\"axis\">Each period's value with its ",
      FormatNumber(100 * interval.confidence_level(), 3), "% interval; ",
      HtmlEscape(latest->period.label), ": ",
      FormatNumber(latest->result.value(), 4), " (",
      FormatNumber(interval.lower(), 4), " to ",
      FormatNumber(interval.upper(), 4), ", ", latest->result.sample_size(),
      " responses)",
      latest->period.partial ? "; hollow: partial period (an estimate)" : "",
      ".</div>");
  return svg;
}

std::string SegmentLinesSvg(const KpiResults& results) {
  constexpr double kWidth = 1100, kHeight = 200, kPad = 10, kLegend = 160;
  static constexpr const char* kColors[] = {"#2f6fde", "#d64545", "#3ebd5d",
                                            "#f0a35e", "#8e5ad6", "#1ba0a8",
                                            "#7b8794", "#c2417f"};
  // Each segment's value per period, segments in order of first appearance.
  std::vector<std::string> names;
  absl::flat_hash_map<std::string, std::vector<std::optional<double>>> series;
  double low = 0, high = 0;
  bool any = false;
  const size_t n = results.periods.size();
  for (size_t i = 0; i < n; ++i) {
    for (const kpi::v1::SegmentResult& segment :
         results.periods[i].result.segments()) {
      const std::string name = absl::StrJoin(segment.key(), ", ");
      auto [it, added] = series.try_emplace(name, n);
      if (added) names.push_back(name);
      if (!segment.result().has_value()) continue;
      const double v = segment.result().value();
      it->second[i] = v;
      low = any ? std::min(low, v) : v;
      high = any ? std::max(high, v) : v;
      any = true;
    }
  }
  if (!any || n < 2) return "";
  if (high == low) {
    high += 1;
    low -= 1;
  }
  auto x = [&](size_t i) {
    return kPad + (kWidth - kLegend - 2 * kPad) * i / (n - 1);
  };
  auto y = [&](double v) {
    return kPad + (kHeight - 2 * kPad) * (high - v) / (high - low);
  };
  std::string svg = absl::StrFormat(
      "<svg class=\"wide\" viewBox=\"0 0 %g %g\" role=\"img\" "
      "aria-label=\"%s by segment\">",
      kWidth, kHeight, HtmlEscape(results.kpi->title));
  for (size_t s = 0; s < names.size(); ++s) {
    const char* color = kColors[s % std::size(kColors)];
    const std::vector<std::optional<double>>& values = series[names[s]];
    std::string points;
    auto flush = [&] {
      if (points.empty()) return;
      absl::StrAppend(&svg,
                      "<polyline class=\"segment\" fill=\"none\" stroke=\"",
                      color, "\" stroke-width=\"2\" points=\"", points, "\"/>");
      points.clear();
    };
    for (size_t i = 0; i < n; ++i) {
      if (!values[i]) {
        flush();
        continue;
      }
      absl::StrAppendFormat(&points, "%s%.1f,%.1f", points.empty() ? "" : " ",
                            x(i), y(*values[i]));
      absl::StrAppendFormat(
          &svg,
          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" "
          "stroke=\"%s\"><title>%s, %s: %s</title></circle>",
          x(i), y(*values[i]),
          results.periods[i].period.partial ? "#fff" : color, color,
          HtmlEscape(names[s]), HtmlEscape(results.periods[i].period.label),
          FormatNumber(*values[i], 4));
    }
    flush();
    absl::StrAppendFormat(&svg,
                          "<text x=\"%g\" y=\"%g\" font-size=\"11\" "
                          "fill=\"%s\">%s</text>",
                          kWidth - kLegend + 10, kPad + 14.0 * (s + 1), color,
                          HtmlEscape(names[s]));
  }
  absl::StrAppend(&svg, "</svg><div class=\"axis\">",
                  HtmlEscape(results.periods.front().period.label), " to ",
                  HtmlEscape(results.periods.back().period.label), "; ",
                  FormatNumber(low, 4), " to ", FormatNumber(high, 4),
                  results.periods.back().period.partial
                      ? "; hollow: partial period (an estimate)"
                      : "",
                  "</div>");
  return svg;
}

}  // namespace kpi::report
