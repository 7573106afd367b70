// The typed API of the loaded metrics, made from their declarations: one
// .proto file per plugin, bundled or not, so every metric -- a team's plugin
// metric included -- has a request message, a response message and a method
// that any language's protoc can compile, with no proto edit and no server
// rebuild.
//
// Naming (docs/clients.md, "Typed methods from the declarations"):
// - file    kpi/plugins/PLUGIN/vMAJOR/PLUGIN.proto
// - package kpi.plugins.PLUGIN.vMAJOR  (MAJOR: the leading number of the
//           plugin's version string, 0 if it has none)
// - service PluginService, e.g. kpi.plugins.survey.v1.SurveyService
// - method  ComputeMetric(ComputeMetricRequest) returns
//           (ComputeMetricResponse), e.g. ComputeNps
// Request fields map onto the metric's inputs and parameters by name
// (host/call_args.h, ArgsFromTypedRequest), as the kpi.v1 typed messages do:
//   parameters = 1  MetricParameters, a field per declared parameter
//   profile    = 2  a parameter profile's name
//   inputs     = 3 and up, in declaration order: a column is a repeated
//                field (double; sfixed64 for INT64 and TIMESTAMP, as unix
//                microseconds; string for STRING and KEY), a scalar an
//                optional field (google.protobuf.Timestamp for TIMESTAMP)
// Parameters are numbered from 1 in declaration order. A plugin that only
// appends inputs and parameters keeps every number, so its callers' stubs
// stay valid; the response is kpi.v1.MetricResult in field 1.
#ifndef KPI_SERVICE_METRIC_PROTOS_H_
#define KPI_SERVICE_METRIC_PROTOS_H_

#include <google/protobuf/descriptor.pb.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kpi/plugin_abi.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi {

// The .proto file of one plugin's metrics.
google::protobuf::FileDescriptorProto PluginProtoFile(
    const kpi_plugin_descriptor& plugin);

// `file` as .proto source, with its comments. INTERNAL if it does not build
// (a defect here, not in the plugin: names are checked at load).
absl::StatusOr<std::string> ProtoSource(
    const google::protobuf::FileDescriptorProto& file);

// The .proto file of `plugin`: its path (PluginProtoFile's name) and its
// source (ProtoSource), as kpi.v1.MetricService/GetMetricProtos answers it.
absl::StatusOr<v1::ProtoFile> PluginProtoSource(
    const kpi_plugin_descriptor& plugin);

// The kpi.v1 files every plugin's file imports (kpi/v1/result.proto and
// kpi/v1/values.proto), as the build embedded them from proto/: with them a
// plugin's file compiles with nothing else at hand but protoc's own
// google/protobuf/*. Sorted by path.
std::vector<v1::ProtoFile> ImportedApiProtoFiles();

// Writes the .proto file of each of `plugins`, and the ImportedApiProtoFiles
// they import, under `directory` (at their paths, making directories) and
// returns the paths written. FAILED_PRECONDITION naming the path that could
// not be written.
absl::StatusOr<std::vector<std::string>> WriteProtoFiles(
    const std::vector<const kpi_plugin_descriptor*>& plugins,
    const std::string& directory);

}  // namespace kpi

#endif  // KPI_SERVICE_METRIC_PROTOS_H_
