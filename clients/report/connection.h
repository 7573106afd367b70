// kpi-report's channel to a kpi-server: TLS and the bearer token as the
// `kpi` CLI takes them (clients/cli/credentials.h, shared, not copied), a
// deadline per call, and a connection check before any file is read, so a
// server that is down is one clear error instead of a failed stream per
// metric.

#ifndef KPI_CLIENTS_REPORT_CONNECTION_H_
#define KPI_CLIENTS_REPORT_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "credentials.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "kpi/v1/metric_service.grpc.pb.h"

namespace kpi::report {

class Connection {
 public:
  // Connects to `server` (HOST:PORT) and waits up to `connect_timeout` for
  // the channel to be ready. Unavailable error: "cannot reach kpi-server at
  // SERVER within N s". Calls made through it get `call_timeout` each.
  static absl::StatusOr<Connection> Open(const std::string& server,
                                         const kpi::cli::Credentials& creds,
                                         absl::Duration connect_timeout,
                                         absl::Duration call_timeout);

  const std::string& server() const { return server_; }
  kpi::v1::MetricService::Stub& stub() const { return *stub_; }
  // Sets the deadline and the authorization metadata of a call.
  void Prepare(grpc::ClientContext* context) const;

 private:
  Connection() = default;
  std::string server_;
  std::string authorization_;  // "Bearer TOKEN", or empty
  absl::Duration call_timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<kpi::v1::MetricService::Stub> stub_;
};

// "CODE: message (request id ID)" for a failed call.
std::string DescribeCallError(const grpc::Status& status,
                              const grpc::ClientContext& context);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_CONNECTION_H_
