#include "markdown_report.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "at_risk.h"
#include "field_values.h"
#include "goal_progress.h"
#include "kpi_change.h"
#include "mrr_movements.h"
#include "number_format.h"
#include "retention_curve.h"
#include "targets.h"

namespace kpi::report {
namespace {

using kpi::cli::FormatNumber;

// Tables longer than this (per-customer scores) are left to report.json.
constexpr int kMaxTableRows = 40;

// A cell's text with the characters that would break a Markdown table
// escaped.
std::string Cell(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\n", " "}});
}

std::string Value(const kpi::v1::MetricResult& result) {
  if (!result.has_value()) return "undefined";
  std::string text = FormatNumber(result.value());
  if (!result.unit().empty()) {
    absl::StrAppend(&text, result.unit() == "%" ? "" : " ", result.unit());
  }
  return text;
}

std::string Ratio(const kpi::v1::MetricResult& result) {
  if (!result.has_ratio()) return "";
  return absl::StrCat(FormatNumber(result.ratio().numerator()), " / ",
                      FormatNumber(result.ratio().denominator()));
}

std::string Interval(const kpi::v1::MetricResult& result) {
  if (!result.has_interval()) return "";
  return absl::StrCat(FormatNumber(result.interval().lower(), 4), " .. ",
                      FormatNumber(result.interval().upper(), 4));
}

std::string Status(const KpiSpec& kpi, const kpi::v1::MetricResult& result) {
  return std::string(TargetStatusName(Evaluate(kpi.target, result)));
}

std::string PeriodLabel(const Period& period) {
  return period.partial ? absl::StrCat(period.label, " (partial)")
                        : period.label;
}

std::string ColumnCell(const kpi::v1::Column& column, int row) {
  switch (column.values_case()) {
    case kpi::v1::Column::kDoubles:
      return FormatNumber(column.doubles().values(row));
    case kpi::v1::Column::kInt64S:
      return absl::StrCat(column.int64s().values(row));
    case kpi::v1::Column::kStrings:
      return Cell(column.strings().values(row));
    case kpi::v1::Column::kTimestamps:
      return kpi::cli::FormatTimestamp(
          FromMicros(column.timestamps().unix_micros(row)));
    default:
      return "";
  }
}

int ColumnRows(const kpi::v1::Column& column) {
  switch (column.values_case()) {
    case kpi::v1::Column::kDoubles:
      return column.doubles().values_size();
    case kpi::v1::Column::kInt64S:
      return column.int64s().values_size();
    case kpi::v1::Column::kStrings:
      return column.strings().values_size();
    case kpi::v1::Column::kTimestamps:
      return column.timestamps().unix_micros_size();
    default:
      return 0;
  }
}

void AppendTable(const kpi::v1::ResultTable& table, std::string* out) {
  if (table.columns().empty()) return;
  const int rows = ColumnRows(table.columns(0));
  absl::StrAppend(out, "\nTable `", table.name(), "`");
  if (rows > kMaxTableRows) {
    absl::StrAppend(out, ": ", rows, " rows, in report.json.\n");
    return;
  }
  absl::StrAppend(out, ":\n\n|");
  for (const auto& column : table.columns()) {
    absl::StrAppend(out, " ", Cell(column.name()), " |");
  }
  absl::StrAppend(out, "\n|");
  for (int i = 0; i < table.columns_size(); ++i) absl::StrAppend(out, "---|");
  absl::StrAppend(out, "\n");
  for (int r = 0; r < rows; ++r) {
    absl::StrAppend(out, "|");
    for (const auto& column : table.columns()) {
      absl::StrAppend(
          out, " ", r < ColumnRows(column) ? ColumnCell(column, r) : "", " |");
    }
    absl::StrAppend(out, "\n");
  }
}

// The noise judgement in words, with the statistic behind it.
std::string Noise(const KpiChange& change) {
  std::string text(NoiseVerdictName(change.verdict));
  if (change.p_value) {
    absl::StrAppend(&text, ", p = ", FormatNumber(*change.p_value, 2));
  }
  if (change.lower && change.upper) {
    absl::StrAppend(&text, ", ", FormatNumber(100 * change.confidence_level, 3),
                    "% interval ", FormatNumber(*change.lower, 3), " .. ",
                    FormatNumber(*change.upper, 3));
  }
  if (change.test != NoiseTest::kNone) {
    absl::StrAppend(&text, " (", NoiseTestName(change.test), ")");
  }
  return text;
}

std::string Goal(const KpiResults& results) {
  const std::optional<GoalProgress> goal = ProgressTowardTarget(results);
  if (!goal) return "";
  return absl::StrCat(FormatNumber(goal->percent, 3), "% (",
                      FormatNumber(goal->start, 4), " in ", goal->start_period,
                      " to ", FormatNumber(goal->current, 4), " in ",
                      goal->current_period, ")");
}

void AppendSummary(const Report& report, std::string* out) {
  absl::StrAppend(out,
                  "## Summary\n\nChanges are between the last two complete "
                  "periods; how noise is judged is in docs/reports.md.\n\n"
                  "| KPI | period | value | change | noise | target | status | "
                  "goal progress |\n|---|---|---|---|---|---|---|---|\n");
  for (const KpiResults& results : report.kpis) {
    const KpiSpec& kpi = *results.kpi;
    if (results.periods.empty()) continue;
    const KpiPeriodResult& latest = results.periods.back();
    std::string change, noise;
    if (const std::optional<KpiChange> c = AssessChange(results)) {
      change = absl::StrCat(c->from, " to ", c->to, ": ", DescribeChange(*c));
      noise = Noise(*c);
    }
    absl::StrAppend(
        out, "| ", Cell(kpi.title), " | ", PeriodLabel(latest.period), " | ",
        Value(latest.result), " | ", Cell(change), " | ", Cell(noise), " | ",
        kpi.target ? DescribeTarget(*kpi.target, latest.result.unit()) : "",
        " | ", Status(kpi, latest.result), " | ", Goal(results), " |\n");
  }
}

// The MRR movements of every period, with the Quick Ratio.
void AppendMovements(const KpiResults& results, std::string* out) {
  std::string rows;
  for (const KpiPeriodResult& r : results.periods) {
    const std::optional<MrrMovements> m = MovementsOf(r);
    if (!m) continue;
    const std::optional<double> q = m->quick_ratio();
    absl::StrAppend(&rows, "| ", PeriodLabel(r.period), " | ",
                    FormatNumber(m->new_mrr), " | ", FormatNumber(m->expansion),
                    " | ", FormatNumber(m->reactivation), " | ",
                    FormatNumber(m->contraction), " | ", FormatNumber(m->churn),
                    " | ", q ? FormatNumber(*q, 4) : "undefined", " |\n");
  }
  if (rows.empty()) return;
  absl::StrAppend(out,
                  "\nMovements and Quick Ratio = (new + expansion + "
                  "reactivation) / (contraction + churn), undefined when "
                  "nothing was lost:\n\n| period | new | expansion | "
                  "reactivation | contraction | churn | quick ratio |\n"
                  "|---|---|---|---|---|---|---|\n",
                  rows);
}

// The retention curve of the latest period's cohort table.
void AppendCurve(const KpiResults& results, std::string* out) {
  if (results.periods.empty()) return;
  const std::vector<CurvePoint> curve =
      RetentionCurveOf(results.periods.back().result);
  if (curve.empty()) return;
  absl::StrAppend(out,
                  "\nRetention curve: per period since the cohort's start, "
                  "the customers active over the cohorts that reach it:\n\n"
                  "| period | retention | active | customers | cohorts |\n"
                  "|---|---|---|---|---|\n");
  for (const CurvePoint& point : curve) {
    absl::StrAppend(out, "| ", point.period, " | ",
                    FormatNumber(point.retention(), 4), " % | ", point.active,
                    " | ", point.size, " | ", point.cohorts, " |\n");
  }
}

// The path `file` (a spec file name) was read from.
std::string PathOf(const Report& report, const std::string& file) {
  for (const FileStats& stats : report.files) {
    if (stats.name == file) return stats.path;
  }
  return file;
}

// A KPI's customers most at risk (at_risk.h), lowest score first, each with
// the signal values of their rows.
void AppendAtRisk(const Report& report, const KpiResults& results,
                  std::string* out) {
  const KpiSpec& kpi = *results.kpi;
  if (kpi.at_risk == 0 || results.periods.empty()) return;
  const std::vector<AtRiskCustomer>& customers = results.periods.back().at_risk;
  if (customers.empty()) {
    absl::StrAppend(out, "\nNo customer was scored, so none is at risk.\n");
    return;
  }
  const std::vector<std::string> signals =
      SignalColumns(DeclaredSignals(kpi), customers);
  absl::StrAppend(out, "\nThe ", customers.size(),
                  " customers most at risk, lowest score first; each signal "
                  "as `",
                  Cell(PathOf(report, kpi.file)),
                  "` has it (— : no row, left out of the score):\n\n"
                  "| customer | score | band |");
  for (const std::string& signal : signals) {
    absl::StrAppend(out, " ", Cell(signal), " |");
  }
  absl::StrAppend(out, "\n|---|---|---|");
  for (size_t i = 0; i < signals.size(); ++i) absl::StrAppend(out, "---|");
  absl::StrAppend(out, "\n");
  for (const AtRiskCustomer& c : customers) {
    absl::StrAppend(out, "| ", Cell(c.customer), " | ",
                    FormatNumber(c.score, 4), " | ", Cell(c.band), " |");
    for (const std::string& signal : signals) {
      const auto it =
          std::find_if(c.signals.begin(), c.signals.end(),
                       [&](const AtRiskSignal& s) { return s.name == signal; });
      absl::StrAppend(out, " ",
                      it == c.signals.end() ? "—" : FormatNumber(it->value),
                      " |");
    }
    absl::StrAppend(out, "\n");
  }
}

void AppendKpi(const Report& report, const KpiResults& results,
               std::string* out) {
  const KpiSpec& kpi = *results.kpi;
  absl::StrAppend(out, "\n## ", Cell(kpi.title), "\n\n`", kpi.metric,
                  "` from `", kpi.file, "`");
  if (kpi.target && !results.periods.empty()) {
    absl::StrAppend(
        out, "; target: ",
        DescribeTarget(*kpi.target, results.periods.back().result.unit()));
  }
  absl::StrAppend(out,
                  ".\n\n| period | value | ratio | sample size | interval | "
                  "target |\n|---|---|---|---|---|---|\n");
  for (const KpiPeriodResult& r : results.periods) {
    absl::StrAppend(out, "| ", PeriodLabel(r.period), " | ", Value(r.result),
                    " | ", Ratio(r.result), " | ",
                    FormatNumber(r.result.sample_size()), " | ",
                    Interval(r.result), " | ", Status(kpi, r.result), " |\n");
  }
  AppendMovements(results, out);
  AppendCurve(results, out);
  if (results.periods.empty()) return;
  const KpiPeriodResult& latest = results.periods.back();
  for (const KpiPeriodResult& r : results.periods) {
    if (r.result.has_value()) continue;
    absl::StrAppend(out, "\n", r.period.label,
                    " is undefined: ", Cell(r.result.undefined_reason()), "\n");
  }
  for (const std::string& warning : latest.result.warnings()) {
    absl::StrAppend(out, "\nWarning (", latest.period.label,
                    "): ", Cell(warning), "\n");
  }
  if (latest.result.segments_size() > 0) {
    absl::StrAppend(out, "\nBy ", absl::StrJoin(kpi.group_by, ", "), " in ",
                    latest.period.label,
                    ":\n\n| segment | value | ratio | sample size | target "
                    "|\n|---|---|---|---|---|\n");
    for (const auto& segment : latest.result.segments()) {
      absl::StrAppend(out, "| ", Cell(absl::StrJoin(segment.key(), ", ")),
                      " | ", Value(segment.result()), " | ",
                      Ratio(segment.result()), " | ",
                      FormatNumber(segment.result().sample_size()), " | ",
                      Status(kpi, segment.result()), " |\n");
    }
  }
  for (const auto& table : latest.result.tables()) AppendTable(table, out);
  AppendAtRisk(report, results, out);
}

void AppendData(const Report& report, std::string* out) {
  absl::StrAppend(out,
                  "\n## Data\n\n| file | rows | bad rows |\n|---|---|---|\n");
  for (const FileStats& file : report.files) {
    absl::StrAppend(out, "| ", Cell(file.path), " | ", file.rows, " | ",
                    file.bad_rows, " |\n");
  }
  if (report.bad_rows.total_rows() == 0) {
    absl::StrAppend(out, "\nNo bad rows.\n");
    return;
  }
  absl::StrAppend(out, "\n", report.bad_rows.total_rows(),
                  " bad rows were left out of every KPI. Bad fields by "
                  "reason:\n\n| file | reason | fields |\n|---|---|---|\n");
  for (const auto& [key, count] : report.bad_rows.by_reason()) {
    absl::StrAppend(out, "| ", Cell(key.first), " | ", Cell(key.second), " | ",
                    count, " |\n");
  }
  absl::StrAppend(out,
                  "\n| file | line | column | value | reason |\n"
                  "|---|---|---|---|---|\n");
  for (const BadField& field : report.bad_rows.examples()) {
    absl::StrAppend(out, "| ", Cell(field.file), " | ", field.line, " | ",
                    field.column, " (", Cell(field.header), ") | ",
                    Cell(field.value), " | ", Cell(field.reason), " |\n");
  }
  if (report.bad_rows.fields_not_kept() > 0) {
    absl::StrAppend(out, "\n... and ", report.bad_rows.fields_not_kept(),
                    " more bad fields, counted above.\n");
  }
}

}  // namespace

std::string MarkdownReport(const Report& report) {
  std::string out = "# KPI report\n\n";
  absl::StrAppend(&out, "Data `", Cell(report.data_dir), "`, window ",
                  kpi::cli::FormatTimestamp(report.window.start), " to ",
                  kpi::cli::FormatTimestamp(report.window.end), "; spec ",
                  Cell(report.spec_origin), "; server ", report.server, ". ",
                  report.rows, " rows read, ", report.bad_rows.total_rows(),
                  " bad. Complete: every KPI below was computed.\n\n");
  AppendSummary(report, &out);
  for (const KpiResults& results : report.kpis) {
    AppendKpi(report, results, &out);
  }
  AppendData(report, &out);
  return out;
}

}  // namespace kpi::report
