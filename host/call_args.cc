#include "call_args.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

ColumnArg ColumnView(const v1::Column& column) {
  ColumnArg arg;
  arg.name = column.name();
  switch (column.values_case()) {
    case v1::Column::kDoubles:
      arg.type = KPI_TYPE_DOUBLE;
      arg.length = column.doubles().values_size();
      arg.f64 = column.doubles().values().data();
      break;
    case v1::Column::kInt64S:
      arg.type = KPI_TYPE_INT64;
      arg.length = column.int64s().values_size();
      arg.i64 = column.int64s().values().data();
      break;
    case v1::Column::kStrings:
      arg.type = KPI_TYPE_STRING;
      arg.length = column.strings().values_size();
      arg.strings = &column.strings().values();
      break;
    case v1::Column::kTimestamps:
      arg.type = KPI_TYPE_TIMESTAMP;
      arg.length = column.timestamps().unix_micros_size();
      arg.i64 = column.timestamps().unix_micros().data();
      break;
    case v1::Column::kKeys:
      arg.type = KPI_TYPE_KEY;
      arg.length = column.keys().codes_size();
      arg.codes = column.keys().codes().data();
      arg.entries = &column.keys().entries();
      break;
    case v1::Column::VALUES_NOT_SET:
      break;
  }
  return arg;
}

void SortByName(std::vector<NamedValue>& values) {
  std::sort(
      values.begin(), values.end(),
      [](const NamedValue& a, const NamedValue& b) { return a.name < b.name; });
}

template <typename Request>
CallArgs ArgsFromGeneric(const Request& request) {
  CallArgs args;
  args.columns.reserve(request.columns_size());
  for (const v1::Column& column : request.columns()) {
    args.columns.push_back(ColumnView(column));
  }
  for (const auto& [name, value] : request.scalars()) {
    args.scalars.push_back({name, &value});
  }
  for (const auto& [name, value] : request.parameters()) {
    args.parameters.push_back({name, &value});
  }
  for (const std::string& name : request.group_by()) {
    args.group_by.push_back(name);
  }
  args.profile = request.profile();
  SortByName(args.scalars);
  SortByName(args.parameters);
  return args;
}

// The value of a set singular field, or an error for a type that has no
// input counterpart.
absl::StatusOr<v1::Value> SingularValue(const Message& message,
                                        const FieldDescriptor& field) {
  const Reflection& reflection = *message.GetReflection();
  v1::Value value;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT64:
      value.set_int64_value(reflection.GetInt64(message, &field));
      return value;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      value.set_double_value(reflection.GetDouble(message, &field));
      return value;
    case FieldDescriptor::CPPTYPE_STRING:
      value.set_string_value(reflection.GetString(message, &field));
      return value;
    case FieldDescriptor::CPPTYPE_BOOL:
      value.set_bool_value(reflection.GetBool(message, &field));
      return value;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field.message_type()->full_name() == "google.protobuf.Timestamp") {
        value.mutable_timestamp_value()->CopyFrom(
            reflection.GetMessage(message, &field));
        return value;
      }
      break;
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("typed field ", field.full_name(), " has no input type"));
}

// Protobuf's non-deprecated repeated-field API has no contiguous view; the
// deprecated one does, and is what makes typed calls zero-copy.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
absl::StatusOr<ColumnArg> RepeatedColumn(const Message& message,
                                         const FieldDescriptor& field) {
  const Reflection& reflection = *message.GetReflection();
  ColumnArg arg;
  arg.name = field.name();
  switch (field.type()) {
    case FieldDescriptor::TYPE_DOUBLE: {
      const auto& values = reflection.GetRepeatedField<double>(message, &field);
      arg.type = KPI_TYPE_DOUBLE;
      arg.length = values.size();
      arg.f64 = values.data();
      return arg;
    }
    case FieldDescriptor::TYPE_SFIXED64: {
      const auto& values =
          reflection.GetRepeatedField<int64_t>(message, &field);
      arg.type = KPI_TYPE_INT64;
      arg.length = values.size();
      arg.i64 = values.data();
      return arg;
    }
    case FieldDescriptor::TYPE_STRING: {
      const auto& values =
          reflection.GetRepeatedPtrField<std::string>(message, &field);
      arg.type = KPI_TYPE_STRING;
      arg.length = values.size();
      arg.strings = &values;
      return arg;
    }
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "typed field ", field.full_name(), " has no column type"));
  }
}
#pragma GCC diagnostic pop

absl::Status AddSetFields(const Message& message, CallArgs& args,
                          std::vector<NamedValue>& into) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    absl::StatusOr<v1::Value> value = SingularValue(message, *field);
    if (!value.ok()) return value.status();
    args.owned_values.push_back(*std::move(value));
    into.push_back({field->name(), &args.owned_values.back()});
  }
  return absl::OkStatus();
}

}  // namespace

CallArgs ArgsFromRequest(const v1::ComputeRequest& request) {
  return ArgsFromGeneric(request);
}

CallArgs ArgsFromRequest(const v1::ComputeStreamRequest& request) {
  return ArgsFromGeneric(request);
}

absl::StatusOr<CallArgs> ArgsFromTypedRequest(const Message& request) {
  CallArgs args;
  const google::protobuf::Descriptor& descriptor = *request.GetDescriptor();
  const Reflection& reflection = *request.GetReflection();
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor& field = *descriptor.field(i);
    if (field.is_repeated()) {
      // A repeated field is always present: empty means zero rows.
      absl::StatusOr<ColumnArg> column = RepeatedColumn(request, field);
      if (!column.ok()) return column.status();
      args.columns.push_back(*column);
    } else if (field.name() == "parameters" &&
               field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (absl::Status s = AddSetFields(reflection.GetMessage(request, &field),
                                        args, args.parameters);
          !s.ok()) {
        return s;
      }
    } else if (field.name() == "profile" &&
               field.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      args.owned_values.emplace_back().set_string_value(
          reflection.GetString(request, &field));
      args.profile = args.owned_values.back().string_value();
    } else if (reflection.HasField(request, &field)) {
      absl::StatusOr<v1::Value> value = SingularValue(request, field);
      if (!value.ok()) return value.status();
      args.owned_values.push_back(*std::move(value));
      args.scalars.push_back({field.name(), &args.owned_values.back()});
    }
  }
  // proto3 cannot tell an empty repeated field from an unset one. Beside a
  // column with rows, an empty one cannot be a column of zero rows (columns
  // have equal lengths): it is an optional column left unset -- as by a
  // client whose stubs predate an input the plugin appended.
  const bool any_rows =
      std::any_of(args.columns.begin(), args.columns.end(),
                  [](const ColumnArg& column) { return column.length > 0; });
  if (any_rows) {
    args.columns.erase(std::remove_if(args.columns.begin(), args.columns.end(),
                                      [](const ColumnArg& column) {
                                        return column.length == 0;
                                      }),
                       args.columns.end());
  }
  SortByName(args.scalars);
  SortByName(args.parameters);
  return args;
}

}  // namespace kpi
