#include "json_report.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "field_values.h"
#include "goal_progress.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "kpi_change.h"
#include "mrr_movements.h"
#include "number_format.h"
#include "retention_curve.h"
#include "targets.h"

namespace kpi::report {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

Value Text(absl::string_view s) {
  Value v;
  v.set_string_value(std::string(s));
  return v;
}

Value Number(double d) {
  Value v;
  v.set_number_value(d);
  return v;
}

Value Bool(bool b) {
  Value v;
  v.set_bool_value(b);
  return v;
}

Struct& Object(Value& v) { return *v.mutable_struct_value(); }

Value& Field(Value& object, const std::string& name) {
  return (*Object(object).mutable_fields())[name];
}

Value& Append(Value& list) { return *list.mutable_list_value()->add_values(); }

// The result as the proto3 JSON mapping with the proto's field names, which
// docs/api.md and the .proto files document.
Value ResultValue(const kpi::v1::MetricResult& result,
                  const std::optional<Target>& target) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  Value value;
  // Neither call can fail on a message kpi-report itself holds.
  (void)google::protobuf::util::MessageToJsonString(result, &json, options);
  (void)google::protobuf::util::JsonStringToMessage(json, &value);
  if (target) {
    Field(value, "target_status") =
        Text(TargetStatusName(Evaluate(target, result)));
    for (int i = 0; i < result.segments_size(); ++i) {
      Value& segment =
          *Field(value, "segments").mutable_list_value()->mutable_values(i);
      Field(Field(segment, "result"), "target_status") =
          Text(TargetStatusName(Evaluate(target, result.segments(i).result())));
    }
  }
  return value;
}

Value PeriodValue(const Period& period) {
  Value v;
  Field(v, "label") = Text(period.label);
  Field(v, "start") = Text(kpi::cli::FormatTimestamp(period.start));
  Field(v, "end") = Text(kpi::cli::FormatTimestamp(period.end));
  Field(v, "partial") = Bool(period.partial);
  return v;
}

Value TargetValue(const Target& target, absl::string_view unit) {
  static constexpr const char* kKinds[] = {"below", "at_most", "above",
                                           "at_least"};
  Value v;
  Field(v, "kind") = Text(kKinds[static_cast<int>(target.kind)]);
  Field(v, "value") = Number(target.value);
  Field(v, "text") = Text(DescribeTarget(target, unit));
  return v;
}

// The change between the last two complete periods and its noise verdict
// (kpi_change.h); the statistics a test did not produce are absent.
Value ChangeValue(const KpiChange& change) {
  Value v;
  Field(v, "from") = Text(change.from);
  Field(v, "to") = Text(change.to);
  Field(v, "from_value") = Number(change.from_value);
  Field(v, "to_value") = Number(change.to_value);
  Field(v, "difference") = Number(change.difference);
  Field(v, "in_points") = Bool(change.in_points);
  if (change.relative_percent) {
    Field(v, "relative_percent") = Number(*change.relative_percent);
  }
  Field(v, "test") = Text(NoiseTestName(change.test));
  Field(v, "verdict") = Text(NoiseVerdictName(change.verdict));
  if (!change.not_tested_reason.empty()) {
    Field(v, "not_tested_reason") = Text(change.not_tested_reason);
  }
  if (change.z) Field(v, "z") = Number(*change.z);
  if (change.p_value) Field(v, "p_value") = Number(*change.p_value);
  if (change.lower && change.upper) {
    Value& interval = Field(v, "interval");
    Field(interval, "lower") = Number(*change.lower);
    Field(interval, "upper") = Number(*change.upper);
  }
  Field(v, "confidence_level") = Number(change.confidence_level);
  Field(v, "text") = Text(DescribeChange(change));
  return v;
}

Value GoalValue(const GoalProgress& goal) {
  Value v;
  Field(v, "start_period") = Text(goal.start_period);
  Field(v, "start") = Number(goal.start);
  Field(v, "current_period") = Text(goal.current_period);
  Field(v, "current_partial") = Bool(goal.current_partial);
  Field(v, "current") = Number(goal.current);
  Field(v, "target") = Number(goal.target);
  Field(v, "progress_percent") = Number(goal.percent);
  return v;
}

// A cohort table's retention curve (retention_curve.h), k ascending.
Value CurveValue(const std::vector<CurvePoint>& curve) {
  Value v;
  v.mutable_list_value();
  for (const CurvePoint& point : curve) {
    Value& p = Append(v);
    Field(p, "period") = Number(static_cast<double>(point.period));
    Field(p, "cohorts") = Number(static_cast<double>(point.cohorts));
    Field(p, "size") = Number(static_cast<double>(point.size));
    Field(p, "active") = Number(static_cast<double>(point.active));
    Field(p, "retention") = Number(point.retention());
  }
  return v;
}

Value MovementsValue(const MrrMovements& m) {
  Value v;
  Field(v, "new") = Number(m.new_mrr);
  Field(v, "expansion") = Number(m.expansion);
  Field(v, "reactivation") = Number(m.reactivation);
  Field(v, "contraction") = Number(m.contraction);
  Field(v, "churn") = Number(m.churn);
  Field(v, "gains") = Number(m.gains());
  Field(v, "losses") = Number(m.losses());
  // null when nothing was lost: the ratio is undefined, not 0 or infinite.
  Value& quick_ratio = Field(v, "quick_ratio");
  if (const std::optional<double> q = m.quick_ratio()) {
    quick_ratio = Number(*q);
  } else {
    quick_ratio.set_null_value(google::protobuf::NULL_VALUE);
  }
  return v;
}

// The customers most at risk, lowest score first: each with the signals of
// their rows, by name (a signal without a row is absent).
Value AtRiskValue(const std::vector<AtRiskCustomer>& customers) {
  Value v;
  v.mutable_list_value();
  for (const AtRiskCustomer& c : customers) {
    Value& entry = Append(v);
    Field(entry, "customer") = Text(c.customer);
    Field(entry, "score") = Number(c.score);
    Field(entry, "band") = Text(c.band);
    Value& signals = Field(entry, "signals");
    signals.mutable_struct_value();
    for (const AtRiskSignal& s : c.signals) {
      Field(signals, s.name) = Number(s.value);
    }
  }
  return v;
}

void AppendString(absl::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append(absl::StrFormat("\\u%04x", c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// Writes `value` as indented JSON with the keys of each object sorted, so
// the same report is the same bytes (protobuf's printer follows its map's
// order, which is not stable).
void AppendJson(const Value& value, int indent, std::string* out) {
  const std::string pad(2 * (indent + 1), ' ');
  switch (value.kind_case()) {
    case Value::kStructValue: {
      std::vector<const std::string*> keys;
      for (const auto& [key, field] : value.struct_value().fields()) {
        keys.push_back(&key);
      }
      std::sort(
          keys.begin(), keys.end(),
          [](const std::string* a, const std::string* b) { return *a < *b; });
      if (keys.empty()) {
        out->append("{}");
        return;
      }
      out->append("{\n");
      for (size_t i = 0; i < keys.size(); ++i) {
        out->append(pad);
        AppendString(*keys[i], out);
        out->append(": ");
        AppendJson(value.struct_value().fields().at(*keys[i]), indent + 1, out);
        out->append(i + 1 < keys.size() ? ",\n" : "\n");
      }
      out->append(2 * indent, ' ');
      out->push_back('}');
      return;
    }
    case Value::kListValue: {
      const auto& values = value.list_value().values();
      if (values.empty()) {
        out->append("[]");
        return;
      }
      out->append("[\n");
      for (int i = 0; i < values.size(); ++i) {
        out->append(pad);
        AppendJson(values[i], indent + 1, out);
        out->append(i + 1 < values.size() ? ",\n" : "\n");
      }
      out->append(2 * indent, ' ');
      out->push_back(']');
      return;
    }
    case Value::kStringValue:
      AppendString(value.string_value(), out);
      return;
    case Value::kNumberValue: {
      // The shortest text that reads back as the same double.
      char buffer[32];
      const auto end =
          std::to_chars(buffer, buffer + sizeof(buffer), value.number_value())
              .ptr;
      out->append(buffer, end);
      return;
    }
    case Value::kBoolValue:
      out->append(value.bool_value() ? "true" : "false");
      return;
    default:
      out->append("null");
      return;
  }
}

}  // namespace

std::string JsonReport(const Report& report) {
  Value root;
  Field(root, "format") = Text("kpi-report");
  Field(root, "format_version") = Number(kJsonFormatVersion);
  // A report is written only when every call succeeded (report_runner.h);
  // the field is there so a reader never has to assume it.
  Field(root, "complete") = Bool(true);
  Field(root, "server") = Text(report.server);
  Field(root, "data") = Text(report.data_dir);
  Field(root, "spec") = Text(report.spec_origin);
  Value& window = Field(root, "window");
  Field(window, "start") = Text(kpi::cli::FormatTimestamp(report.window.start));
  Field(window, "end") = Text(kpi::cli::FormatTimestamp(report.window.end));
  Value& periods = Field(root, "periods");
  periods.mutable_list_value();
  for (const Period& period : report.periods) {
    Append(periods) = PeriodValue(period);
  }
  Value& kpis = Field(root, "kpis");
  kpis.mutable_list_value();
  for (const KpiResults& results : report.kpis) {
    const KpiSpec& kpi = *results.kpi;
    Value& k = Append(kpis);
    Field(k, "id") = Text(kpi.id);
    Field(k, "title") = Text(kpi.title);
    Field(k, "metric") = Text(kpi.metric);
    Field(k, "file") = Text(kpi.file);
    Value& group_by = Field(k, "group_by");
    group_by.mutable_list_value();
    for (const std::string& g : kpi.group_by) Append(group_by) = Text(g);
    const std::string unit =
        results.periods.empty() ? "" : results.periods.back().result.unit();
    if (kpi.target) Field(k, "target") = TargetValue(*kpi.target, unit);
    if (const std::optional<KpiChange> change = AssessChange(results)) {
      Field(k, "change") = ChangeValue(*change);
    }
    if (const std::optional<GoalProgress> goal =
            ProgressTowardTarget(results)) {
      Field(k, "goal") = GoalValue(*goal);
    }
    Value& list = Field(k, "results");
    list.mutable_list_value();
    for (const KpiPeriodResult& r : results.periods) {
      Value& entry = Append(list);
      Field(entry, "period") = PeriodValue(r.period);
      Field(entry, "result") = ResultValue(r.result, kpi.target);
      if (const std::optional<MrrMovements> m = MovementsOf(r)) {
        Field(entry, "movements") = MovementsValue(*m);
      }
      if (const std::vector<CurvePoint> curve = RetentionCurveOf(r.result);
          !curve.empty()) {
        Field(entry, "retention_curve") = CurveValue(curve);
      }
      if (kpi.at_risk > 0) Field(entry, "at_risk") = AtRiskValue(r.at_risk);
    }
  }
  Value& files = Field(root, "files");
  files.mutable_list_value();
  for (const FileStats& file : report.files) {
    Value& f = Append(files);
    Field(f, "name") = Text(file.name);
    Field(f, "path") = Text(file.path);
    Field(f, "delimiter") = Text(std::string(1, file.delimiter));
    Field(f, "rows") = Number(static_cast<double>(file.rows));
    Field(f, "bad_rows") = Number(static_cast<double>(file.bad_rows));
  }
  Value& bad = Field(root, "bad_rows");
  Field(bad, "rows") =
      Number(static_cast<double>(report.bad_rows.total_rows()));
  Value& by_reason = Field(bad, "by_reason");
  by_reason.mutable_list_value();
  for (const auto& [key, count] : report.bad_rows.by_reason()) {
    Value& r = Append(by_reason);
    Field(r, "file") = Text(key.first);
    Field(r, "reason") = Text(key.second);
    Field(r, "fields") = Number(static_cast<double>(count));
  }
  Value& examples = Field(bad, "examples");
  examples.mutable_list_value();
  for (const BadField& field : report.bad_rows.examples()) {
    Value& e = Append(examples);
    Field(e, "file") = Text(field.file);
    Field(e, "line") = Number(static_cast<double>(field.line));
    Field(e, "column") = Number(field.column);
    Field(e, "header") = Text(field.header);
    Field(e, "value") = Text(field.value);
    Field(e, "reason") = Text(field.reason);
  }
  Field(bad, "examples_not_kept") =
      Number(static_cast<double>(report.bad_rows.fields_not_kept()));
  Field(root, "rows") = Number(static_cast<double>(report.rows));
  Field(root, "elapsed_seconds") =
      Number(absl::ToDoubleSeconds(report.elapsed));

  std::string json;
  AppendJson(root, 0, &json);
  json.push_back('\n');
  return json;
}

}  // namespace kpi::report
