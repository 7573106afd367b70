// AdminServiceImpl: kpi.v1.AdminService, operating a running server --
// today, reloading its plugins and profiles (the same as SIGHUP).
#ifndef KPI_SERVICE_ADMIN_SERVICE_H_
#define KPI_SERVICE_ADMIN_SERVICE_H_

#include "kpi/v1/admin_service.grpc.pb.h"
#include "live_config.h"

namespace kpi {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  // `config` must outlive the service.
  explicit AdminServiceImpl(LiveConfig* config) : config_(config) {}

  grpc::Status Reload(grpc::ServerContext* context,
                      const v1::ReloadRequest* request,
                      v1::ReloadResponse* response) override;

 private:
  LiveConfig* config_;
};

// What a reload did, as the admin API reports it.
v1::ReloadResponse ReloadReport(const ServingConfig& reloaded);

}  // namespace kpi

#endif  // KPI_SERVICE_ADMIN_SERVICE_H_
