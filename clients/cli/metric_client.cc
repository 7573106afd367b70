#include "metric_client.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cli_status.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace kpi::cli {
namespace {

// The metadata carrying a call's request id, both ways (docs/api.md).
constexpr char kRequestIdKey[] = "x-request-id";

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const Credentials& credentials) {
  if (!credentials.tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = credentials.ca_pem;  // empty: the system's
  options.pem_cert_chain = credentials.cert_pem;
  options.pem_private_key = credentials.key_pem;
  return grpc::SslCredentials(options);
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& server,
                                           absl::Duration timeout,
                                           const Credentials& credentials) {
  grpc::ChannelArguments args;
  // gRPC gives a connection attempt max(backoff, min reconnect backoff),
  // 20 s by default. Waiting that long for a server that is not there helps
  // nobody at a command line: bound the attempt, so a call fails fast with
  // gRPC's own reason ("Connection refused", "DNS resolution failed", ...).
  const int connect_ms = static_cast<int>(absl::ToInt64Milliseconds(
      std::min(timeout, MetricClient::kConnectTimeout)));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::max(connect_ms, 100));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::max(connect_ms, 100));
  return grpc::CreateCustomChannel(server, ChannelCredentials(credentials),
                                   args);
}

}  // namespace

MetricClient::MetricClient(std::string server, absl::Duration timeout,
                           Credentials credentials, std::string request_id)
    : server_(std::move(server)),
      timeout_(timeout),
      authorization_(credentials.token.empty()
                         ? ""
                         : absl::StrCat("Bearer ", credentials.token)),
      request_id_(std::move(request_id)),
      channel_(MakeChannel(server_, timeout_, credentials)),
      metrics_(kpi::v1::MetricService::NewStub(channel_)),
      admin_(kpi::v1::AdminService::NewStub(channel_)) {}

template <typename Request, typename Response, typename Client, typename Method>
absl::StatusOr<Response> MetricClient::Call(Client& client, Method method,
                                            const Request& request) {
  // A --timeout of centuries would overflow the clock; a year is forever
  // enough for one call.
  const absl::Duration timeout = std::min(timeout_, absl::Hours(24 * 365));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(timeout));
  if (!authorization_.empty()) {
    context.AddMetadata("authorization", authorization_);
  }
  if (!request_id_.empty()) context.AddMetadata(kRequestIdKey, request_id_);
  Response response;
  const grpc::Status status = (client.*method)(&context, request, &response);
  if (status.ok()) return response;
  // A server that answers UNAVAILABLE itself leaves the channel READY; a
  // channel that never got there means no server was reached.
  const bool unreachable =
      (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
       status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) &&
      channel_->GetState(/*try_to_connect=*/false) != GRPC_CHANNEL_READY;
  if (unreachable) return UnreachableError(server_, status.error_message());
  // The id the server gave the call, to find its line in the server's log.
  const auto sent = context.GetServerInitialMetadata().find(kRequestIdKey);
  return ServerError(
      static_cast<absl::StatusCode>(status.error_code()),
      status.error_message(),
      sent == context.GetServerInitialMetadata().end()
          ? absl::string_view()
          : absl::string_view(sent->second.data(), sent->second.size()));
}

absl::StatusOr<kpi::v1::ListMetricsResponse> MetricClient::ListMetrics() {
  return Call<kpi::v1::ListMetricsRequest, kpi::v1::ListMetricsResponse>(
      *metrics_, &kpi::v1::MetricService::Stub::ListMetrics,
      kpi::v1::ListMetricsRequest());
}

absl::StatusOr<kpi::v1::DescribeMetricResponse> MetricClient::DescribeMetric(
    absl::string_view metric) {
  kpi::v1::DescribeMetricRequest request;
  request.set_metric(std::string(metric));
  return Call<kpi::v1::DescribeMetricRequest, kpi::v1::DescribeMetricResponse>(
      *metrics_, &kpi::v1::MetricService::Stub::DescribeMetric, request);
}

absl::StatusOr<kpi::v1::ComputeResponse> MetricClient::Compute(
    const kpi::v1::ComputeRequest& request) {
  return Call<kpi::v1::ComputeRequest, kpi::v1::ComputeResponse>(
      *metrics_, &kpi::v1::MetricService::Stub::Compute, request);
}

absl::StatusOr<kpi::v1::ReloadResponse> MetricClient::Reload() {
  return Call<kpi::v1::ReloadRequest, kpi::v1::ReloadResponse>(
      *admin_, &kpi::v1::AdminService::Stub::Reload, kpi::v1::ReloadRequest());
}

}  // namespace kpi::cli
