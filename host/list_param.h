// List parameters (ABI 1.2 kpi_list_param): STRING parameters whose value
// is a list of records, "usage:2:higher,tickets:1:lower:0:20", checked
// against the fields the metric declares before its create() sees them.
#ifndef KPI_HOST_LIST_PARAM_H_
#define KPI_HOST_LIST_PARAM_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "kpi/plugin_abi.h"

namespace kpi {

// The declaration of list parameter `param` among `lists`, or nullptr.
const kpi_list_param* FindListParam(absl::Span<const kpi_list_param> lists,
                                    absl::string_view param);

// OK when `text` is a list of `list`'s records: items separated by ',' and
// fields by ':' (spaces around each trimmed), no empty item, every field
// given but a trailing optional group, numbers finite and in range, strings
// not empty and allowed. Otherwise INVALID_ARGUMENT naming the parameter,
// the item (from 1, quoted) and the field, e.g. "parameter 'signals' item 2
// ("usage:x:higher") field 'weight': "x" is not a number".
absl::Status CheckListValue(const kpi_list_param& list, absl::string_view text);

// A valid one-item value of `list` (its required fields: the first allowed
// string or the field's name, 1 clamped to the number's range), for calls
// the conformance checks generate.
std::string ListSample(const kpi_list_param& list);

}  // namespace kpi

#endif  // KPI_HOST_LIST_PARAM_H_
