// HealthService: grpc.health.v1.Health on gRPC's callback API, like the rest
// of kpi-server.
//
// Semantics are gRPC's built-in health service's: Check answers the status
// of a known service ("" is the server as a whole) or NOT_FOUND; Watch sends
// the current status (SERVICE_UNKNOWN for an unknown service), then every
// change, until the caller cancels or the server shuts down. Unlike the
// built-in one, statuses can be dynamic (plugin:NAME, metric:NAME), so
// watches are looked at every 200 ms and at once on Shutdown(). A watch holds
// no thread while it waits.
//
// Thread-safe.
#ifndef KPI_SERVICE_HEALTH_SERVICE_H_
#define KPI_SERVICE_HEALTH_SERVICE_H_

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "ticker.h"

namespace kpi {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  // The status of a service name not in the fixed list: true SERVING,
  // false NOT_SERVING, nullopt unknown. Asked on every Check and every
  // 200 ms of a Watch; must be thread-safe and quick.
  using DynamicStatus =
      std::function<std::optional<bool>(const std::string& service)>;

  // Every service in `services` (include "" for the whole server) starts
  // SERVING; other names are asked of `dynamic` (may be empty).
  explicit HealthService(const std::vector<std::string>& services,
                         DynamicStatus dynamic = nullptr);

  // Every service NOT_SERVING from now on, for good: the server is shutting
  // down. Watchers get the change at once.
  void Shutdown();
  // Whether `service` is SERVING now.
  bool Serving(const std::string& service) const;

  grpc::ServerUnaryReactor* Check(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request,
      grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  class Watcher;
  using Status = grpc::health::v1::HealthCheckResponse::ServingStatus;
  Status StatusOf(const std::string& service) const;

  mutable std::mutex mutex_;
  std::map<std::string, Status> statuses_;  // guarded by mutex_
  bool shut_down_ = false;                  // guarded by mutex_
  DynamicStatus dynamic_;
  Ticker watch_ticker_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_HEALTH_SERVICE_H_
