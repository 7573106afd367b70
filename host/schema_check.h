// Checks that a plugin's descriptor is well formed before the server relies
// on any of it: names are identifiers and unique, types and kinds are known,
// every function pointer is set, ranges are ordered and finite, defaults fit
// their own ranges and allowed values, range parameters exist, and input
// orders (ABI 1.2) name two columns of one comparable type, and KEY inputs
// (ABI 1.3) are unranged columns of a plugin that declares 1.3.
#ifndef KPI_HOST_SCHEMA_CHECK_H_
#define KPI_HOST_SCHEMA_CHECK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "kpi/plugin_abi.h"

namespace kpi {

// OK, or INVALID_ARGUMENT whose message names the metric and the field at
// fault, e.g. "metric 'nps': input 'scores': min 10 > max 0".
// `code_here` false: the descriptor is a copy whose code runs in a plugin
// worker (descriptor_wire.h), so its function pointers are null by design.
absl::Status CheckPluginDescriptor(const kpi_plugin_descriptor& plugin,
                                   bool code_here = true);

// Whether `name` is a valid metric, input or parameter name:
// [a-z][a-z0-9_]*, at most 64 characters.
bool IsValidName(const char* name);

// The parameter of `metric` named `name`, or nullptr.
const kpi_param_spec* FindParam(const kpi_metric_descriptor& metric,
                                absl::string_view name);

}  // namespace kpi

#endif  // KPI_HOST_SCHEMA_CHECK_H_
