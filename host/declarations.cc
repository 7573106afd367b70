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

absl::Span<const kpi_input_order> InputOrders(
    const kpi_plugin_descriptor& plugin, size_t index) {
  if (plugin.abi_minor < 2 || plugin.metric_extras == nullptr ||
      index >= plugin.num_metrics) {
    return {};
  }
  const kpi_metric_extras* extras = plugin.metric_extras[index];
  if (extras == nullptr || extras->input_orders == nullptr) return {};
  return absl::MakeConstSpan(extras->input_orders, extras->num_input_orders);
}

absl::Span<const kpi_list_param> ListParams(const kpi_plugin_descriptor& plugin,
                                            size_t index) {
  if (plugin.abi_minor < 2 || plugin.metric_extras == nullptr ||
      index >= plugin.num_metrics) {
    return {};
  }
  const kpi_metric_extras* extras = plugin.metric_extras[index];
  if (extras == nullptr || extras->list_params == nullptr) return {};
  return absl::MakeConstSpan(extras->list_params, extras->num_list_params);
}

const char* TypeName(int type) { return NamesOf(type).bare; }

const char* TypeNameWithArticle(int type) { return NamesOf(type).with_article; }

}  // namespace kpi
