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

const char* TypeName(int type) { return NamesOf(type).bare; }

const char* TypeNameWithArticle(int type) { return NamesOf(type).with_article; }

}  // namespace kpi
