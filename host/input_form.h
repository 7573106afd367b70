// Input forms: a metric may take its input in more than one shape -- totals a
// caller already has ("aggregate") or raw rows ("records") -- each a named
// set of inputs (kpi_input_spec.form). A call uses exactly one form, chosen by
// the inputs its first chunk carries.
#ifndef KPI_HOST_INPUT_FORM_H_
#define KPI_HOST_INPUT_FORM_H_

#include <vector>

#include "absl/status/statusor.h"
#include "call_args.h"
#include "kpi/plugin_abi.h"

namespace kpi {

// The form `first_chunk` uses: nullptr when the metric declares no forms;
// the only form when it declares one or the chunk names inputs of one form
// (columns without rows count only when no other input names a form).
// INVALID_ARGUMENT when the chunk mixes forms or names none while the metric
// has several, listing each form's inputs.
absl::StatusOr<const char*> ChooseInputForm(const kpi_metric_descriptor& metric,
                                            const CallArgs& first_chunk);

// Whether `input` takes part in a call that uses `form` (nullptr: the
// metric declares no forms). Inputs without a form take part in every call.
bool InForm(const kpi_input_spec& input, const char* form);

// The declared forms, in declaration order; empty when there are none.
std::vector<const char*> DeclaredForms(const kpi_metric_descriptor& metric);

}  // namespace kpi

#endif  // KPI_HOST_INPUT_FORM_H_
