#include "input_form.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "declarations.h"

namespace kpi {
namespace {

std::string DescribeForms(const kpi_metric_descriptor& metric,
                          const std::vector<const char*>& forms) {
  std::vector<std::string> described;
  for (const char* form : forms) {
    std::vector<absl::string_view> names;
    for (size_t i = 0; i < metric.num_inputs; ++i) {
      const char* f = metric.inputs[i].form;
      if (f == nullptr || absl::string_view(f) == form) {
        names.push_back(metric.inputs[i].name);
      }
    }
    described.push_back(
        absl::StrCat(form, " inputs (", absl::StrJoin(names, ", "), ")"));
  }
  return absl::StrJoin(described, " or ");
}

}  // namespace

bool InForm(const kpi_input_spec& spec, const char* form) {
  return spec.form == nullptr ||
         (form != nullptr && absl::string_view(spec.form) == form);
}

std::vector<const char*> DeclaredForms(const kpi_metric_descriptor& metric) {
  std::vector<const char*> forms;
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const char* form = metric.inputs[i].form;
    if (form == nullptr) continue;
    bool seen = false;
    for (const char* f : forms) seen = seen || absl::string_view(f) == form;
    if (!seen) forms.push_back(form);
  }
  return forms;
}

absl::StatusOr<const char*> ChooseInputForm(const kpi_metric_descriptor& metric,
                                            const CallArgs& first_chunk) {
  const std::vector<const char*> forms = DeclaredForms(metric);
  if (forms.empty()) return nullptr;
  const kpi_input_spec* chosen = nullptr;
  auto consider = [&](absl::string_view name) -> absl::Status {
    const kpi_input_spec* input = FindInput(metric, name);
    if (input == nullptr || input->form == nullptr) return absl::OkStatus();
    if (chosen != nullptr && absl::string_view(chosen->form) != input->form) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", input->name, "' (", input->form, " form) and input '",
          chosen->name, "' (", chosen->form, " form) cannot be combined; ",
          metric.name, " takes ", DescribeForms(metric, forms)));
    }
    if (chosen == nullptr) chosen = input;
    return absl::OkStatus();
  };
  // Inputs with values choose the form. Empty columns vote only when
  // nothing else does: a typed request carries every repeated field, so an
  // aggregate-form typed call also holds the record form's (empty) columns.
  for (const ColumnArg& column : first_chunk.columns) {
    if (column.length == 0) continue;
    if (absl::Status s = consider(column.name); !s.ok()) return s;
  }
  for (const NamedValue& scalar : first_chunk.scalars) {
    if (absl::Status s = consider(scalar.name); !s.ok()) return s;
  }
  for (const ColumnArg& column : first_chunk.columns) {
    if (chosen != nullptr) break;
    if (absl::Status s = consider(column.name); !s.ok()) return s;
  }
  if (chosen != nullptr) return chosen->form;
  if (forms.size() == 1) return forms[0];
  return absl::InvalidArgumentError(absl::StrCat(
      metric.name, " takes ", DescribeForms(metric, forms), "; none given"));
}

}  // namespace kpi
