#include "declarations.h"

namespace kpi {
namespace {

struct TypeNames {
  const char* bare;
  const char* with_article;
};

TypeNames NamesOf(int type) {
  switch (type) {
    case KPI_TYPE_DOUBLE:
      return {"double", "a double"};
    case KPI_TYPE_INT64:
      return {"int64", "an int64"};
    case KPI_TYPE_STRING:
      return {"string", "a string"};
    case KPI_TYPE_TIMESTAMP:
      return {"timestamp", "a timestamp"};
    case KPI_TYPE_BOOL:
      return {"bool", "a bool"};
    case KPI_TYPE_KEY:
      return {"key", "a key"};
    default:
      return {"no values", "no values"};
  }
}

}  // namespace

int InputIndex(const kpi_metric_descriptor& metric, absl::string_view name) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    if (name == metric.inputs[i].name) return static_cast<int>(i);
  }
  return -1;
}

const kpi_input_spec* FindInput(const kpi_metric_descriptor& metric,
                                absl::string_view name) {
  const int index = InputIndex(metric, name);
  return index < 0 ? nullptr : &metric.inputs[index];
}

namespace {

// The ABI 1.2 extras of metric `index`, or nullptr: none declared, or a
// plugin older than 1.2, whose descriptor has no metric_extras field.
const kpi_metric_extras* ExtrasOf(const kpi_plugin_descriptor& plugin,
                                  size_t index) {
  if (plugin.abi_minor < 2 || plugin.metric_extras == nullptr ||
      index >= plugin.num_metrics) {
    return nullptr;
  }
  return plugin.metric_extras[index];
}

template <typename T>
absl::Span<const T> SpanOf(const T* data, size_t size) {
  return data == nullptr ? absl::Span<const T>()
                         : absl::MakeConstSpan(data, size);
}

}  // namespace

absl::Span<const kpi_input_order> InputOrders(
    const kpi_plugin_descriptor& plugin, size_t index) {
  const kpi_metric_extras* extras = ExtrasOf(plugin, index);
  if (extras == nullptr) return {};
  return SpanOf(extras->input_orders, extras->num_input_orders);
}

absl::Span<const kpi_list_param> ListParams(const kpi_plugin_descriptor& plugin,
                                            size_t index) {
  const kpi_metric_extras* extras = ExtrasOf(plugin, index);
  if (extras == nullptr) return {};
  return SpanOf(extras->list_params, extras->num_list_params);
}

const char* TypeName(int type) { return NamesOf(type).bare; }

const char* TypeNameWithArticle(int type) { return NamesOf(type).with_article; }

}  // namespace kpi
