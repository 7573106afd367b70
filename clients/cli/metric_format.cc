#include "metric_format.h"

#include <algorithm>
#include <array>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "number_format.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::InputSpec;
using ::kpi::v1::MetricInfo;
using ::kpi::v1::ParameterSpec;
using ::kpi::v1::Value;

std::string PluginText(const MetricInfo& metric) {
  if (metric.plugin_version().empty()) return metric.plugin();
  return absl::StrCat(metric.plugin(), "@", metric.plugin_version());
}

// One bound of a range: a parameter's name, a number, or nothing.
std::string Bound(bool has_value, double value, const std::string& parameter) {
  if (!parameter.empty()) return parameter;
  if (has_value) return FormatNumber(value);
  return "";
}

// "range 0 .. 10", "range >= 0", "range <= scale_max", or "" when unbounded.
std::string RangeText(const std::string& lower, const std::string& upper) {
  if (!lower.empty() && !upper.empty()) {
    return absl::StrCat("range ", lower, " .. ", upper);
  }
  if (!lower.empty()) return absl::StrCat("range >= ", lower);
  if (!upper.empty()) return absl::StrCat("range <= ", upper);
  return "";
}

std::string ValueText(const Value& value) {
  switch (value.kind_case()) {
    case Value::kDoubleValue:
      return FormatNumber(value.double_value());
    case Value::kInt64Value:
      return absl::StrCat(value.int64_value());
    case Value::kStringValue:
      return absl::StrCat("\"", value.string_value(), "\"");
    case Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case Value::kTimestampValue:
      return FormatTimestamp(
          absl::FromUnixSeconds(value.timestamp_value().seconds()) +
          absl::Nanoseconds(value.timestamp_value().nanos()));
    case Value::KIND_NOT_SET:
      break;
  }
  return "";
}

// The description indented by `indent`, one output line per line of text.
void AppendIndented(std::string* out, absl::string_view text,
                    absl::string_view indent) {
  for (absl::string_view line :
       absl::StrSplit(absl::StripTrailingAsciiWhitespace(text), '\n')) {
    absl::StrAppend(out, indent, line, "\n");
  }
}

void AppendEntry(std::string* out, const std::string& name,
                 const std::vector<std::string>& traits,
                 const std::string& description) {
  absl::StrAppend(out, "  ", name, " (", absl::StrJoin(traits, ", "), ")\n");
  if (!description.empty()) AppendIndented(out, description, "    ");
}

void AppendInput(std::string* out, const InputSpec& input) {
  std::vector<std::string> traits;
  traits.push_back(input.kind() == kpi::v1::INPUT_KIND_COLUMN ? "column"
                                                              : "scalar");
  traits.push_back(TypeName(input.type()));
  traits.push_back(input.required() ? "required" : "optional");
  if (!input.form().empty()) {
    traits.push_back(absl::StrCat("form ", input.form()));
  }
  if (input.integral()) traits.push_back("integral");
  std::string range =
      RangeText(Bound(input.has_min(), input.min(), input.min_parameter()),
                Bound(input.has_max(), input.max(), input.max_parameter()));
  if (!range.empty()) traits.push_back(std::move(range));
  if (!input.not_before().empty()) {
    traits.push_back(absl::StrCat("not before ", input.not_before()));
  }
  AppendEntry(out, input.name(), traits, input.description());
}

// "name:weight:direction[:min:max]": the shape of a list parameter's items.
std::string ItemShape(const ParameterSpec& parameter) {
  std::string shape;
  bool in_optional = false;
  for (const kpi::v1::ListField& field : parameter.list_fields()) {
    if (field.optional() && !in_optional) {
      absl::StrAppend(&shape, "[");
      in_optional = true;
    }
    absl::StrAppend(&shape, shape.empty() || shape == "[" ? "" : ":",
                    field.name());
  }
  if (in_optional) absl::StrAppend(&shape, "]");
  return shape;
}

// One line per field of a list parameter, under its description.
void AppendListFields(std::string* out, const ParameterSpec& parameter) {
  for (const kpi::v1::ListField& field : parameter.list_fields()) {
    std::vector<std::string> traits = {TypeName(field.type())};
    std::string range = RangeText(Bound(field.has_min(), field.min(), ""),
                                  Bound(field.has_max(), field.max(), ""));
    if (!range.empty()) traits.push_back(std::move(range));
    if (!field.allowed_values().empty()) {
      traits.push_back(absl::StrCat(
          "one of: ", absl::StrJoin(field.allowed_values(), ", ")));
    }
    if (field.optional()) traits.push_back("optional");
    absl::StrAppend(
        out, "    - ", field.name(), " (", absl::StrJoin(traits, ", "), ")",
        field.description().empty() ? "" : ": ", field.description(), "\n");
  }
}

void AppendParameter(std::string* out, const ParameterSpec& parameter) {
  std::vector<std::string> traits;
  traits.push_back(TypeName(parameter.type()));
  if (parameter.required()) {
    // The default of a required parameter is a placeholder: not shown.
    traits.push_back("required");
  } else if (std::string value = ValueText(parameter.default_value());
             !value.empty()) {
    traits.push_back(absl::StrCat("default ", value));
  }
  if (!parameter.form().empty()) {
    traits.push_back(absl::StrCat("form ", parameter.form()));
  }
  if (parameter.integral()) traits.push_back("integral");
  std::string range =
      RangeText(Bound(parameter.has_min(), parameter.min(), ""),
                Bound(parameter.has_max(), parameter.max(), ""));
  if (!range.empty()) traits.push_back(std::move(range));
  if (!parameter.allowed_values().empty()) {
    traits.push_back(absl::StrCat(
        "one of: ", absl::StrJoin(parameter.allowed_values(), ", ")));
  }
  if (!parameter.list_fields().empty()) {
    traits.push_back(
        absl::StrCat("list of ", ItemShape(parameter), ", comma separated"));
  }
  AppendEntry(out, parameter.name(), traits, parameter.description());
  AppendListFields(out, parameter);
}

}  // namespace

std::string FirstSentence(absl::string_view text) {
  // Collapse whitespace first, so a sentence broken over lines is one line.
  std::string flat = absl::StrJoin(
      absl::StrSplit(text, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty()), " ");
  for (size_t dot = flat.find('.'); dot != std::string::npos;
       dot = flat.find('.', dot + 1)) {
    const bool ends_word = dot + 1 == flat.size() || flat[dot + 1] == ' ';
    const absl::string_view so_far(flat.data(), dot + 1);
    if (ends_word && !absl::EndsWith(so_far, "e.g.") &&
        !absl::EndsWith(so_far, "i.e.")) {
      flat.resize(dot + 1);
      break;
    }
  }
  return flat;
}

std::string TypeName(kpi::v1::ValueType type) {
  // ValueType_Name is "" for a number the proto does not know.
  std::string name = absl::AsciiStrToLower(
      absl::StripPrefix(kpi::v1::ValueType_Name(type), "VALUE_TYPE_"));
  return name.empty() ? absl::StrCat("type ", static_cast<int>(type)) : name;
}

std::string FormatMetricTable(
    const google::protobuf::RepeatedPtrField<MetricInfo>& metrics) {
  if (metrics.empty()) return "no metrics are loaded\n";
  std::vector<std::array<std::string, 4>> rows;
  rows.push_back({"METRIC", "UNIT", "PLUGIN", "DESCRIPTION"});
  for (const MetricInfo& metric : metrics) {
    rows.push_back({metric.name(), metric.unit(), PluginText(metric),
                    FirstSentence(metric.description())});
  }
  std::array<size_t, 3> widths = {0, 0, 0};
  for (const auto& row : rows) {
    for (size_t i = 0; i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      absl::StrAppend(&line, row[i],
                      std::string(widths[i] - row[i].size(), ' '), "  ");
    }
    absl::StrAppend(&line, row[3]);
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  return out;
}

std::string FormatMetricDescription(const MetricInfo& metric) {
  std::string out;
  absl::StrAppend(&out, "metric: ", metric.name(), "\n");
  if (!metric.unit().empty())
    absl::StrAppend(&out, "unit: ", metric.unit(), "\n");
  absl::StrAppend(&out, "plugin: ", PluginText(metric));
  if (!metric.plugin_file().empty()) {
    absl::StrAppend(&out, " (", metric.plugin_file(), ")");
  }
  absl::StrAppend(&out, "\n");
  if (!metric.description().empty()) {
    absl::StrAppend(&out, "description:\n");
    AppendIndented(&out, metric.description(), "  ");
  }
  // The input forms, in the order the inputs first name them.
  std::vector<absl::string_view> forms;
  for (const InputSpec& input : metric.inputs()) {
    if (!input.form().empty() &&
        std::find(forms.begin(), forms.end(), input.form()) == forms.end()) {
      forms.push_back(input.form());
    }
  }
  absl::StrAppend(&out, "\ninputs");
  if (!forms.empty()) {
    // "a, b or c"
    const absl::string_view last = forms.back();
    forms.pop_back();
    std::string list = absl::StrJoin(forms, ", ");
    absl::StrAppend(&list, list.empty() ? "" : " or ", last);
    absl::StrAppend(&out, " (a request uses one form: ", list, ")");
  }
  absl::StrAppend(&out, ":\n");
  if (metric.inputs().empty()) absl::StrAppend(&out, "  (none)\n");
  for (const InputSpec& input : metric.inputs()) AppendInput(&out, input);
  absl::StrAppend(&out, "\nparameters:\n");
  if (metric.parameters().empty()) absl::StrAppend(&out, "  (none)\n");
  for (const ParameterSpec& parameter : metric.parameters()) {
    AppendParameter(&out, parameter);
  }
  return out;
}

}  // namespace kpi::cli
