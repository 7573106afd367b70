#include "metric.h"

#include <google/protobuf/util/time_util.h>

#include <utility>

#include "declarations.h"
#include "list_param.h"

namespace kpi {
namespace {

v1::ValueType ToProtoType(kpi_value_type type) {
  switch (type) {
    case KPI_TYPE_DOUBLE:
      return v1::VALUE_TYPE_DOUBLE;
    case KPI_TYPE_INT64:
      return v1::VALUE_TYPE_INT64;
    case KPI_TYPE_STRING:
      return v1::VALUE_TYPE_STRING;
    case KPI_TYPE_TIMESTAMP:
      return v1::VALUE_TYPE_TIMESTAMP;
    case KPI_TYPE_BOOL:
      return v1::VALUE_TYPE_BOOL;
    case KPI_TYPE_KEY:
      return v1::VALUE_TYPE_KEY;
  }
  return v1::VALUE_TYPE_UNSPECIFIED;
}

void FillInput(const kpi_input_spec& spec, v1::InputSpec* out) {
  out->set_name(spec.name);
  out->set_description(spec.description ? spec.description : "");
  out->set_type(ToProtoType(spec.type));
  out->set_kind(spec.kind == KPI_INPUT_COLUMN ? v1::INPUT_KIND_COLUMN
                                              : v1::INPUT_KIND_SCALAR);
  out->set_required(spec.flags & KPI_INPUT_REQUIRED);
  out->set_integral(spec.flags & KPI_INPUT_INTEGRAL);
  if (spec.flags & KPI_INPUT_HAS_MIN) out->set_min(spec.min);
  if (spec.flags & KPI_INPUT_HAS_MAX) out->set_max(spec.max);
  if (spec.min_param) out->set_min_parameter(spec.min_param);
  if (spec.max_param) out->set_max_parameter(spec.max_param);
  if (spec.form) out->set_form(spec.form);
}

void FillParam(const kpi_param_spec& spec, v1::ParameterSpec* out) {
  out->set_name(spec.name);
  out->set_description(spec.description ? spec.description : "");
  const kpi_param_value& def = spec.default_value;
  out->set_type(ToProtoType(def.type));
  v1::Value* value = out->mutable_default_value();
  switch (def.type) {
    case KPI_TYPE_DOUBLE:
      value->set_double_value(def.f64);
      break;
    case KPI_TYPE_INT64:
      value->set_int64_value(def.i64);
      break;
    case KPI_TYPE_STRING:
      value->set_string_value(std::string(def.str.data, def.str.size));
      break;
    case KPI_TYPE_BOOL:
      value->set_bool_value(def.boolean != 0);
      break;
    case KPI_TYPE_TIMESTAMP:
      *value->mutable_timestamp_value() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(def.i64);
      break;
  }
  if (spec.flags & KPI_PARAM_HAS_MIN) out->set_min(spec.min);
  if (spec.flags & KPI_PARAM_HAS_MAX) out->set_max(spec.max);
  out->set_integral(spec.flags & KPI_PARAM_INTEGRAL);
  out->set_required(spec.flags & KPI_PARAM_REQUIRED);
  if (spec.form) out->set_form(spec.form);
  for (size_t i = 0; i < spec.allowed_count; ++i) {
    out->add_allowed_values(spec.allowed_values[i]);
  }
}

void FillListFields(const kpi_list_param& list, v1::ParameterSpec* out) {
  bool optional = false;
  for (size_t f = 0; f < list.num_fields; ++f) {
    const kpi_list_field& field = list.fields[f];
    v1::ListField* described = out->add_list_fields();
    described->set_name(field.name);
    described->set_description(field.description ? field.description : "");
    described->set_type(ToProtoType(field.type));
    if (field.flags & KPI_PARAM_HAS_MIN) described->set_min(field.min);
    if (field.flags & KPI_PARAM_HAS_MAX) described->set_max(field.max);
    for (size_t k = 0; k < field.allowed_count; ++k) {
      described->add_allowed_values(field.allowed_values[k]);
    }
    optional = optional || (field.flags & KPI_LIST_FIELD_OPTIONAL);
    described->set_optional(optional);
  }
}

}  // namespace

Metric::Metric(std::shared_ptr<const PluginLibrary> library,
               const kpi_metric_descriptor* descriptor)
    : library_(std::move(library)), descriptor_(descriptor) {
  const kpi_plugin_descriptor& plugin = library_->descriptor();
  const size_t index = static_cast<size_t>(descriptor_ - plugin.metrics);
  input_orders_ = InputOrders(plugin, index);
  list_params_ = ListParams(plugin, index);
  info_.set_name(descriptor_->name);
  info_.set_description(descriptor_->description);
  info_.set_unit(descriptor_->unit);
  info_.set_plugin(plugin.name);
  info_.set_plugin_version(plugin.version);
  info_.set_plugin_file(library_->path());
  for (size_t i = 0; i < descriptor_->num_inputs; ++i) {
    v1::InputSpec* input = info_.add_inputs();
    FillInput(descriptor_->inputs[i], input);
    for (const kpi_input_order& order : input_orders_) {
      if (input->name() == order.input) input->set_not_before(order.not_before);
    }
  }
  for (size_t i = 0; i < descriptor_->num_params; ++i) {
    v1::ParameterSpec* param = info_.add_parameters();
    FillParam(descriptor_->params[i], param);
    if (const kpi_list_param* list =
            FindListParam(list_params_, param->name())) {
      FillListFields(*list, param);
    }
  }
}

}  // namespace kpi
