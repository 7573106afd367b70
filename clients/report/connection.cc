#include "connection.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace kpi::report {
namespace {

std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(
    const kpi::cli::Credentials& credentials) {
  if (!credentials.tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = credentials.ca_pem;  // empty: the system's
  options.pem_cert_chain = credentials.cert_pem;
  options.pem_private_key = credentials.key_pem;
  return grpc::SslCredentials(options);
}

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "ERROR";
  }
}

}  // namespace

absl::StatusOr<Connection> Connection::Open(
    const std::string& server, const kpi::cli::Credentials& credentials,
    absl::Duration connect_timeout, absl::Duration call_timeout) {
  grpc::ChannelArguments args;
  // Results with tables (cohorts, per-customer scores) can pass gRPC's
  // default 4 MiB limit on received messages; the server bounds what it
  // sends, so the client need not.
  args.SetMaxReceiveMessageSize(-1);
  const int connect_ms = static_cast<int>(
      std::max<int64_t>(100, absl::ToInt64Milliseconds(connect_timeout)));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, connect_ms);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, connect_ms);
  Connection connection;
  connection.server_ = server;
  connection.call_timeout_ = std::min(call_timeout, absl::Hours(24 * 365));
  if (!credentials.token.empty()) {
    connection.authorization_ = absl::StrCat("Bearer ", credentials.token);
  }
  connection.channel_ =
      grpc::CreateCustomChannel(server, ChannelCredentials(credentials), args);
  // Waits for READY, but gives up at the first failed attempt: a refused
  // connection is an answer, and waiting out the timeout would not change it.
  const auto deadline = std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(connect_timeout);
  for (grpc_connectivity_state state = connection.channel_->GetState(true);
       state != GRPC_CHANNEL_READY;
       state = connection.channel_->GetState(true)) {
    if (state == GRPC_CHANNEL_TRANSIENT_FAILURE ||
        !connection.channel_->WaitForStateChange(state, deadline)) {
      return absl::UnavailableError(absl::StrFormat(
          "cannot reach kpi-server at %s: %s (is it running? --server or "
          "$KPI_SERVER say where)",
          server,
          state == GRPC_CHANNEL_TRANSIENT_FAILURE
              ? "the connection failed"
              : absl::StrFormat("no connection within %g s",
                                absl::ToDoubleSeconds(connect_timeout))));
    }
  }
  connection.stub_ = kpi::v1::MetricService::NewStub(connection.channel_);
  return connection;
}

void Connection::Prepare(grpc::ClientContext* context) const {
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(call_timeout_));
  if (!authorization_.empty()) {
    context->AddMetadata("authorization", authorization_);
  }
}

std::string DescribeCallError(const grpc::Status& status,
                              const grpc::ClientContext& context) {
  std::string text =
      absl::StrCat(CodeName(status.error_code()), ": ", status.error_message());
  const auto& metadata = context.GetServerInitialMetadata();
  auto it = metadata.find("x-request-id");
  if (it != metadata.end()) {
    absl::StrAppend(&text, " (request id ",
                    absl::string_view(it->second.data(), it->second.size()),
                    ")");
  }
  return text;
}

}  // namespace kpi::report
