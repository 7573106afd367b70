// The --input-json option of `kpi compute`: where its text comes from and
// how it becomes a JSON object.

#ifndef KPI_CLIENTS_CLI_INPUT_JSON_H_
#define KPI_CLIENTS_CLI_INPUT_JSON_H_

#include <istream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace kpi::cli {

// The JSON text the argument of --input-json stands for: "-" reads `in` (the
// process's stdin) to its end, "@PATH" reads the file PATH, anything else is
// the JSON itself. Returns a UsageError when the file or stream cannot be
// read.
absl::StatusOr<std::string> ReadInputJson(absl::string_view argument,
                                          std::istream& in);

// Parses `json` into an object (with protobuf's JSON parser: no other JSON
// library is needed). Returns a UsageError when `json` is not a JSON object.
absl::StatusOr<google::protobuf::Struct> ParseInputJson(absl::string_view json);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_INPUT_JSON_H_
