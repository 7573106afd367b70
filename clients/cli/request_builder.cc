#include "request_builder.h"

#include <cstdint>
#include <map>
#include <utility>
#include <variant>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli_status.h"
#include "raw_item.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::Column;
using ::kpi::v1::ComputeRequest;
using ::kpi::v1::InputSpec;
using ::kpi::v1::MetricInfo;
using ::kpi::v1::ParameterSpec;
using ::kpi::v1::Value;
using ::kpi::v1::ValueType;

// What the user gave for one name: the text of a NAME=VALUE argument or a
// JSON value.
using Given = std::variant<absl::string_view, const google::protobuf::Value*>;

std::string ValidNames(const MetricInfo& metric,
                       absl::Span<const std::string> group_by) {
  std::vector<absl::string_view> names;
  for (const InputSpec& input : metric.inputs()) names.push_back(input.name());
  for (const ParameterSpec& parameter : metric.parameters()) {
    names.push_back(parameter.name());
  }
  for (const std::string& name : group_by) names.push_back(name);
  return names.empty() ? "(none)" : absl::StrJoin(names, ", ");
}

bool IsDeclared(const MetricInfo& metric, absl::string_view name) {
  for (const InputSpec& input : metric.inputs()) {
    if (input.name() == name) return true;
  }
  for (const ParameterSpec& parameter : metric.parameters()) {
    if (parameter.name() == name) return true;
  }
  return false;
}

// Collects the given values by name: JSON first, then the arguments, so an
// argument replaces a JSON value and a later argument an earlier one.
absl::StatusOr<std::map<std::string, Given, std::less<>>> CollectGiven(
    const MetricInfo& metric, absl::Span<const std::string> assignments,
    const google::protobuf::Struct* input_json,
    absl::Span<const std::string> group_by) {
  std::map<std::string, Given, std::less<>> given;
  std::vector<absl::string_view> names;  // in the order the user wrote them
  if (input_json != nullptr) {
    // Struct's map has no order; sort its keys so errors are deterministic.
    std::map<absl::string_view, const google::protobuf::Value*> fields;
    for (const auto& [key, value] : input_json->fields()) {
      fields.emplace(key, &value);
    }
    for (const auto& [key, value] : fields) {
      names.push_back(key);
      if (value->kind_case() == google::protobuf::Value::kNullValue) continue;
      given.insert_or_assign(std::string(key), value);
    }
  }
  for (const std::string& assignment : assignments) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(assignment, absl::MaxSplits('=', 1));
    names.push_back(parts.first);
    given.insert_or_assign(std::string(parts.first), parts.second);
  }
  for (absl::string_view name : names) {
    if (!IsDeclared(metric, name) && !absl::c_linear_search(group_by, name)) {
      return UsageError(absl::StrCat(
          metric.name(), " has no input or parameter named \"", name,
          "\"; valid names: ", ValidNames(metric, group_by)));
    }
  }
  return given;
}

// Splits a given value into the items of a column.
absl::StatusOr<std::vector<RawItem>> ColumnItems(absl::string_view name,
                                                 const Given& given) {
  std::vector<RawItem> items;
  if (const auto* text = std::get_if<absl::string_view>(&given)) {
    if (text->empty()) return items;  // "scores=": a column with no rows
    for (absl::string_view item : absl::StrSplit(*text, ',')) {
      items.push_back(TextItem(item));
    }
    return items;
  }
  const google::protobuf::Value& json =
      *std::get<const google::protobuf::Value*>(given);
  if (json.kind_case() != google::protobuf::Value::kListValue) {
    return UsageError(absl::StrCat(name, ": ", DescribeItem(JsonItem(json)),
                                   " is not a JSON array; a column input "
                                   "takes an array of values"));
  }
  for (const google::protobuf::Value& element : json.list_value().values()) {
    items.push_back(JsonItem(element));
  }
  return items;
}

RawItem SingleItem(const Given& given) {
  if (const auto* text = std::get_if<absl::string_view>(&given)) {
    return TextItem(*text);
  }
  return JsonItem(*std::get<const google::protobuf::Value*>(given));
}

// Prefixes a conversion error with the name (and item) it is about.
absl::Status ItemError(absl::string_view name, size_t index, bool in_column,
                       const absl::Status& status) {
  if (!in_column) return UsageError(absl::StrCat(name, ": ", status.message()));
  return UsageError(
      absl::StrCat(name, ": item ", index + 1, " ", status.message()));
}

// Appends the converted items to `values` (a repeated field of T).
template <typename T, typename Values, typename Convert>
absl::Status AppendAll(absl::string_view name,
                       const std::vector<RawItem>& items, Convert convert,
                       Values* values) {
  values->Reserve(static_cast<int>(items.size()));
  for (size_t i = 0; i < items.size(); ++i) {
    absl::StatusOr<T> value = convert(items[i]);
    if (!value.ok()) return ItemError(name, i, true, value.status());
    values->Add(*std::move(value));
  }
  return absl::OkStatus();
}

// A key (a KEY input's value, a segment key): a JSON number is a key too
// (a customer or region id), as its text, as written.
absl::StatusOr<std::string> ToKeyText(const RawItem& item) {
  if (item.origin == ItemOrigin::kJsonNumber) return item.text;
  return ToString(item);
}

absl::StatusOr<Column> MakeColumn(const InputSpec& input, const Given& given) {
  absl::StatusOr<std::vector<RawItem>> items = ColumnItems(input.name(), given);
  if (!items.ok()) return items.status();
  Column column;
  column.set_name(input.name());
  absl::Status status;
  switch (input.type()) {
    case kpi::v1::VALUE_TYPE_DOUBLE:
      status = AppendAll<double>(input.name(), *items, ToDouble,
                                 column.mutable_doubles()->mutable_values());
      break;
    case kpi::v1::VALUE_TYPE_INT64:
      status = AppendAll<int64_t>(input.name(), *items, ToInt64,
                                  column.mutable_int64s()->mutable_values());
      break;
    case kpi::v1::VALUE_TYPE_STRING:
      status =
          AppendAll<std::string>(input.name(), *items, ToString,
                                 column.mutable_strings()->mutable_values());
      break;
    case kpi::v1::VALUE_TYPE_KEY:  // keys travel as their text
      status =
          AppendAll<std::string>(input.name(), *items, ToKeyText,
                                 column.mutable_strings()->mutable_values());
      break;
    case kpi::v1::VALUE_TYPE_TIMESTAMP:
      status = AppendAll<int64_t>(
          input.name(), *items, ToColumnUnixMicros,
          column.mutable_timestamps()->mutable_unix_micros());
      break;
    default:
      return absl::InternalError(
          absl::StrCat("the metric declares column input ", input.name(),
                       " with type ", kpi::v1::ValueType_Name(input.type()),
                       ", which the CLI cannot send"));
  }
  if (!status.ok()) return status;
  return column;
}

// A group_by column: segment keys, always sent as strings.
absl::StatusOr<Column> MakeGroupColumn(const std::string& name,
                                       const Given& given) {
  absl::StatusOr<std::vector<RawItem>> items = ColumnItems(name, given);
  if (!items.ok()) return items.status();
  Column column;
  column.set_name(name);
  absl::Status status = AppendAll<std::string>(
      name, *items, ToKeyText, column.mutable_strings()->mutable_values());
  if (!status.ok()) return status;
  return column;
}

// The group_by names, each once, in the order first given. A name that the
// metric declares cannot be one: its values would be an input, not a key.
absl::StatusOr<std::vector<std::string>> GroupByNames(
    const MetricInfo& metric, absl::Span<const std::string> group_by) {
  std::vector<std::string> names;
  for (const std::string& name : group_by) {
    if (name.empty()) return UsageError("--group-by: a column name is empty");
    if (IsDeclared(metric, name)) {
      return UsageError(absl::StrCat(
          "--group-by: \"", name, "\" is an input or parameter of ",
          metric.name(), "; group by a column the metric does not take"));
    }
    if (!absl::c_linear_search(names, name)) names.push_back(name);
  }
  return names;
}

absl::StatusOr<Value> MakeValue(absl::string_view name, ValueType type,
                                const Given& given) {
  const RawItem item = SingleItem(given);
  if (item.origin == ItemOrigin::kJsonArray) {
    return UsageError(absl::StrCat(
        name, ": a JSON array was given, but this takes a single value"));
  }
  Value value;
  absl::Status status;
  switch (type) {
    case kpi::v1::VALUE_TYPE_DOUBLE: {
      absl::StatusOr<double> converted = ToDouble(item);
      status = converted.status();
      if (converted.ok()) value.set_double_value(*converted);
      break;
    }
    case kpi::v1::VALUE_TYPE_INT64: {
      absl::StatusOr<int64_t> converted = ToInt64(item);
      status = converted.status();
      if (converted.ok()) value.set_int64_value(*converted);
      break;
    }
    case kpi::v1::VALUE_TYPE_STRING: {
      absl::StatusOr<std::string> converted = ToString(item);
      status = converted.status();
      if (converted.ok()) value.set_string_value(*std::move(converted));
      break;
    }
    case kpi::v1::VALUE_TYPE_BOOL: {
      absl::StatusOr<bool> converted = ToBool(item);
      status = converted.status();
      if (converted.ok()) value.set_bool_value(*converted);
      break;
    }
    case kpi::v1::VALUE_TYPE_TIMESTAMP: {
      absl::StatusOr<int64_t> micros = ToUnixMicros(item);
      status = micros.status();
      if (micros.ok()) {
        // Floor division: the nanos of a Timestamp are never negative.
        int64_t seconds = *micros / 1000000;
        int64_t rest = *micros % 1000000;
        if (rest < 0) {
          --seconds;
          rest += 1000000;
        }
        value.mutable_timestamp_value()->set_seconds(seconds);
        value.mutable_timestamp_value()->set_nanos(
            static_cast<int32_t>(rest * 1000));
      }
      break;
    }
    default:
      return absl::InternalError(absl::StrCat(
          "the metric declares ", name, " with type ",
          kpi::v1::ValueType_Name(type), ", which the CLI cannot send"));
  }
  if (!status.ok()) return ItemError(name, 0, false, status);
  return value;
}

}  // namespace

absl::Status CheckAssignments(absl::Span<const std::string> assignments) {
  for (const std::string& assignment : assignments) {
    const size_t equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      return UsageError(
          absl::StrCat("expected NAME=VALUE, got \"", assignment, "\""));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ComputeRequest> BuildComputeRequest(
    const MetricInfo& metric, absl::Span<const std::string> assignments,
    const google::protobuf::Struct* input_json,
    absl::Span<const std::string> group_by) {
  if (absl::Status status = CheckAssignments(assignments); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<std::string>> group_names =
      GroupByNames(metric, group_by);
  if (!group_names.ok()) return group_names.status();
  absl::StatusOr<std::map<std::string, Given, std::less<>>> given =
      CollectGiven(metric, assignments, input_json, *group_names);
  if (!given.ok()) return given.status();

  ComputeRequest request;
  request.set_metric(metric.name());
  for (const InputSpec& input : metric.inputs()) {
    auto it = given->find(input.name());
    if (it == given->end()) continue;
    if (input.kind() == kpi::v1::INPUT_KIND_COLUMN) {
      absl::StatusOr<Column> column = MakeColumn(input, it->second);
      if (!column.ok()) return column.status();
      *request.add_columns() = *std::move(column);
    } else {
      absl::StatusOr<Value> value =
          MakeValue(input.name(), input.type(), it->second);
      if (!value.ok()) return value.status();
      (*request.mutable_scalars())[input.name()] = *std::move(value);
    }
    given->erase(it);  // an input shadows a parameter of the same name
  }
  for (const ParameterSpec& parameter : metric.parameters()) {
    auto it = given->find(parameter.name());
    if (it == given->end()) continue;
    absl::StatusOr<Value> value =
        MakeValue(parameter.name(), parameter.type(), it->second);
    if (!value.ok()) return value.status();
    (*request.mutable_parameters())[parameter.name()] = *std::move(value);
  }
  for (const std::string& name : *group_names) {
    request.add_group_by(name);
    auto it = given->find(name);
    if (it == given->end()) continue;  // the server says it is missing
    absl::StatusOr<Column> column = MakeGroupColumn(name, it->second);
    if (!column.ok()) return column.status();
    *request.add_columns() = *std::move(column);
  }
  return request;
}

}  // namespace kpi::cli
