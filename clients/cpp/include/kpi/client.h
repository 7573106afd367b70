// kpi::Client: the C++ client of a kpi-server, for a backend that links it
// and for the `kpi` CLI, which is built on it.
//
//   kpi::ClientOptions options;
//   options.target = "kpi.internal:50051";
//   options.token = token;                      // --tokens-file servers
//   kpi::Client client(std::move(options));
//   kpi::v1::ComputeNpsRequest request;         // a typed call
//   for (double score : {10, 9, 3}) request.add_scores(score);
//   kpi::v1::ComputeNpsResponse response;
//   grpc::ClientContext context;
//   client.Prepare(&context);
//   grpc::Status status =
//       client.metrics().ComputeNps(&context, request, &response);
//   absl::StatusOr<kpi::v1::ComputeResponse> any = client.Compute(generic);
//
// Every call carries the options' deadline, bearer token and request id.
// The generated stubs (metrics(), admin()) reach every method, typed ones
// included, with a context made ready by Prepare(); the methods below wrap the
// untyped ones and turn failures into absl::Status:
// - the server's answer: its code and message, and the request id the
//   server gave the call (RequestIdOf), to find it in the server's log;
// - no server reached within the connect timeout: UNAVAILABLE, "cannot
//   reach kpi-server at TARGET: <gRPC's reason>", and IsUnreachable() --
//   as opposed to a server that answered UNAVAILABLE itself (a plugin
//   worker that crashed: safe to retry).
//
// Thread-safe: calls may be made from many threads at once over the one
// channel.
#ifndef KPI_CLIENT_H_
#define KPI_CLIENT_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "kpi/v1/admin_service.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"

namespace kpi {

struct ClientOptions {
  // The server: HOST:PORT, or any gRPC target (unix:/path, dns:///...).
  std::string target;
  // The deadline of each call.
  absl::Duration timeout = absl::Seconds(30);
  // How long a connection attempt may take before the server counts as
  // unreachable (at most `timeout`).
  absl::Duration connect_timeout = absl::Seconds(5);
  // Sent as `authorization: Bearer TOKEN` (servers started with
  // --tokens-file); empty: none.
  std::string token;
  // Connect with TLS: the server's certificate is checked against ca_pem
  // (PEM; empty: the system's CAs); cert_pem and key_pem, both or neither,
  // are a client certificate for a server that asks for one (mutual TLS).
  bool tls = false;
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  // Sent as x-request-id on every call (1 to 128 visible ASCII characters);
  // empty: the server makes one per call.
  std::string request_id;
};

class Client {
 public:
  // Connects lazily: nothing is sent until the first call (or Connect()).
  // REQUIRES: options.timeout > absl::ZeroDuration().
  explicit Client(ClientOptions options);

  // Connects now, waiting at most the connect timeout; the unreachable
  // error (above) when no connection could be made, without waiting out
  // the timeout once an attempt has failed. A batch job calls it before
  // reading its input, so a server that is down is one clear error.
  absl::Status Connect() const;

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  absl::StatusOr<v1::ListMetricsResponse> ListMetrics() const;
  absl::StatusOr<v1::DescribeMetricResponse> DescribeMetric(
      absl::string_view metric) const;
  absl::StatusOr<v1::ComputeResponse> Compute(
      const v1::ComputeRequest& request) const;
  // ComputeStream: `next` fills each chunk in turn (the first names the
  // metric) and returns true to send it, false when there is none left; a
  // chunk is sent as soon as it is filled, so the input need not fit in
  // memory. An error from `next` (its input broke mid-way) cancels the
  // call, so the server never answers over part of the input, and is
  // returned as is.
  absl::StatusOr<v1::ComputeStreamResponse> ComputeStream(
      absl::FunctionRef<absl::StatusOr<bool>(v1::ComputeStreamRequest* chunk)>
          next) const;
  // The .proto files of `plugins`' typed services (every loaded plugin's
  // when empty).
  absl::StatusOr<v1::GetMetricProtosResponse> GetMetricProtos(
      absl::Span<const std::string> plugins = {}) const;
  // AdminService/Reload (a token with the admin scope).
  absl::StatusOr<v1::ReloadResponse> Reload() const;

  // Readies `context` (a new one) for a call through the stubs: the
  // deadline, token and request id of every call.
  void Prepare(grpc::ClientContext* context) const;
  // `status` of a call through the stubs as the methods above return it.
  // `context` is the call's.
  absl::Status StatusOf(const grpc::Status& status,
                        const grpc::ClientContext& context) const;

  // The generated stubs, thread-safe as the client is.
  v1::MetricService::Stub& metrics() const { return *metrics_; }
  v1::AdminService::Stub& admin() const { return *admin_; }
  const std::string& target() const { return options_.target; }

 private:
  template <typename Request, typename Response, typename Stub, typename Method>
  absl::StatusOr<Response> Call(Stub& stub, Method method,
                                const Request& request) const;

  const ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MetricService::Stub> metrics_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

// Whether `status` says no server could be reached (see above).
bool IsUnreachable(const absl::Status& status);
// The request id the server gave the failed call, or empty.
std::string RequestIdOf(const absl::Status& status);
// "CODE: message (request id ID)", or "message" for an unreachable server.
// REQUIRES: !status.ok().
std::string Describe(const absl::Status& status);

}  // namespace kpi

#endif  // KPI_CLIENT_H_
