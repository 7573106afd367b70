// Lookups over a metric's declarations (kpi_metric_descriptor) that call
// binding, form choice and the conformance checks share.
#ifndef KPI_HOST_DECLARATIONS_H_
#define KPI_HOST_DECLARATIONS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "kpi/plugin_abi.h"

namespace kpi {

// The position of input `name` among the metric's inputs, or -1.
int InputIndex(const kpi_metric_descriptor& metric, absl::string_view name);

// Input `name`, or nullptr.
const kpi_input_spec* FindInput(const kpi_metric_descriptor& metric,
                                absl::string_view name);

// The input orders metric `index` of `plugin` declares (ABI 1.2
// metric_extras); none for a plugin built against an older minor version.
absl::Span<const kpi_input_order> InputOrders(
    const kpi_plugin_descriptor& plugin, size_t index);

// The list parameters metric `index` of `plugin` declares (ABI 1.2);
// none for a plugin built against an older minor version.
absl::Span<const kpi_list_param> ListParams(const kpi_plugin_descriptor& plugin,
                                            size_t index);

// "double", "int64", "string", "timestamp", "bool"; "no values" for a value
// the ABI does not define (a column that carries none).
const char* TypeName(int type);
// The same with its article, for messages: "a double", "an int64".
const char* TypeNameWithArticle(int type);

}  // namespace kpi

#endif  // KPI_HOST_DECLARATIONS_H_
