#include "call_keys.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

absl::Status AtRow(const kpi_input_spec& spec, uint64_t row,
                   const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return status;
  return absl::InvalidArgumentError(absl::StrCat("input '", spec.name, "' row ",
                                                 row, ": ", status.message()));
}

}  // namespace

CallKeys::CallKeys(const kpi_metric_descriptor& metric, uint64_t max_keys)
    : inputs_(metric.num_inputs) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const kpi_input_spec& spec = metric.inputs[i];
    inputs_[i].spec = &spec;
    if (spec.type != KPI_TYPE_KEY) continue;
    inputs_[i].dictionary = std::make_unique<KeyDictionary>(
        absl::StrCat("input '", spec.name, "'"), max_keys,
        " (kpi-server --max-distinct-keys); split the call, or raise the "
        "limit");
  }
}

absl::Status CallKeys::Bind(size_t input, const ColumnArg& arg,
                            uint64_t row_offset, int32_t* codes) {
  Input& in = inputs_[input];
  size_t failed_row = 0;
  absl::Status status;
  switch (arg.type) {
    case KPI_TYPE_STRING:
      status = in.dictionary->InternTexts(
          arg.length, [&arg](size_t row) { return arg.Text(row); }, codes,
          failed_row);
      break;
    case KPI_TYPE_INT64:
      status =
          in.dictionary->InternNumbers(arg.i64, arg.length, codes, failed_row);
      break;
    case KPI_TYPE_KEY:
      return BindEncoded(input, arg, row_offset, codes);
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("input '", in.spec->name,
                       "': a key column holds strings, int64s or "
                       "dictionary codes"));
  }
  if (status.ok()) return status;
  return AtRow(*in.spec, row_offset + failed_row, status);
}

absl::Status CallKeys::BindEncoded(size_t input, const ColumnArg& arg,
                                   uint64_t row_offset, int32_t* codes) {
  Input& in = inputs_[input];
  for (int i = 0; i < arg.entries->size(); ++i) {
    absl::StatusOr<int32_t> code = in.dictionary->Intern((*arg.entries)[i]);
    if (!code.ok()) {
      if (code.status().code() != absl::StatusCode::kInvalidArgument) {
        return code.status();
      }
      return absl::InvalidArgumentError(
          absl::StrCat("input '", in.spec->name, "': dictionary entry ",
                       in.from_caller.size(), " (entry ", i,
                       " of this chunk): ", code.status().message()));
    }
    in.from_caller.push_back(*code);
  }
  const size_t known = in.from_caller.size();
  const int32_t* to_code = in.from_caller.data();
  for (size_t row = 0; row < arg.length; ++row) {
    const uint32_t code = arg.codes[row];
    if (code >= known) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", in.spec->name, "' row ", row_offset + row, ": code ", code,
          " is not in the dictionary, which has ", known,
          " entries so far (codes start at 0; send a key's entry in the "
          "chunk that first uses it, or an earlier one)"));
    }
    codes[row] = to_code[code];
  }
  return absl::OkStatus();
}

}  // namespace kpi
