#include "metric_protos.h"

#include <google/protobuf/descriptor.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "timestamp_range.h"

namespace kpi {
namespace {

using google::protobuf::DescriptorProto;
using google::protobuf::FieldDescriptorProto;
using google::protobuf::FileDescriptorProto;

// Path components of descriptor.proto's fields, for comments.
constexpr int kFileMessageType = 4;
constexpr int kFileService = 6;
constexpr int kMessageField = 2;
constexpr int kServiceMethod = 2;

constexpr char kTimestamp[] = ".google.protobuf.Timestamp";

// "repeat_purchase_rate" -> "RepeatPurchaseRate".
std::string Camel(absl::string_view snake) {
  std::string camel;
  bool upper = true;
  for (const char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    camel += upper ? static_cast<char>(std::toupper(c)) : c;
    upper = false;
  }
  return camel;
}

// The leading number of a version string ("2.1.0" -> 2), 0 if none.
int Major(const char* version) {
  return version != nullptr &&
                 std::isdigit(static_cast<unsigned char>(*version))
             ? std::atoi(version)
             : 0;
}

// `text` as comment lines of at most 75 characters (DebugString adds
// "// " and the indentation).
std::string CommentLines(const std::string& text) {
  std::string comment;
  for (absl::string_view paragraph : absl::StrSplit(text, '\n')) {
    std::string line;
    for (absl::string_view word :
         absl::StrSplit(paragraph, ' ', absl::SkipEmpty())) {
      if (!line.empty() && line.size() + 1 + word.size() > 75) {
        absl::StrAppend(&comment, line, "\n");
        line.clear();
      }
      absl::StrAppend(&line, line.empty() ? "" : " ", word);
    }
    absl::StrAppend(&comment, line, "\n");
  }
  return comment;
}

void Comment(FileDescriptorProto& file, std::vector<int> path,
             const std::string& text) {
  if (text.empty()) return;
  auto* location = file.mutable_source_code_info()->add_location();
  for (const int component : path) location->add_path(component);
  // No source text behind it, but DebugString prints only locations with
  // a span.
  for (int i = 0; i < 3; ++i) location->add_span(0);
  location->set_leading_comments(CommentLines(text));
}

std::string Number(double value) { return absl::StrCat(value); }

std::string DefaultText(const kpi_param_value& value) {
  switch (value.type) {
    case KPI_TYPE_DOUBLE:
      return Number(value.f64);
    case KPI_TYPE_INT64:
      return absl::StrCat(value.i64);
    case KPI_TYPE_STRING:
      return absl::StrCat(
          "\"", absl::string_view(value.str.data, value.str.size), "\"");
    case KPI_TYPE_BOOL:
      return value.boolean ? "true" : "false";
    case KPI_TYPE_TIMESTAMP:
      return FormatTimestampMicros(value.i64);
    default:
      return "";
  }
}

// A field of `message`, `optional` in proto3's sense when `presence`.
FieldDescriptorProto& AddField(DescriptorProto& message, const char* name,
                               int number, FieldDescriptorProto::Type type,
                               bool repeated, bool presence) {
  FieldDescriptorProto& field = *message.add_field();
  field.set_name(name);
  field.set_number(number);
  field.set_type(type);
  field.set_label(repeated ? FieldDescriptorProto::LABEL_REPEATED
                           : FieldDescriptorProto::LABEL_OPTIONAL);
  if (presence && type != FieldDescriptorProto::TYPE_MESSAGE) {
    // proto3 `optional`: a synthetic oneof of its own.
    field.set_proto3_optional(true);
    field.set_oneof_index(message.oneof_decl_size());
    message.add_oneof_decl()->set_name(absl::StrCat("_", name));
  }
  return field;
}

FieldDescriptorProto::Type ScalarType(kpi_value_type type) {
  switch (type) {
    case KPI_TYPE_DOUBLE:
      return FieldDescriptorProto::TYPE_DOUBLE;
    case KPI_TYPE_INT64:
      return FieldDescriptorProto::TYPE_INT64;
    case KPI_TYPE_BOOL:
      return FieldDescriptorProto::TYPE_BOOL;
    case KPI_TYPE_TIMESTAMP:
      return FieldDescriptorProto::TYPE_MESSAGE;
    default:  // STRING, KEY
      return FieldDescriptorProto::TYPE_STRING;
  }
}

FieldDescriptorProto::Type ColumnType(kpi_value_type type) {
  switch (type) {
    case KPI_TYPE_DOUBLE:
      return FieldDescriptorProto::TYPE_DOUBLE;
    case KPI_TYPE_INT64:
    case KPI_TYPE_TIMESTAMP:
      return FieldDescriptorProto::TYPE_SFIXED64;
    default:  // STRING, KEY
      return FieldDescriptorProto::TYPE_STRING;
  }
}

std::string Range(uint32_t flags, uint32_t has_min, uint32_t has_max,
                  double min, double max, const char* min_param,
                  const char* max_param) {
  std::vector<std::string> bounds;
  if (min_param != nullptr) {
    bounds.push_back(absl::StrCat(">= ", min_param));
  } else if (flags & has_min) {
    bounds.push_back(absl::StrCat(">= ", Number(min)));
  }
  if (max_param != nullptr) {
    bounds.push_back(absl::StrCat("<= ", max_param));
  } else if (flags & has_max) {
    bounds.push_back(absl::StrCat("<= ", Number(max)));
  }
  return bounds.empty() ? "" : absl::StrCat(absl::StrJoin(bounds, ", "), ".");
}

std::string InputComment(const kpi_input_spec& input) {
  std::vector<std::string> parts;
  if (input.form != nullptr) {
    parts.push_back(absl::StrCat("Form \"", input.form, "\"."));
  }
  if (*input.description != '\0') parts.push_back(input.description);
  if (input.type == KPI_TYPE_TIMESTAMP && input.kind == KPI_INPUT_COLUMN) {
    parts.push_back("Unix microseconds.");
  }
  if (input.type == KPI_TYPE_KEY) parts.push_back("A key (an id).");
  if (input.flags & KPI_INPUT_REQUIRED) {
    parts.push_back(input.form != nullptr ? "Required in its form."
                                          : "Required.");
  }
  if (input.flags & KPI_INPUT_INTEGRAL) parts.push_back("Whole numbers.");
  const std::string range =
      Range(input.flags, KPI_INPUT_HAS_MIN, KPI_INPUT_HAS_MAX, input.min,
            input.max, input.min_param, input.max_param);
  if (!range.empty()) parts.push_back(range);
  if (parts.empty()) parts.push_back(absl::StrCat("Input ", input.name, "."));
  return absl::StrJoin(parts, " ");
}

std::string ParamComment(const kpi_param_spec& param) {
  std::vector<std::string> parts;
  if (*param.description != '\0') parts.push_back(param.description);
  if (param.flags & KPI_PARAM_REQUIRED) {
    parts.push_back(
        param.form != nullptr
            ? absl::StrCat("Required with form \"", param.form, "\".")
            : "Required.");
  } else {
    parts.push_back(
        absl::StrCat("Default: ", DefaultText(param.default_value), "."));
  }
  const std::string range =
      Range(param.flags, KPI_PARAM_HAS_MIN, KPI_PARAM_HAS_MAX, param.min,
            param.max, nullptr, nullptr);
  if (!range.empty()) parts.push_back(range);
  if (param.allowed_count > 0) {
    parts.push_back(absl::StrCat(
        "One of: ",
        absl::StrJoin(param.allowed_values,
                      param.allowed_values + param.allowed_count, ", "),
        "."));
  }
  return absl::StrJoin(parts, " ");
}

// The messages and method of `metric`, the `index`-th method of the
// service.
void AddMetric(const kpi_metric_descriptor& metric, int index,
               FileDescriptorProto& file) {
  const std::string name = Camel(metric.name);
  const std::string request_name = absl::StrCat("Compute", name, "Request");
  const std::string response_name = absl::StrCat("Compute", name, "Response");
  const std::string parameters_name = absl::StrCat(name, "Parameters");
  const std::string package = absl::StrCat(".", file.package(), ".");

  const int parameters_index = file.message_type_size();
  DescriptorProto& parameters = *file.add_message_type();
  parameters.set_name(parameters_name);
  Comment(file, {kFileMessageType, parameters_index},
          absl::StrCat("Parameters of ", metric.name,
                       "; unset fields take their defaults."));
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& param = metric.params[i];
    FieldDescriptorProto& field =
        AddField(parameters, param.name, static_cast<int>(i + 1),
                 ScalarType(param.default_value.type), false, true);
    if (param.default_value.type == KPI_TYPE_TIMESTAMP) {
      field.set_type_name(kTimestamp);
    }
    Comment(file,
            {kFileMessageType, parameters_index, kMessageField,
             static_cast<int>(i)},
            ParamComment(param));
  }

  const int request_index = file.message_type_size();
  DescriptorProto& request = *file.add_message_type();
  request.set_name(request_name);
  Comment(file, {kFileMessageType, request_index},
          absl::StrCat("Inputs and parameters of ", metric.name, "."));
  AddField(request, "parameters", 1, FieldDescriptorProto::TYPE_MESSAGE, false,
           false)
      .set_type_name(package + parameters_name);
  Comment(file, {kFileMessageType, request_index, kMessageField, 0},
          "Parameters; unset fields take their defaults (or the profile's).");
  AddField(request, "profile", 2, FieldDescriptorProto::TYPE_STRING, false,
           false);
  Comment(file, {kFileMessageType, request_index, kMessageField, 1},
          "A parameter profile of the server's profiles file (kpi-server "
          "--profiles), or empty for none.");
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const kpi_input_spec& input = metric.inputs[i];
    const bool column = input.kind == KPI_INPUT_COLUMN;
    FieldDescriptorProto& field =
        AddField(request, input.name, static_cast<int>(i + 3),
                 column ? ColumnType(input.type) : ScalarType(input.type),
                 column, !column);
    if (!column && input.type == KPI_TYPE_TIMESTAMP) {
      field.set_type_name(kTimestamp);
    }
    Comment(file,
            {kFileMessageType, request_index, kMessageField,
             static_cast<int>(i + 2)},
            InputComment(input));
  }

  const int response_index = file.message_type_size();
  DescriptorProto& response = *file.add_message_type();
  response.set_name(response_name);
  Comment(file, {kFileMessageType, response_index},
          absl::StrCat("The result of ", metric.name, "."));
  AddField(response, "result", 1, FieldDescriptorProto::TYPE_MESSAGE, false,
           false)
      .set_type_name(".kpi.v1.MetricResult");
  Comment(file, {kFileMessageType, response_index, kMessageField, 0},
          metric.unit != nullptr && *metric.unit != '\0'
              ? absl::StrCat("The result, in ", metric.unit, ".")
              : "The result.");

  auto& method = *file.mutable_service(0)->add_method();
  method.set_name(absl::StrCat("Compute", name));
  method.set_input_type(package + request_name);
  method.set_output_type(package + response_name);
  Comment(file, {kFileService, 0, kServiceMethod, index}, metric.description);
}

bool UsesTimestamps(const kpi_plugin_descriptor& plugin) {
  for (size_t m = 0; m < plugin.num_metrics; ++m) {
    const kpi_metric_descriptor& metric = plugin.metrics[m];
    for (size_t i = 0; i < metric.num_inputs; ++i) {
      if (metric.inputs[i].kind == KPI_INPUT_SCALAR &&
          metric.inputs[i].type == KPI_TYPE_TIMESTAMP) {
        return true;
      }
    }
    for (size_t i = 0; i < metric.num_params; ++i) {
      if (metric.params[i].default_value.type == KPI_TYPE_TIMESTAMP) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

FileDescriptorProto PluginProtoFile(const kpi_plugin_descriptor& plugin) {
  const std::string version = absl::StrCat("v", Major(plugin.version));
  FileDescriptorProto file;
  file.set_name(absl::StrCat("kpi/plugins/", plugin.name, "/", version, "/",
                             plugin.name, ".proto"));
  file.set_package(absl::StrCat("kpi.plugins.", plugin.name, ".", version));
  file.set_syntax("proto3");
  // Only what is used: buf lint refuses an unused import.
  if (UsesTimestamps(plugin)) {
    file.add_dependency("google/protobuf/timestamp.proto");
  }
  file.add_dependency("kpi/v1/result.proto");
  auto& service = *file.add_service();
  service.set_name(absl::StrCat(Camel(plugin.name), "Service"));
  Comment(
      file, {kFileService, 0},
      absl::StrCat("The metrics of plugin ", plugin.name, " ", plugin.version,
                   ", generated from its declarations by kpi-server. "
                   "Fields map onto the metrics' inputs and parameters "
                   "by name."));
  for (size_t i = 0; i < plugin.num_metrics; ++i) {
    AddMetric(plugin.metrics[i], static_cast<int>(i), file);
  }
  return file;
}

absl::StatusOr<std::string> ProtoSource(const FileDescriptorProto& file) {
  // Imports (kpi/v1/result.proto, the Timestamp) come from the compiled-in
  // pool.
  google::protobuf::DescriptorPool pool(
      google::protobuf::DescriptorPool::generated_pool());
  const google::protobuf::FileDescriptor* built = pool.BuildFile(file);
  if (built == nullptr) {
    return absl::InternalError(
        absl::StrCat("the generated ", file.name(), " does not build"));
  }
  google::protobuf::DebugStringOptions options;
  options.include_comments = true;
  return built->DebugStringWithOptions(options);
}

absl::StatusOr<v1::ProtoFile> PluginProtoSource(
    const kpi_plugin_descriptor& plugin) {
  const FileDescriptorProto file = PluginProtoFile(plugin);
  absl::StatusOr<std::string> source = ProtoSource(file);
  if (!source.ok()) return source.status();
  v1::ProtoFile proto;
  proto.set_path(file.name());
  proto.set_content(*std::move(source));
  return proto;
}

absl::StatusOr<std::vector<std::string>> WriteProtoFiles(
    const std::vector<const kpi_plugin_descriptor*>& plugins,
    const std::string& directory) {
  std::vector<v1::ProtoFile> files;
  for (const kpi_plugin_descriptor* plugin : plugins) {
    absl::StatusOr<v1::ProtoFile> proto = PluginProtoSource(*plugin);
    if (!proto.ok()) return proto.status();
    files.push_back(*std::move(proto));
  }
  if (!files.empty()) {
    for (v1::ProtoFile& imported : ImportedApiProtoFiles()) {
      files.push_back(std::move(imported));
    }
  }
  std::vector<std::string> written;
  for (const v1::ProtoFile& proto : files) {
    const std::filesystem::path path =
        std::filesystem::path(directory) / proto.path();
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << proto.content();
    out.close();
    if (error || !out) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot write ", path.string()));
    }
    written.push_back(path.string());
  }
  return written;
}

}  // namespace kpi
