// kpi-server: loads the metric plugins and serves kpi.v1.MetricService with
// health checking and reflection until SIGINT or SIGTERM.
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "grpc/health/v1/health.pb.h"
#include "metric_registry.h"
#include "metric_service.h"
#include "server_options.h"

namespace {

constexpr char kServiceName[] = "kpi.v1.MetricService";

void Log(absl::string_view line) {
  std::cerr << "kpi-server: " << line << std::endl;
}

int Run(const kpi::ServerOptions& options) {
  // Block the shutdown signals in every thread gRPC will start; the main
  // thread takes them with sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<std::shared_ptr<const kpi::MetricRegistry>> registry =
      kpi::MetricRegistry::Load(
          options.plugin_dirs, Log,
          {!options.skip_plugin_checks, options.allow_writable_plugins});
  if (!registry.ok()) {
    Log(registry.status().message());
    return 1;
  }

  // gRPC 1.51's built-in health service is implemented without protobuf
  // descriptors, so reflection cannot describe it unless the generated
  // grpc.health.v1 messages are linked in: referencing one does that.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  kpi::MetricServiceImpl service(*registry);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &port);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  if (options.worker_threads > 0) {
    grpc::ResourceQuota quota("kpi-server");
    quota.SetMaxThreads(options.worker_threads);
    builder.SetResourceQuota(quota);
  }
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    Log(absl::StrCat("cannot listen on ", options.listen));
    return 1;
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(kServiceName, true);
  Log(absl::StrCat("serving ", (*registry)->metrics().size(), " metrics from ",
                   (*registry)->plugins().size(), " plugins on port ", port));

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  Log(absl::StrCat("received signal ", signal_number,
                   ", finishing in-flight calls"));
  health->Shutdown();  // every service NOT_SERVING from now on
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::seconds(options.shutdown_grace_seconds));
  server->Wait();
  Log("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<kpi::ServerOptions> options =
      kpi::ParseServerOptions(argc, argv);
  if (!options.ok()) {
    std::cerr << "kpi-server: " << options.status().message() << "\n";
    return 2;
  }
  if (options->help) {
    std::cout << kpi::ServerUsage();
    return 0;
  }
  return Run(*options);
}
