// AdminServiceImpl: kpi.v1.AdminService, operating a running server --
// today, reloading its plugins and profiles (the same as SIGHUP).
//
// On gRPC's callback API; a reload (which may wait up to the plugin load
// timeout on a plugin's checks) runs on the service's own thread, one at a
// time, so it never holds one of gRPC's threads or a compute thread.
//
// With an Authorizer (--tokens-file) every call needs a token with the
// "admin" scope (authorizer.h): a reload's answer names plugin files and why
// they were refused.
#ifndef KPI_SERVICE_ADMIN_SERVICE_H_
#define KPI_SERVICE_ADMIN_SERVICE_H_

#include "authorizer.h"
#include "compute_pool.h"
#include "kpi/v1/admin_service.grpc.pb.h"
#include "live_config.h"

namespace kpi {

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  // `config` and `authorizer` (null: everyone may call) must outlive the
  // service.
  explicit AdminServiceImpl(LiveConfig* config,
                            const Authorizer* authorizer = nullptr)
      : config_(config), authorizer_(authorizer), reloader_(1) {}

  grpc::ServerUnaryReactor* Reload(grpc::CallbackServerContext* context,
                                   const v1::ReloadRequest* request,
                                   v1::ReloadResponse* response) override;

 private:
  LiveConfig* config_;
  const Authorizer* authorizer_;
  ComputePool reloader_;
};

// What a reload did, as the admin API reports it.
v1::ReloadResponse ReloadReport(const ServingConfig& reloaded);

}  // namespace kpi

#endif  // KPI_SERVICE_ADMIN_SERVICE_H_
