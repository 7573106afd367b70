// Writing the .proto files a server sends (kpi.v1.MetricService/
// GetMetricProtos) to disk, for `kpi protos`.

#ifndef KPI_CLIENTS_CLI_PROTO_FILES_H_
#define KPI_CLIENTS_CLI_PROTO_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi::cli {

// Writes each file of `response` under `directory` at its path (making the
// directories, overwriting files) and returns the paths written, in the
// response's order. The server's paths are not trusted: unless every one is
// relative and free of "..", nothing is written and the error names the
// path (FAILED_PRECONDITION), as it does a file that cannot be written.
absl::StatusOr<std::vector<std::string>> WriteProtoFilesUnder(
    const std::string& directory,
    const kpi::v1::GetMetricProtosResponse& response);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_PROTO_FILES_H_
