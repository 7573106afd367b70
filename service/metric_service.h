// MetricServiceImpl: the kpi.v1.MetricService gRPC service over a
// MetricRegistry. Every computing RPC -- generic, streamed or typed -- goes
// through MetricCall, so validation and dispatch are one path.
//
// Thread-safe: handlers run concurrently on gRPC's threads; the registry is
// immutable and every call owns its own state.
#ifndef KPI_SERVICE_METRIC_SERVICE_H_
#define KPI_SERVICE_METRIC_SERVICE_H_

#include <memory>

#include "kpi/v1/metric_service.grpc.pb.h"
#include "metric_registry.h"

namespace kpi {

class MetricServiceImpl final : public v1::MetricService::Service {
 public:
  explicit MetricServiceImpl(std::shared_ptr<const MetricRegistry> registry);

  grpc::Status ListMetrics(grpc::ServerContext* context,
                           const v1::ListMetricsRequest* request,
                           v1::ListMetricsResponse* response) override;
  grpc::Status DescribeMetric(grpc::ServerContext* context,
                              const v1::DescribeMetricRequest* request,
                              v1::DescribeMetricResponse* response) override;
  grpc::Status Compute(grpc::ServerContext* context,
                       const v1::ComputeRequest* request,
                       v1::ComputeResponse* response) override;
  grpc::Status ComputeStream(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::ComputeStreamRequest>* reader,
      v1::ComputeStreamResponse* response) override;

  grpc::Status ComputeChurnRate(
      grpc::ServerContext* context, const v1::ComputeChurnRateRequest* request,
      v1::ComputeChurnRateResponse* response) override;
  grpc::Status ComputeRetentionRate(
      grpc::ServerContext* context,
      const v1::ComputeRetentionRateRequest* request,
      v1::ComputeRetentionRateResponse* response) override;
  grpc::Status ComputeNps(grpc::ServerContext* context,
                          const v1::ComputeNpsRequest* request,
                          v1::ComputeNpsResponse* response) override;
  grpc::Status ComputeCsat(grpc::ServerContext* context,
                           const v1::ComputeCsatRequest* request,
                           v1::ComputeCsatResponse* response) override;
  grpc::Status ComputeCes(grpc::ServerContext* context,
                          const v1::ComputeCesRequest* request,
                          v1::ComputeCesResponse* response) override;
  grpc::Status ComputeClickThroughRate(
      grpc::ServerContext* context,
      const v1::ComputeClickThroughRateRequest* request,
      v1::ComputeClickThroughRateResponse* response) override;

 private:
  // The metric, or NOT_FOUND naming it.
  absl::StatusOr<std::shared_ptr<const Metric>> Lookup(
      absl::string_view name) const;
  // Computes `metric` from a typed request's fields into `*result`.
  grpc::Status ComputeTyped(absl::string_view metric,
                            const google::protobuf::Message& request,
                            v1::MetricResult* result) const;

  std::shared_ptr<const MetricRegistry> registry_;
};

// absl::Status -> grpc::Status with the same code and message.
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace kpi

#endif  // KPI_SERVICE_METRIC_SERVICE_H_
