#include "commands.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "cli_status.h"
#include "input_json.h"
#include "json_output.h"
#include "metric_format.h"
#include "proto_files.h"
#include "reload_format.h"
#include "request_builder.h"
#include "result_format.h"

namespace kpi::cli {
namespace {

// `answer` of a kpi::Client call, its error as the CLI's.
template <typename Response>
absl::StatusOr<Response> Cli(absl::StatusOr<Response> answer) {
  if (!answer.ok()) return ClientError(answer.status());
  return answer;
}

// Prints `message` as one line of JSON.
absl::Status PrintJson(const google::protobuf::Message& message,
                       std::ostream& out) {
  absl::StatusOr<std::string> json = ToJson(message);
  if (!json.ok()) return json.status();
  out << *json << "\n";
  return absl::OkStatus();
}

absl::Status RunList(const Options& options, Client& client,
                     std::ostream& out) {
  absl::StatusOr<kpi::v1::ListMetricsResponse> response =
      Cli(client.ListMetrics());
  if (!response.ok()) return response.status();
  if (options.json) return PrintJson(*response, out);
  out << FormatMetricTable(response->metrics());
  return absl::OkStatus();
}

absl::Status RunDescribe(const Options& options, const std::string& metric,
                         Client& client, std::ostream& out) {
  absl::StatusOr<kpi::v1::DescribeMetricResponse> response =
      Cli(client.DescribeMetric(metric));
  if (!response.ok()) return response.status();
  if (options.json) return PrintJson(*response, out);
  out << FormatMetricDescription(response->metric());
  return absl::OkStatus();
}

absl::Status RunCompute(const Invocation& invocation, Client& client,
                        std::istream& in, std::ostream& out) {
  const std::string& metric = invocation.operands.front();
  const absl::Span<const std::string> assignments =
      absl::MakeConstSpan(invocation.operands).subspan(1);
  // Everything that can be checked without the server is checked first, so
  // a typo is reported even when the server is down.
  if (absl::Status status = CheckAssignments(assignments); !status.ok()) {
    return status;
  }
  std::optional<google::protobuf::Struct> input_json;
  if (invocation.input_json.has_value()) {
    absl::StatusOr<std::string> text =
        ReadInputJson(*invocation.input_json, in);
    if (!text.ok()) return text.status();
    absl::StatusOr<google::protobuf::Struct> parsed = ParseInputJson(*text);
    if (!parsed.ok()) return parsed.status();
    input_json = *std::move(parsed);
  }

  absl::StatusOr<kpi::v1::DescribeMetricResponse> described =
      Cli(client.DescribeMetric(metric));
  if (!described.ok()) return described.status();
  absl::StatusOr<kpi::v1::ComputeRequest> request = BuildComputeRequest(
      described->metric(), assignments,
      input_json.has_value() ? &*input_json : nullptr, invocation.group_by);
  if (!request.ok()) return request.status();
  // The name the user typed, should the server describe it under another.
  request->set_metric(metric);
  if (invocation.profile.has_value()) request->set_profile(*invocation.profile);

  absl::StatusOr<kpi::v1::ComputeResponse> response =
      Cli(client.Compute(*request));
  if (!response.ok()) return response.status();
  if (invocation.options.json) return PrintJson(*response, out);
  const std::vector<std::string> group_by(request->group_by().begin(),
                                          request->group_by().end());
  out << FormatResult(response->result(), metric, group_by);
  return absl::OkStatus();
}

// Writes each .proto file the server sends under DIR, printing the paths.
absl::Status RunProtos(const Invocation& invocation, Client& client,
                       std::ostream& out) {
  absl::StatusOr<kpi::v1::GetMetricProtosResponse> response =
      Cli(client.GetMetricProtos(
          absl::MakeConstSpan(invocation.operands).subspan(1)));
  if (!response.ok()) return response.status();
  absl::StatusOr<std::vector<std::string>> written =
      WriteProtoFilesUnder(invocation.operands.front(), *response);
  if (!written.ok()) return written.status();
  if (invocation.options.json) return PrintJson(*response, out);
  for (const std::string& path : *written) out << path << "\n";
  return absl::OkStatus();
}

absl::Status RunReload(const Options& options, Client& client,
                       std::ostream& out) {
  absl::StatusOr<kpi::v1::ReloadResponse> response = Cli(client.Reload());
  if (!response.ok()) return response.status();
  if (options.json) return PrintJson(*response, out);
  out << FormatReload(*response);
  return absl::OkStatus();
}

}  // namespace

absl::Status RunCommand(const Invocation& invocation, Client& client,
                        std::istream& in, std::ostream& out) {
  switch (*invocation.command) {
    case Command::kList:
      return RunList(invocation.options, client, out);
    case Command::kDescribe:
      return RunDescribe(invocation.options, invocation.operands.front(),
                         client, out);
    case Command::kCompute:
      return RunCompute(invocation, client, in, out);
    case Command::kReload:
      return RunReload(invocation.options, client, out);
    case Command::kProtos:
      return RunProtos(invocation, client, out);
  }
  return absl::InternalError("unknown command");
}

}  // namespace kpi::cli
