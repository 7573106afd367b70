#include "metric_service.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "call_args.h"
#include "metric_call.h"

namespace kpi {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

absl::Status CallContextCancellation::Check() const {
  if (context_ == nullptr) return absl::OkStatus();
  const auto now = std::chrono::system_clock::now();
  if (now > context_->deadline()) {
    return absl::DeadlineExceededError("the call's deadline passed");
  }
  if (!cancelled_ && now >= next_look_) {
    next_look_ = now + kLookEvery;
    cancelled_ = context_->IsCancelled();
  }
  if (cancelled_) {
    return absl::CancelledError(
        "the call was cancelled (the client went away, or the server is "
        "shutting down)");
  }
  return absl::OkStatus();
}

MetricServiceImpl::MetricServiceImpl(const LiveConfig* config)
    : config_(config) {}

absl::StatusOr<std::shared_ptr<const Metric>> MetricServiceImpl::Lookup(
    const ServingConfig& config, absl::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("metric: a metric name is required");
  }
  std::shared_ptr<const Metric> metric = config.registry->Find(name);
  if (metric == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no loaded plugin provides metric '", name, "'; see ListMetrics"));
  }
  return metric;
}

absl::StatusOr<MetricCall> MetricServiceImpl::Start(
    const ServingConfig& config, absl::string_view metric_name,
    CallArgs* first_chunk, const Cancellation* cancellation) {
  absl::StatusOr<std::shared_ptr<const Metric>> metric =
      Lookup(config, metric_name);
  if (!metric.ok()) return metric.status();
  if (absl::Status s =
          config.profiles->Apply((*metric)->descriptor(), first_chunk);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(*std::move(metric), *first_chunk, cancellation);
  if (!call.ok()) return call.status();
  return call;
}

grpc::Status MetricServiceImpl::Reply(absl::StatusOr<v1::MetricResult> computed,
                                      v1::MetricResult* result) {
  if (!computed.ok()) return ToGrpc(computed.status());
  *result = *std::move(computed);
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::ListMetrics(grpc::ServerContext*,
                                            const v1::ListMetricsRequest*,
                                            v1::ListMetricsResponse* response) {
  for (const auto& metric : config_->Current().registry->metrics()) {
    *response->add_metrics() = metric->info();
  }
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::DescribeMetric(
    grpc::ServerContext*, const v1::DescribeMetricRequest* request,
    v1::DescribeMetricResponse* response) {
  absl::StatusOr<std::shared_ptr<const Metric>> metric =
      Lookup(config_->Current(), request->metric());
  if (!metric.ok()) return ToGrpc(metric.status());
  *response->mutable_metric() = (*metric)->info();
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::Compute(grpc::ServerContext* context,
                                        const v1::ComputeRequest* request,
                                        v1::ComputeResponse* response) {
  const ServingConfig config = config_->Current();
  CallArgs args = ArgsFromRequest(*request);
  const CallContextCancellation cancellation(context);
  absl::StatusOr<MetricCall> call =
      Start(config, request->metric(), &args, &cancellation);
  if (!call.ok()) return ToGrpc(call.status());
  return Reply(call->AddLastAndFinish(args), response->mutable_result());
}

grpc::Status MetricServiceImpl::ComputeStream(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::ComputeStreamRequest>* reader,
    v1::ComputeStreamResponse* response) {
  v1::ComputeStreamRequest chunk;
  if (!reader->Read(&chunk)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the stream carried no chunks; the first names the "
                        "metric");
  }
  const std::string metric_name = chunk.metric();
  const ServingConfig config = config_->Current();
  CallArgs first = ArgsFromRequest(chunk);
  const CallContextCancellation cancellation(context);
  absl::StatusOr<MetricCall> call =
      Start(config, metric_name, &first, &cancellation);
  if (!call.ok()) return ToGrpc(call.status());
  if (absl::Status s = call->Add(first); !s.ok()) return ToGrpc(s);
  uint64_t chunks = 1;
  while (reader->Read(&chunk)) {
    ++chunks;
    if (!chunk.metric().empty() && chunk.metric() != metric_name) {
      return ToGrpc(absl::InvalidArgumentError(absl::StrCat(
          "chunk ", chunks - 1, ": metric '", chunk.metric(),
          "' differs from the first chunk's '", metric_name, "'")));
    }
    if (!chunk.parameters().empty() || !chunk.group_by().empty() ||
        !chunk.profile().empty()) {
      return ToGrpc(absl::InvalidArgumentError(
          absl::StrCat("chunk ", chunks - 1,
                       ": parameters, profile and group_by belong in the "
                       "first chunk of a stream")));
    }
    if (absl::Status s = call->Add(ArgsFromRequest(chunk)); !s.ok()) {
      return ToGrpc(s);
    }
  }
  response->set_chunks(chunks);
  return Reply(call->Finish(), response->mutable_result());
}

grpc::Status MetricServiceImpl::ComputeTyped(
    grpc::ServerContext* context, absl::string_view metric_name,
    const google::protobuf::Message& request, v1::MetricResult* result) const {
  absl::StatusOr<CallArgs> args = ArgsFromTypedRequest(request);
  if (!args.ok()) return ToGrpc(args.status());
  const ServingConfig config = config_->Current();
  const CallContextCancellation cancellation(context);
  absl::StatusOr<MetricCall> call =
      Start(config, metric_name, &*args, &cancellation);
  if (!call.ok()) return ToGrpc(call.status());
  return Reply(call->AddLastAndFinish(*args), result);
}

}  // namespace kpi
