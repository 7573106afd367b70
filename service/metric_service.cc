#include "metric_service.h"

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

MetricServiceImpl::MetricServiceImpl(
    std::shared_ptr<const MetricRegistry> registry)
    : registry_(std::move(registry)) {}

absl::StatusOr<std::shared_ptr<const Metric>> MetricServiceImpl::Lookup(
    absl::string_view name) const {
  if (name.empty()) {
    return absl::InvalidArgumentError("metric: a metric name is required");
  }
  std::shared_ptr<const Metric> metric = registry_->Find(name);
  if (metric == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no loaded plugin provides metric '", name, "'; see ListMetrics"));
  }
  return metric;
}

grpc::Status MetricServiceImpl::ListMetrics(grpc::ServerContext*,
                                            const v1::ListMetricsRequest*,
                                            v1::ListMetricsResponse* response) {
  for (const auto& metric : registry_->metrics()) {
    *response->add_metrics() = metric->info();
  }
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::DescribeMetric(
    grpc::ServerContext*, const v1::DescribeMetricRequest* request,
    v1::DescribeMetricResponse* response) {
  absl::StatusOr<std::shared_ptr<const Metric>> metric =
      Lookup(request->metric());
  if (!metric.ok()) return ToGrpc(metric.status());
  *response->mutable_metric() = (*metric)->info();
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::Compute(grpc::ServerContext*,
                                        const v1::ComputeRequest* request,
                                        v1::ComputeResponse* response) {
  absl::StatusOr<std::shared_ptr<const Metric>> metric =
      Lookup(request->metric());
  if (!metric.ok()) return ToGrpc(metric.status());
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(*std::move(metric), ArgsFromRequest(*request));
  if (!result.ok()) return ToGrpc(result.status());
  *response->mutable_result() = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::ComputeStream(
    grpc::ServerContext*, grpc::ServerReader<v1::ComputeStreamRequest>* reader,
    v1::ComputeStreamResponse* response) {
  v1::ComputeStreamRequest chunk;
  if (!reader->Read(&chunk)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the stream carried no chunks; the first names the "
                        "metric");
  }
  const std::string metric_name = chunk.metric();
  absl::StatusOr<std::shared_ptr<const Metric>> metric = Lookup(metric_name);
  if (!metric.ok()) return ToGrpc(metric.status());
  CallArgs first = ArgsFromRequest(chunk);
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(*std::move(metric), first);
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
    if (!chunk.parameters().empty() || !chunk.group_by().empty()) {
      return ToGrpc(absl::InvalidArgumentError(absl::StrCat(
          "chunk ", chunks - 1,
          ": parameters and group_by belong in the first chunk of a stream")));
    }
    if (absl::Status s = call->Add(ArgsFromRequest(chunk)); !s.ok()) {
      return ToGrpc(s);
    }
  }
  absl::StatusOr<v1::MetricResult> result = call->Finish();
  if (!result.ok()) return ToGrpc(result.status());
  *response->mutable_result() = *std::move(result);
  response->set_chunks(chunks);
  return grpc::Status::OK;
}

grpc::Status MetricServiceImpl::ComputeTyped(
    absl::string_view metric_name, const google::protobuf::Message& request,
    v1::MetricResult* result) const {
  absl::StatusOr<std::shared_ptr<const Metric>> metric = Lookup(metric_name);
  if (!metric.ok()) return ToGrpc(metric.status());
  absl::StatusOr<CallArgs> args = ArgsFromTypedRequest(request);
  if (!args.ok()) return ToGrpc(args.status());
  absl::StatusOr<v1::MetricResult> computed =
      ComputeOnce(*std::move(metric), *args);
  if (!computed.ok()) return ToGrpc(computed.status());
  *result = *std::move(computed);
  return grpc::Status::OK;
}

}  // namespace kpi
