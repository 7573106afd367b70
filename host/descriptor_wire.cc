#include "descriptor_wire.h"

#include "declarations.h"

namespace kpi {

void WriteParamValue(const kpi_param_value& value, WireWriter& out) {
  out.Put<int32_t>(value.type);
  out.Put<double>(value.f64);
  out.Put<int64_t>(value.i64);
  out.Put<int32_t>(value.boolean);
  out.PutString(value.str.data == nullptr
                    ? absl::string_view()
                    : absl::string_view(value.str.data, value.str.size));
}

bool ReadParamValue(WireReader& in, kpi_param_value& value) {
  absl::string_view text;
  if (!in.Get(value.type) || !in.Get(value.f64) || !in.Get(value.i64) ||
      !in.Get(value.boolean) || !in.GetString(text)) {
    return false;
  }
  value.str = {text.data(), text.size()};
  return true;
}

namespace {

void WriteColumn(const kpi_column& column, WireWriter& out) {
  out.Put<int32_t>(column.type);
  out.Put<uint8_t>(column.f64 != nullptr);
  out.Put<uint8_t>(column.i64 != nullptr);
  out.Put<uint8_t>(column.str != nullptr);
  if (column.f64) out.PutArray(column.f64, column.length);
  if (column.i64) out.PutArray(column.i64, column.length);
  if (column.str) {
    out.Put<uint64_t>(column.length);
    for (size_t i = 0; i < column.length; ++i) {
      out.PutString(absl::string_view(column.str[i].data, column.str[i].size));
    }
  }
  out.Put<uint64_t>(column.length);
}

// A list of allowed values (a parameter's, a list field's): the count, then
// each string. Read back by DescriptorCopy::ReadStrings.
void WriteStrings(const char* const* values, size_t count, WireWriter& out) {
  out.Put<uint64_t>(values ? count : 0);
  for (size_t k = 0; values && k < count; ++k) out.PutCString(values[k]);
}

void WriteMetric(const kpi_metric_descriptor& metric, WireWriter& out) {
  out.PutCString(metric.name);
  out.PutCString(metric.description);
  out.PutCString(metric.unit);
  out.Put<uint64_t>(metric.num_inputs);
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const kpi_input_spec& in = metric.inputs[i];
    out.PutCString(in.name);
    out.PutCString(in.description);
    out.Put<int32_t>(in.type);
    out.Put<int32_t>(in.kind);
    out.Put<uint32_t>(in.flags);
    out.Put<double>(in.min);
    out.Put<double>(in.max);
    out.PutCString(in.min_param);
    out.PutCString(in.max_param);
    out.PutCString(in.form);
  }
  out.Put<uint64_t>(metric.num_params);
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& p = metric.params[i];
    out.PutCString(p.name);
    out.PutCString(p.description);
    WriteParamValue(p.default_value, out);
    out.Put<uint32_t>(p.flags);
    out.Put<double>(p.min);
    out.Put<double>(p.max);
    WriteStrings(p.allowed_values, p.allowed_count, out);
    out.PutCString(p.form);
  }
  const size_t examples = metric.examples ? metric.num_examples : 0;
  out.Put<uint64_t>(examples);
  for (size_t e = 0; e < examples; ++e) {
    const kpi_example& ex = metric.examples[e];
    out.PutCString(ex.name);
    out.Put<uint64_t>(ex.params ? ex.num_params : 0);
    for (size_t k = 0; ex.params && k < ex.num_params; ++k) {
      out.PutCString(ex.params[k].name);
      WriteParamValue(ex.params[k].value, out);
    }
    out.Put<uint64_t>(ex.inputs ? ex.num_inputs : 0);
    for (size_t k = 0; ex.inputs && k < ex.num_inputs; ++k) {
      out.PutCString(ex.inputs[k].name);
      WriteColumn(ex.inputs[k].values, out);
    }
    out.Put<int32_t>(ex.expect);
    out.Put<double>(ex.value);
    out.Put<double>(ex.tolerance);
  }
}

}  // namespace

void WriteDescriptor(const kpi_plugin_descriptor& plugin, WireWriter& out) {
  out.Put<uint32_t>(plugin.abi_major);
  out.Put<uint32_t>(plugin.abi_minor);
  out.PutCString(plugin.name);
  out.PutCString(plugin.version);
  out.PutCString(plugin.description);
  out.Put<uint64_t>(plugin.metrics ? plugin.num_metrics : 0);
  for (size_t m = 0; plugin.metrics && m < plugin.num_metrics; ++m) {
    WriteMetric(plugin.metrics[m], out);
  }
  // ABI 1.2 extras, whatever the plugin's minor version: none before 1.2.
  for (size_t m = 0; plugin.metrics && m < plugin.num_metrics; ++m) {
    const absl::Span<const kpi_input_order> orders = InputOrders(plugin, m);
    out.Put<uint64_t>(orders.size());
    for (const kpi_input_order& order : orders) {
      out.PutCString(order.input);
      out.PutCString(order.not_before);
    }
    const absl::Span<const kpi_list_param> lists = ListParams(plugin, m);
    out.Put<uint64_t>(lists.size());
    for (const kpi_list_param& list : lists) {
      out.PutCString(list.param);
      out.Put<uint64_t>(list.fields ? list.num_fields : 0);
      for (size_t f = 0; list.fields && f < list.num_fields; ++f) {
        const kpi_list_field& field = list.fields[f];
        out.PutCString(field.name);
        out.PutCString(field.description);
        out.Put<int32_t>(field.type);
        out.Put<uint32_t>(field.flags);
        out.Put<double>(field.min);
        out.Put<double>(field.max);
        WriteStrings(field.allowed_values, field.allowed_count, out);
      }
    }
  }
}

bool DescriptorCopy::ReadListParams(WireReader& in, kpi_metric_extras& extras) {
  size_t count = 0;
  if (!in.GetCount(count)) return false;
  std::vector<kpi_list_param>& lists = list_params_.emplace_back(count);
  for (kpi_list_param& list : lists) {
    list.param = Text(in);
    if (!in.GetCount(list.num_fields)) return false;
    std::vector<kpi_list_field>& fields =
        list_fields_.emplace_back(list.num_fields);
    for (kpi_list_field& field : fields) {
      field.name = Text(in);
      field.description = Text(in);
      int32_t type = 0;
      if (!in.Get(type) || !in.Get(field.flags) || !in.Get(field.min) ||
          !in.Get(field.max) ||
          !ReadStrings(in, field.allowed_values, field.allowed_count)) {
        return false;
      }
      field.type = static_cast<kpi_value_type>(type);
    }
    list.fields = fields.empty() ? nullptr : fields.data();
  }
  extras.list_params = lists.empty() ? nullptr : lists.data();
  extras.num_list_params = lists.size();
  return true;
}

bool DescriptorCopy::ReadStrings(WireReader& in, const char* const*& values,
                                 size_t& count) {
  if (!in.GetCount(count)) return false;
  std::vector<const char*>& kept = string_lists_.emplace_back(count);
  for (const char*& value : kept) value = Text(in);
  values = kept.empty() ? nullptr : kept.data();
  return true;
}

const char* DescriptorCopy::Text(WireReader& in) {
  std::string text;
  bool is_null = false;
  if (!in.GetCString(text, is_null) || is_null) return nullptr;
  return strings_.emplace_back(std::move(text)).c_str();
}

bool DescriptorCopy::ReadValue(WireReader& in, kpi_param_value& value) {
  if (!ReadParamValue(in, value)) return false;
  const absl::string_view text(value.str.data, value.str.size);
  const std::string& kept = strings_.emplace_back(text);
  value.str = {
      text.empty() && value.type != KPI_TYPE_STRING ? nullptr : kept.c_str(),
      kept.size()};
  return true;
}

bool DescriptorCopy::ReadColumn(WireReader& in, kpi_column& column) {
  uint8_t has_f64 = 0, has_i64 = 0, has_str = 0;
  if (!in.Get(column.type) || !in.Get(has_f64) || !in.Get(has_i64) ||
      !in.Get(has_str)) {
    return false;
  }
  size_t count = 0;
  if (has_f64) {
    const double* values = nullptr;
    if (!in.GetArray(values, count)) return false;
    column.f64 = doubles_.emplace_back(values, values + count).data();
  }
  if (has_i64) {
    const int64_t* values = nullptr;
    if (!in.GetArray(values, count)) return false;
    column.i64 = ints_.emplace_back(values, values + count).data();
  }
  if (has_str) {
    if (!in.GetCount(count)) return false;
    std::vector<kpi_string_view>& views = views_.emplace_back(count);
    for (size_t i = 0; i < count; ++i) {
      absl::string_view text;
      if (!in.GetString(text)) return false;
      const std::string& kept = strings_.emplace_back(text);
      views[i] = {kept.data(), kept.size()};
    }
    column.str = views.data();
  }
  uint64_t length = 0;
  if (!in.Get(length)) return false;
  if ((has_f64 || has_i64 || has_str) && length != count) {
    return in.Fail("example column length differs from its values");
  }
  column.length = length;
  return true;
}

bool DescriptorCopy::ReadMetric(WireReader& in, kpi_metric_descriptor& m) {
  m = kpi_metric_descriptor{};
  m.name = Text(in);
  m.description = Text(in);
  m.unit = Text(in);
  if (!in.GetCount(m.num_inputs)) return false;
  std::vector<kpi_input_spec>& inputs = inputs_.emplace_back(m.num_inputs);
  for (kpi_input_spec& spec : inputs) {
    spec.name = Text(in);
    spec.description = Text(in);
    if (!in.Get(spec.type) || !in.Get(spec.kind) || !in.Get(spec.flags) ||
        !in.Get(spec.min) || !in.Get(spec.max)) {
      return false;
    }
    spec.min_param = Text(in);
    spec.max_param = Text(in);
    spec.form = Text(in);
  }
  m.inputs = inputs.empty() ? nullptr : inputs.data();
  if (!in.GetCount(m.num_params)) return false;
  std::vector<kpi_param_spec>& params = params_.emplace_back(m.num_params);
  for (kpi_param_spec& spec : params) {
    spec.name = Text(in);
    spec.description = Text(in);
    if (!ReadValue(in, spec.default_value) || !in.Get(spec.flags) ||
        !in.Get(spec.min) || !in.Get(spec.max) ||
        !ReadStrings(in, spec.allowed_values, spec.allowed_count)) {
      return false;
    }
    spec.form = Text(in);
  }
  m.params = params.empty() ? nullptr : params.data();
  if (!in.GetCount(m.num_examples)) return false;
  std::vector<kpi_example>& examples = examples_.emplace_back(m.num_examples);
  for (kpi_example& ex : examples) {
    ex.name = Text(in);
    if (!in.GetCount(ex.num_params)) return false;
    std::vector<kpi_example_param>& ps =
        example_params_.emplace_back(ex.num_params);
    for (kpi_example_param& p : ps) {
      p.name = Text(in);
      if (!ReadValue(in, p.value)) return false;
    }
    ex.params = ps.empty() ? nullptr : ps.data();
    if (!in.GetCount(ex.num_inputs)) return false;
    std::vector<kpi_example_input>& is =
        example_inputs_.emplace_back(ex.num_inputs);
    for (kpi_example_input& input : is) {
      input.name = Text(in);
      input.values = kpi_column{};
      if (!ReadColumn(in, input.values)) return false;
    }
    ex.inputs = is.empty() ? nullptr : is.data();
    if (!in.Get(ex.expect) || !in.Get(ex.value) || !in.Get(ex.tolerance)) {
      return false;
    }
  }
  m.examples = examples.empty() ? nullptr : examples.data();
  return in.status().ok();
}

absl::StatusOr<std::unique_ptr<const DescriptorCopy>> DescriptorCopy::Read(
    WireReader& in) {
  std::unique_ptr<DescriptorCopy> copy(new DescriptorCopy());
  kpi_plugin_descriptor& d = copy->plugin_;
  in.Get(d.abi_major);
  in.Get(d.abi_minor);
  d.name = copy->Text(in);
  d.version = copy->Text(in);
  d.description = copy->Text(in);
  size_t count = 0;
  if (in.GetCount(count)) {
    copy->metrics_.resize(count);
    for (kpi_metric_descriptor& metric : copy->metrics_) {
      if (!copy->ReadMetric(in, metric)) break;
    }
  }
  copy->extras_.resize(copy->metrics_.size());
  for (kpi_metric_extras& extras : copy->extras_) {
    size_t orders = 0;
    if (!in.GetCount(orders)) break;
    std::vector<kpi_input_order>& kept = copy->orders_.emplace_back(orders);
    for (kpi_input_order& order : kept) {
      order.input = copy->Text(in);
      order.not_before = copy->Text(in);
    }
    extras.input_orders = kept.empty() ? nullptr : kept.data();
    extras.num_input_orders = kept.size();
    if (!copy->ReadListParams(in, extras)) break;
  }
  if (!in.status().ok()) return in.status();
  d.metrics = copy->metrics_.empty() ? nullptr : copy->metrics_.data();
  d.num_metrics = copy->metrics_.size();
  // Read only for a plugin of minor version 2 or later; an older plugin's
  // are empty.
  for (const kpi_metric_extras& extras : copy->extras_) {
    copy->extras_pointers_.push_back(&extras);
  }
  d.metric_extras =
      copy->extras_pointers_.empty() ? nullptr : copy->extras_pointers_.data();
  return std::unique_ptr<const DescriptorCopy>(std::move(copy));
}

}  // namespace kpi
