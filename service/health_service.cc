#include "health_service.h"

#include <chrono>

namespace kpi {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

HealthService::HealthService(const std::vector<std::string>& services,
                             DynamicStatus dynamic)
    : dynamic_(std::move(dynamic)) {
  for (const std::string& service : services) {
    statuses_[service] = HealthCheckResponse::SERVING;
  }
}

void HealthService::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [service, status] : statuses_) {
      status = HealthCheckResponse::NOT_SERVING;
    }
    shut_down_ = true;
  }
  changed_.notify_all();
}

HealthService::Status HealthService::StatusOf(
    const std::string& service) const {
  auto it = statuses_.find(service);
  if (it != statuses_.end()) return it->second;
  const std::optional<bool> serving =
      dynamic_ ? dynamic_(service) : std::nullopt;
  if (!serving) return HealthCheckResponse::SERVICE_UNKNOWN;
  return *serving && !shut_down_ ? HealthCheckResponse::SERVING
                                 : HealthCheckResponse::NOT_SERVING;
}

grpc::Status HealthService::Check(grpc::ServerContext*,
                                  const HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard<std::mutex> lock(mutex_);
  const Status status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "unknown service " + request->service());
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(
    grpc::ServerContext* context, const HealthCheckRequest* request,
    grpc::ServerWriter<HealthCheckResponse>* writer) {
  std::unique_lock<std::mutex> lock(mutex_);
  Status sent = HealthCheckResponse::UNKNOWN;
  while (!context->IsCancelled()) {
    const Status now = StatusOf(request->service());
    if (now != sent) {
      HealthCheckResponse response;
      response.set_status(now);
      lock.unlock();
      if (!writer->Write(response)) return grpc::Status::OK;
      lock.lock();
      sent = now;
      continue;  // the status may have changed while writing
    }
    // A cancelled caller does not notify: look again every so often.
    changed_.wait_for(lock, std::chrono::milliseconds(200));
  }
  return grpc::Status::OK;
}

}  // namespace kpi
