#include "bound_params.h"

#include <cmath>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "declarations.h"
#include "list_param.h"
#include "quoted.h"
#include "timestamp_range.h"

namespace kpi {
namespace {

std::string DeclaredNames(const kpi_metric_descriptor& metric) {
  std::vector<absl::string_view> names;
  for (size_t i = 0; i < metric.num_params; ++i) {
    names.push_back(metric.params[i].name);
  }
  if (names.empty()) return absl::StrCat(metric.name, " takes no parameters");
  return absl::StrCat(metric.name, " takes: ", absl::StrJoin(names, ", "));
}

absl::Status ParamError(const kpi_param_spec& spec, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("parameter '", spec.name, "': ", what));
}

absl::Status CheckNumber(const kpi_param_spec& spec, double value) {
  if (!std::isfinite(value)) return ParamError(spec, "must be finite");
  if ((spec.flags & KPI_PARAM_INTEGRAL) && value != std::floor(value)) {
    return ParamError(spec, absl::StrCat(value, " is not a whole number"));
  }
  if ((spec.flags & KPI_PARAM_HAS_MIN) && value < spec.min) {
    return ParamError(spec,
                      absl::StrCat(value, " is below the minimum ", spec.min));
  }
  if ((spec.flags & KPI_PARAM_HAS_MAX) && value > spec.max) {
    return ParamError(spec,
                      absl::StrCat(value, " is above the maximum ", spec.max));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BoundParams> BoundParams::Bind(
    const kpi_metric_descriptor& metric, const std::vector<NamedValue>& given,
    absl::Span<const kpi_list_param> lists) {
  BoundParams bound(metric);
  bound.values_.reserve(metric.num_params);
  bound.given_.assign(metric.num_params, false);
  for (size_t i = 0; i < metric.num_params; ++i) {
    bound.values_.push_back(metric.params[i].default_value);
  }
  for (const NamedValue& arg : given) {
    size_t index = 0;
    while (index < metric.num_params && arg.name != metric.params[index].name) {
      ++index;
    }
    if (index == metric.num_params) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown parameter ", Quoted(arg.name), "; ", DeclaredNames(metric)));
    }
    const kpi_param_spec& spec = metric.params[index];
    kpi_param_value& out = bound.values_[index];
    const v1::Value& value = *arg.value;
    auto wrong_type = [&] {
      return ParamError(
          spec, absl::StrCat("must be ", TypeNameWithArticle(out.type)));
    };
    switch (out.type) {
      case KPI_TYPE_DOUBLE:
        if (value.kind_case() == v1::Value::kDoubleValue) {
          out.f64 = value.double_value();
        } else if (value.kind_case() == v1::Value::kInt64Value) {
          out.f64 = static_cast<double>(value.int64_value());
        } else {
          return wrong_type();
        }
        if (absl::Status s = CheckNumber(spec, out.f64); !s.ok()) return s;
        break;
      case KPI_TYPE_INT64:
        if (value.kind_case() != v1::Value::kInt64Value) return wrong_type();
        out.i64 = value.int64_value();
        if (absl::Status s = CheckNumber(spec, static_cast<double>(out.i64));
            !s.ok()) {
          return s;
        }
        break;
      case KPI_TYPE_BOOL:
        if (value.kind_case() != v1::Value::kBoolValue) return wrong_type();
        out.boolean = value.bool_value() ? 1 : 0;
        break;
      case KPI_TYPE_STRING: {
        if (value.kind_case() != v1::Value::kStringValue) return wrong_type();
        const std::string& text = value.string_value();
        if (spec.allowed_count > 0) {
          bool allowed = false;
          for (size_t i = 0; i < spec.allowed_count; ++i) {
            allowed = allowed || text == spec.allowed_values[i];
          }
          if (!allowed) {
            return ParamError(
                spec, absl::StrCat(
                          Quoted(text), " is not one of: ",
                          absl::StrJoin(
                              spec.allowed_values,
                              spec.allowed_values + spec.allowed_count, ", ")));
          }
        }
        if (const kpi_list_param* list = FindListParam(lists, spec.name)) {
          if (absl::Status s = CheckListValue(*list, text); !s.ok()) return s;
        }
        bound.strings_.push_back(text);
        out.str = {bound.strings_.back().data(), bound.strings_.back().size()};
        break;
      }
      case KPI_TYPE_TIMESTAMP:
        if (value.kind_case() == v1::Value::kTimestampValue) {
          absl::StatusOr<int64_t> micros =
              TimestampToMicros(value.timestamp_value());
          if (!micros.ok()) return ParamError(spec, micros.status().message());
          out.i64 = *micros;
        } else if (value.kind_case() == v1::Value::kInt64Value) {
          out.i64 = value.int64_value();  // microseconds since the epoch
          const std::string problem = TimestampMicrosProblem(out.i64);
          if (!problem.empty()) return ParamError(spec, problem);
        } else {
          return wrong_type();
        }
        break;
    }
    bound.given_[index] = true;
  }
  return bound;
}

uint64_t BoundParams::ByteSize() const {
  uint64_t bytes = values_.size() * sizeof(kpi_param_value);
  for (const std::string& text : strings_) bytes += text.size();
  return bytes;
}

absl::Status BoundParams::CheckRequired(const char* form) const {
  for (size_t i = 0; i < metric_->num_params; ++i) {
    const kpi_param_spec& spec = metric_->params[i];
    if (!(spec.flags & KPI_PARAM_REQUIRED) || given_[i]) continue;
    if (spec.form != nullptr &&
        (form == nullptr || std::strcmp(spec.form, form) != 0)) {
      continue;
    }
    return ParamError(
        spec, spec.form ? absl::StrCat("required by ", metric_->name, " (",
                                       spec.form, " form) but not set")
                        : absl::StrCat("required by ", metric_->name,
                                       " but not set"));
  }
  return absl::OkStatus();
}

double BoundParams::Numeric(absl::string_view name) const {
  for (size_t i = 0; i < metric_->num_params; ++i) {
    if (name == metric_->params[i].name) {
      const kpi_param_value& v = values_[i];
      return v.type == KPI_TYPE_INT64 ? static_cast<double>(v.i64) : v.f64;
    }
  }
  return 0;  // unreachable for a checked schema
}

BoundParams BoundParams::FromValues(
    const kpi_metric_descriptor& metric,
    const std::vector<kpi_param_value>& values) {
  BoundParams bound(metric);
  bound.values_ = values;
  bound.given_.assign(values.size(), true);
  for (kpi_param_value& value : bound.values_) {
    if (value.str.data == nullptr) continue;
    const std::string& kept =
        bound.strings_.emplace_back(value.str.data, value.str.size);
    value.str = {kept.c_str(), kept.size()};
  }
  return bound;
}

v1::Value ToRequestValue(const kpi_param_value& value) {
  v1::Value out;
  switch (value.type) {
    case KPI_TYPE_DOUBLE:
      out.set_double_value(value.f64);
      break;
    case KPI_TYPE_STRING:
      out.set_string_value(std::string(value.str.data, value.str.size));
      break;
    case KPI_TYPE_BOOL:
      out.set_bool_value(value.boolean != 0);
      break;
    default:  // INT64, and TIMESTAMP as int64 microseconds
      out.set_int64_value(value.i64);
      break;
  }
  return out;
}

}  // namespace kpi
