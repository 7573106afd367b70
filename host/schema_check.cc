#include "schema_check.h"

#include <cmath>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "declarations.h"
#include "list_param.h"

namespace kpi {
namespace {

constexpr size_t kMaxNameLength = 64;

absl::Status Malformed(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

bool IsNumeric(kpi_value_type type) {
  return type == KPI_TYPE_DOUBLE || type == KPI_TYPE_INT64;
}

absl::Status CheckRange(absl::string_view where, bool has_min, double min,
                        bool has_max, double max) {
  if (has_min && !std::isfinite(min))
    return Malformed(where, "min is not finite");
  if (has_max && !std::isfinite(max))
    return Malformed(where, "max is not finite");
  if (has_min && has_max && min > max) {
    return Malformed(where, absl::StrCat("min ", min, " > max ", max));
  }
  return absl::OkStatus();
}

absl::Status CheckRangeParam(const kpi_metric_descriptor& metric,
                             absl::string_view where, const char* param_name) {
  if (param_name == nullptr) return absl::OkStatus();
  const kpi_param_spec* param = FindParam(metric, param_name);
  if (param == nullptr) {
    return Malformed(where, absl::StrCat("range parameter '", param_name,
                                         "' is not declared"));
  }
  if (!IsNumeric(param->default_value.type)) {
    return Malformed(where, absl::StrCat("range parameter '", param_name,
                                         "' is not numeric"));
  }
  return absl::OkStatus();
}

// A KEY input (ABI 1.3) is a column of a 1.3 plugin with no numeric flag:
// only REQUIRED means anything for it.
absl::Status CheckKeyInput(const kpi_input_spec& input, uint32_t abi_minor,
                           absl::string_view where) {
  if (abi_minor < 3) {
    return Malformed(where, "type KEY needs a plugin built for ABI 1.3");
  }
  if (input.kind != KPI_INPUT_COLUMN) {
    return Malformed(where, "a key input is a column");
  }
  if ((input.flags & ~KPI_INPUT_REQUIRED) != 0 || input.min_param != nullptr ||
      input.max_param != nullptr) {
    return Malformed(where, "a key input has no range and is not integral");
  }
  return absl::OkStatus();
}

absl::Status CheckInput(const kpi_metric_descriptor& metric,
                        const kpi_input_spec& input, uint32_t abi_minor,
                        absl::string_view where) {
  if (input.type < KPI_TYPE_DOUBLE || input.type > KPI_TYPE_KEY ||
      input.type == KPI_TYPE_BOOL) {
    return Malformed(where, absl::StrCat("unknown type ", input.type));
  }
  if (input.kind != KPI_INPUT_COLUMN && input.kind != KPI_INPUT_SCALAR) {
    return Malformed(where, absl::StrCat("unknown kind ", input.kind));
  }
  if (input.type == KPI_TYPE_KEY) {
    if (absl::Status s = CheckKeyInput(input, abi_minor, where); !s.ok()) {
      return s;
    }
  }
  bool ranged = (input.flags & (KPI_INPUT_HAS_MIN | KPI_INPUT_HAS_MAX)) ||
                input.min_param != nullptr || input.max_param != nullptr;
  if (ranged && input.type == KPI_TYPE_STRING) {
    return Malformed(where, "a string input cannot have a range");
  }
  if (absl::Status s =
          CheckRange(where, input.flags & KPI_INPUT_HAS_MIN, input.min,
                     input.flags & KPI_INPUT_HAS_MAX, input.max);
      !s.ok()) {
    return s;
  }
  if (input.form != nullptr && !IsValidName(input.form)) {
    return Malformed(where, "form must match [a-z][a-z0-9_]*");
  }
  if (absl::Status s = CheckRangeParam(metric, where, input.min_param);
      !s.ok()) {
    return s;
  }
  return CheckRangeParam(metric, where, input.max_param);
}

absl::Status CheckParam(const kpi_param_spec& param, absl::string_view where) {
  const kpi_param_value& def = param.default_value;
  if (def.type < KPI_TYPE_DOUBLE || def.type > KPI_TYPE_BOOL) {
    return Malformed(where, absl::StrCat("unsupported type ", def.type));
  }
  bool has_min = param.flags & KPI_PARAM_HAS_MIN;
  bool has_max = param.flags & KPI_PARAM_HAS_MAX;
  if ((has_min || has_max) && !IsNumeric(def.type)) {
    return Malformed(where, "only numeric parameters can have a range");
  }
  if (absl::Status s =
          CheckRange(where, has_min, param.min, has_max, param.max);
      !s.ok()) {
    return s;
  }
  if (IsNumeric(def.type)) {
    double value =
        def.type == KPI_TYPE_INT64 ? static_cast<double>(def.i64) : def.f64;
    if (!std::isfinite(value)) return Malformed(where, "default is not finite");
    if ((has_min && value < param.min) || (has_max && value > param.max)) {
      return Malformed(
          where, absl::StrCat("default ", value, " is outside its own range"));
    }
  }
  if (param.allowed_count > 0) {
    if (def.type != KPI_TYPE_STRING || param.allowed_values == nullptr) {
      return Malformed(where,
                       "allowed values need a string parameter and a list");
    }
  }
  if (def.type == KPI_TYPE_STRING) {
    if (def.str.data == nullptr) return Malformed(where, "default is null");
    absl::string_view value(def.str.data, def.str.size);
    bool allowed = param.allowed_count == 0;
    for (size_t i = 0; i < param.allowed_count; ++i) {
      if (param.allowed_values[i] == nullptr) {
        return Malformed(where, "null allowed value");
      }
      allowed = allowed || value == param.allowed_values[i];
    }
    if (!allowed) {
      return Malformed(
          where, absl::StrCat("default '", value, "' is not an allowed value"));
    }
  }
  return absl::OkStatus();
}

bool HasForm(const kpi_metric_descriptor& metric, absl::string_view form) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    if (metric.inputs[i].form != nullptr && form == metric.inputs[i].form) {
      return true;
    }
  }
  return false;
}

// An order names two distinct columns of one numeric or timestamp type that
// can meet in a call (the same form, or no form on either side).
absl::Status CheckInputOrder(const kpi_metric_descriptor& metric,
                             const kpi_input_order& order) {
  const std::string where =
      absl::StrCat("metric '", metric.name, "': order '",
                   order.input ? order.input : "(null)",
                   " >= ", order.not_before ? order.not_before : "(null)", "'");
  if (order.input == nullptr || order.not_before == nullptr) {
    return Malformed(where, "names a null input");
  }
  const kpi_input_spec* later = FindInput(metric, order.input);
  const kpi_input_spec* earlier = FindInput(metric, order.not_before);
  if (later == nullptr || earlier == nullptr) {
    return Malformed(where, "names an input the metric does not declare");
  }
  if (later == earlier) return Malformed(where, "names one input twice");
  if (later->kind != KPI_INPUT_COLUMN || earlier->kind != KPI_INPUT_COLUMN) {
    return Malformed(where, "orders columns only");
  }
  if (later->type != earlier->type ||
      !(IsNumeric(later->type) || later->type == KPI_TYPE_TIMESTAMP)) {
    return Malformed(where,
                     "needs two columns of one numeric or timestamp type");
  }
  if (later->form != nullptr && earlier->form != nullptr &&
      absl::string_view(later->form) != earlier->form) {
    return Malformed(where, "orders inputs of different forms");
  }
  return absl::OkStatus();
}

// A list parameter is a declared STRING parameter with at least one field;
// fields have unique valid names, a DOUBLE or STRING type, ordered finite
// bounds (DOUBLE) or allowed values (STRING); a default, when given, is a
// valid list.
absl::Status CheckListParam(const kpi_metric_descriptor& metric,
                            const kpi_list_param& list) {
  const std::string where =
      absl::StrCat("metric '", metric.name, "': list parameter '",
                   list.param ? list.param : "(null)", "'");
  const kpi_param_spec* param =
      list.param ? FindParam(metric, list.param) : nullptr;
  if (param == nullptr || param->default_value.type != KPI_TYPE_STRING) {
    return Malformed(where, "is not a declared string parameter");
  }
  if (list.num_fields == 0 || list.fields == nullptr) {
    return Malformed(where, "declares no fields");
  }
  absl::flat_hash_set<absl::string_view> names;
  for (size_t f = 0; f < list.num_fields; ++f) {
    const kpi_list_field& field = list.fields[f];
    if (!IsValidName(field.name) || !names.insert(field.name).second) {
      return Malformed(where, absl::StrCat("field ", f + 1,
                                           " has an invalid or repeated name"));
    }
    const std::string field_where =
        absl::StrCat(where, ": field '", field.name, "'");
    if (field.type != KPI_TYPE_DOUBLE && field.type != KPI_TYPE_STRING) {
      return Malformed(field_where, "must be a double or a string");
    }
    if (absl::Status s =
            CheckRange(field_where, field.flags & KPI_PARAM_HAS_MIN, field.min,
                       field.flags & KPI_PARAM_HAS_MAX, field.max);
        !s.ok()) {
      return s;
    }
    if (field.allowed_count > 0 &&
        (field.type != KPI_TYPE_STRING || field.allowed_values == nullptr)) {
      return Malformed(field_where, "allowed values need a string field");
    }
  }
  const kpi_string_view def = param->default_value.str;
  if (!(param->flags & KPI_PARAM_REQUIRED) && def.size > 0) {
    if (absl::Status s =
            CheckListValue(list, absl::string_view(def.data, def.size));
        !s.ok()) {
      return Malformed(where, absl::StrCat("default: ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMetric(const kpi_metric_descriptor& metric,
                         uint32_t abi_minor, bool code_here) {
  if (!IsValidName(metric.name)) {
    return Malformed("metric",
                     absl::StrCat("invalid name '",
                                  metric.name ? metric.name : "(null)", "'"));
  }
  std::string where = absl::StrCat("metric '", metric.name, "'");
  if (metric.description == nullptr || metric.unit == nullptr) {
    return Malformed(where, "description and unit must not be null");
  }
  if (code_here && (!metric.create || !metric.update || !metric.merge ||
                    !metric.finalize || !metric.destroy)) {
    return Malformed(where, "a lifecycle function pointer is null");
  }
  if ((metric.num_inputs > 0 && metric.inputs == nullptr) ||
      (metric.num_params > 0 && metric.params == nullptr)) {
    return Malformed(where, "inputs or params array is null");
  }
  if (metric.num_inputs == 0) return Malformed(where, "declares no inputs");
  absl::flat_hash_set<absl::string_view> names;
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& param = metric.params[i];
    if (!IsValidName(param.name)) {
      return Malformed(where,
                       absl::StrCat("parameter ", i, " has an invalid name"));
    }
    std::string param_where =
        absl::StrCat(where, ": parameter '", param.name, "'");
    if (!names.insert(param.name).second) {
      return Malformed(param_where, "declared twice");
    }
    if (absl::Status s = CheckParam(param, param_where); !s.ok()) return s;
  }
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const kpi_input_spec& input = metric.inputs[i];
    if (!IsValidName(input.name)) {
      return Malformed(where,
                       absl::StrCat("input ", i, " has an invalid name"));
    }
    std::string input_where = absl::StrCat(where, ": input '", input.name, "'");
    // Inputs and parameters share one namespace: the CLI and typed requests
    // address both by bare name.
    if (!names.insert(input.name).second) {
      return Malformed(input_where,
                       "name already used by another input or parameter");
    }
    if (absl::Status s = CheckInput(metric, input, abi_minor, input_where);
        !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& param = metric.params[i];
    if (param.form != nullptr && !HasForm(metric, param.form)) {
      return Malformed(absl::StrCat(where, ": parameter '", param.name, "'"),
                       absl::StrCat("required for form '", param.form,
                                    "', which no input declares"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

const kpi_param_spec* FindParam(const kpi_metric_descriptor& metric,
                                absl::string_view name) {
  for (size_t i = 0; i < metric.num_params; ++i) {
    if (name == metric.params[i].name) return &metric.params[i];
  }
  return nullptr;
}

bool IsValidName(const char* name) {
  if (name == nullptr || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  size_t length = 0;
  for (const char* c = name; *c != '\0'; ++c, ++length) {
    bool ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
    if (!ok || length >= kMaxNameLength) return false;
  }
  return true;
}

absl::Status CheckPluginDescriptor(const kpi_plugin_descriptor& plugin,
                                   bool code_here) {
  if (!IsValidName(plugin.name)) {
    return Malformed("plugin", "name must match [a-z][a-z0-9_]*");
  }
  if (plugin.version == nullptr || plugin.description == nullptr) {
    return Malformed("plugin", "version and description must not be null");
  }
  if (plugin.num_metrics == 0 || plugin.metrics == nullptr) {
    return Malformed("plugin", "declares no metrics");
  }
  absl::flat_hash_set<absl::string_view> names;
  for (size_t i = 0; i < plugin.num_metrics; ++i) {
    const kpi_metric_descriptor& metric = plugin.metrics[i];
    if (absl::Status s = CheckMetric(metric, plugin.abi_minor, code_here);
        !s.ok()) {
      return s;
    }
    if (!names.insert(metric.name).second) {
      return Malformed(absl::StrCat("metric '", metric.name, "'"),
                       "declared twice");
    }
    for (const kpi_input_order& order : InputOrders(plugin, i)) {
      if (absl::Status s = CheckInputOrder(metric, order); !s.ok()) return s;
    }
    for (const kpi_list_param& list : ListParams(plugin, i)) {
      if (absl::Status s = CheckListParam(metric, list); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace kpi
