// The --json output: a response message as one line of JSON.

#ifndef KPI_CLIENTS_CLI_JSON_OUTPUT_H_
#define KPI_CLIENTS_CLI_JSON_OUTPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace kpi::cli {

// `message` in protobuf's JSON mapping, keeping the proto field names
// ("plugin_version", not "pluginVersion") and leaving out fields that hold
// their default value. No trailing newline.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_JSON_OUTPUT_H_
