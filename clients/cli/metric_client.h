// The CLI's connection to a kpi-server: the calls it makes, each with a
// deadline, and their failures as CLI errors.

#ifndef KPI_CLIENTS_CLI_METRIC_CLIENT_H_
#define KPI_CLIENTS_CLI_METRIC_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "credentials.h"
#include "grpcpp/channel.h"
#include "kpi/v1/admin_service.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"

namespace kpi::cli {

// Calls kpi.v1.MetricService and kpi.v1.AdminService on one server, over one
// channel. Not thread-safe; the CLI makes one call at a time.
class MetricClient {
 public:
  // Connects lazily to `server` (HOST:PORT, or any gRPC target), with TLS
  // when `credentials.tls`, and sends `credentials.token` (if any) as a
  // bearer token and `request_id` (if not empty) as x-request-id on every
  // call. Each call must finish within `timeout`; a connection attempt is
  // given at most kConnectTimeout (or `timeout`, if shorter).
  // REQUIRES: timeout > absl::ZeroDuration().
  MetricClient(std::string server, absl::Duration timeout,
               Credentials credentials = {}, std::string request_id = "");

  MetricClient(const MetricClient&) = delete;
  MetricClient& operator=(const MetricClient&) = delete;

  // The calls. Errors: UnreachableError when no connection to the server
  // could be made; otherwise a ServerError with the server's status code,
  // message and the request id it sent back.
  absl::StatusOr<kpi::v1::ListMetricsResponse> ListMetrics();
  absl::StatusOr<kpi::v1::DescribeMetricResponse> DescribeMetric(
      absl::string_view metric);
  absl::StatusOr<kpi::v1::ComputeResponse> Compute(
      const kpi::v1::ComputeRequest& request);
  // AdminService/Reload: the server re-reads its plugin directories and
  // profiles file.
  absl::StatusOr<kpi::v1::ReloadResponse> Reload();

  // How long a connection attempt may take before the server counts as
  // unreachable.
  static constexpr absl::Duration kConnectTimeout = absl::Seconds(5);

 private:
  // Calls `method` of `client`, a generated client of one of the services,
  // on channel_.
  template <typename Request, typename Response, typename Client,
            typename Method>
  absl::StatusOr<Response> Call(Client& client, Method method,
                                const Request& request);

  std::string server_;
  absl::Duration timeout_;
  std::string authorization_;  // "Bearer TOKEN", or empty
  std::string request_id_;     // sent as x-request-id, or empty
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<kpi::v1::MetricService::Stub> metrics_;
  std::unique_ptr<kpi::v1::AdminService::Stub> admin_;
};

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_METRIC_CLIENT_H_
