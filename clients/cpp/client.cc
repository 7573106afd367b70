#include "kpi/client.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

// The metadata carrying a call's request id, both ways (docs/api.md).
constexpr char kRequestIdKey[] = "x-request-id";
// The payloads of a failed call's Status.
constexpr absl::string_view kUnreachablePayload = "kpi.client/unreachable";
constexpr absl::string_view kRequestIdPayload = "kpi.client/request_id";

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const ClientOptions& options) {
  if (!options.tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.ca_pem;  // empty: the system's
  ssl.pem_cert_chain = options.cert_pem;
  ssl.pem_private_key = options.key_pem;
  return grpc::SslCredentials(ssl);
}

std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options) {
  grpc::ChannelArguments args;
  // Results with tables (cohorts, a row per customer) can pass gRPC's
  // default 4 MiB limit on received messages; the server bounds what it
  // sends, so the client need not.
  args.SetMaxReceiveMessageSize(-1);
  // gRPC gives a connection attempt max(backoff, min reconnect backoff),
  // 20 s by default: bound the attempt, so a call to a server that is not
  // there fails fast with gRPC's own reason ("Connection refused", ...).
  const int connect_ms = static_cast<int>(absl::ToInt64Milliseconds(
      std::min(options.timeout, options.connect_timeout)));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::max(connect_ms, 100));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::max(connect_ms, 100));
  return grpc::CreateCustomChannel(options.target, ChannelCredentials(options),
                                   args);
}

}  // namespace

Client::Client(ClientOptions options)
    : options_(std::move(options)),
      channel_(MakeChannel(options_)),
      metrics_(v1::MetricService::NewStub(channel_)),
      admin_(v1::AdminService::NewStub(channel_)) {}

absl::Status Client::Connect() const {
  const auto deadline = std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(std::min(
                            options_.timeout, options_.connect_timeout));
  for (grpc_connectivity_state state = channel_->GetState(true);
       state != GRPC_CHANNEL_READY; state = channel_->GetState(true)) {
    // A refused connection is an answer: waiting out the timeout would not
    // change it.
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE ||
        !channel_->WaitForStateChange(state, deadline)) {
      absl::Status error = absl::UnavailableError(absl::StrCat(
          "cannot reach kpi-server at ", options_.target, ": ",
          state == GRPC_CHANNEL_TRANSIENT_FAILURE
              ? "the connection failed"
              : absl::StrCat("no connection within ",
                             absl::FormatDuration(options_.connect_timeout))));
      error.SetPayload(kUnreachablePayload, absl::Cord("1"));
      return error;
    }
  }
  return absl::OkStatus();
}

void Client::Prepare(grpc::ClientContext* context) const {
  // A timeout of centuries would overflow the clock; a year is forever
  // enough for one call.
  const absl::Duration timeout =
      std::min(options_.timeout, absl::Hours(24 * 365));
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(timeout));
  if (!options_.token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options_.token));
  }
  if (!options_.request_id.empty()) {
    context->AddMetadata(kRequestIdKey, options_.request_id);
  }
}

absl::Status Client::StatusOf(const grpc::Status& status,
                              const grpc::ClientContext& context) const {
  if (status.ok()) return absl::OkStatus();
  // A server that answers UNAVAILABLE itself leaves the channel READY; a
  // channel that never got there means no server was reached.
  const bool unreachable =
      (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
       status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) &&
      channel_->GetState(/*try_to_connect=*/false) != GRPC_CHANNEL_READY;
  if (unreachable) {
    absl::Status error = absl::UnavailableError(
        absl::StrCat("cannot reach kpi-server at ", options_.target, ": ",
                     status.error_message()));
    error.SetPayload(kUnreachablePayload, absl::Cord("1"));
    return error;
  }
  absl::Status error(static_cast<absl::StatusCode>(status.error_code()),
                     status.error_message());
  const auto& metadata = context.GetServerInitialMetadata();
  const auto sent = metadata.find(kRequestIdKey);
  if (sent != metadata.end()) {
    error.SetPayload(kRequestIdPayload,
                     absl::Cord(absl::string_view(sent->second.data(),
                                                  sent->second.size())));
  }
  return error;
}

template <typename Request, typename Response, typename Stub, typename Method>
absl::StatusOr<Response> Client::Call(Stub& stub, Method method,
                                      const Request& request) const {
  grpc::ClientContext context;
  Prepare(&context);
  Response response;
  const grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return StatusOf(status, context);
  return response;
}

absl::StatusOr<v1::ListMetricsResponse> Client::ListMetrics() const {
  return Call<v1::ListMetricsRequest, v1::ListMetricsResponse>(
      *metrics_, &v1::MetricService::Stub::ListMetrics,
      v1::ListMetricsRequest());
}

absl::StatusOr<v1::DescribeMetricResponse> Client::DescribeMetric(
    absl::string_view metric) const {
  v1::DescribeMetricRequest request;
  request.set_metric(std::string(metric));
  return Call<v1::DescribeMetricRequest, v1::DescribeMetricResponse>(
      *metrics_, &v1::MetricService::Stub::DescribeMetric, request);
}

absl::StatusOr<v1::ComputeResponse> Client::Compute(
    const v1::ComputeRequest& request) const {
  return Call<v1::ComputeRequest, v1::ComputeResponse>(
      *metrics_, &v1::MetricService::Stub::Compute, request);
}

absl::StatusOr<v1::ComputeStreamResponse> Client::ComputeStream(
    absl::FunctionRef<absl::StatusOr<bool>(v1::ComputeStreamRequest* chunk)>
        next) const {
  grpc::ClientContext context;
  Prepare(&context);
  v1::ComputeStreamResponse response;
  const std::unique_ptr<grpc::ClientWriter<v1::ComputeStreamRequest>> writer =
      metrics_->ComputeStream(&context, &response);
  v1::ComputeStreamRequest chunk;
  for (;;) {
    const absl::StatusOr<bool> filled = next(&chunk);
    if (!filled.ok()) {
      // Ending the writes would make the rows sent so far a whole input.
      context.TryCancel();
      writer->Finish().IgnoreError();
      return filled.status();
    }
    // A failed write means the server has ended the call; Finish says why.
    if (!*filled || !writer->Write(chunk)) break;
    chunk.Clear();
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  if (!status.ok()) return StatusOf(status, context);
  return response;
}

absl::StatusOr<v1::GetMetricProtosResponse> Client::GetMetricProtos(
    absl::Span<const std::string> plugins) const {
  v1::GetMetricProtosRequest request;
  request.mutable_plugins()->Add(plugins.begin(), plugins.end());
  return Call<v1::GetMetricProtosRequest, v1::GetMetricProtosResponse>(
      *metrics_, &v1::MetricService::Stub::GetMetricProtos, request);
}

absl::StatusOr<v1::ReloadResponse> Client::Reload() const {
  return Call<v1::ReloadRequest, v1::ReloadResponse>(
      *admin_, &v1::AdminService::Stub::Reload, v1::ReloadRequest());
}

bool IsUnreachable(const absl::Status& status) {
  return status.GetPayload(kUnreachablePayload).has_value();
}

std::string RequestIdOf(const absl::Status& status) {
  const absl::optional<absl::Cord> id = status.GetPayload(kRequestIdPayload);
  return id.has_value() ? std::string(*id) : std::string();
}

std::string Describe(const absl::Status& status) {
  if (IsUnreachable(status)) return std::string(status.message());
  const std::string id = RequestIdOf(status);
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                      status.message(),
                      id.empty() ? "" : absl::StrCat(" (request id ", id, ")"));
}

}  // namespace kpi
