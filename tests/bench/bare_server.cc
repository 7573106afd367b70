// kpi-bare-server: the limit of the RPC path. Serves the kpi.v1.MetricService
// methods the benchmark calls with kpi-server's transport and allocator
// settings (server_transport.h), but answers without computing: unary calls
// -- their request received and parsed -- get a constant, a stream is read
// -- every chunk received and parsed -- and answered with a constant and its
// chunk count.
//
//   kpi-bare-server [--listen HOST:PORT] [--api sync|callback]
//
// --api sync (default) serves on the sync API's thread pool; --api callback
// on the callback API, answering unary calls inline on gRPC's threads --
// the fastest a C++ gRPC server answers a parsed request, which h2load runs
// compare kpi-server against (streams: sync only).
//
// Logs "bare-server: serving on port P" on stderr; stops on SIGINT/SIGTERM.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "kpi/v1/metric_service.grpc.pb.h"
#include "server_transport.h"

namespace {

// kpi-server's default --max-message-bytes.
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;

void SetConstant(const char* metric, kpi::v1::MetricResult* result) {
  result->set_metric(metric);
  result->set_value(0);
}

class BareService final : public kpi::v1::MetricService::Service {
 public:
  grpc::Status ComputeNps(grpc::ServerContext*,
                          const kpi::v1::ComputeNpsRequest*,
                          kpi::v1::ComputeNpsResponse* response) override {
    SetConstant("nps", response->mutable_result());
    return grpc::Status::OK;
  }
  grpc::Status ComputeChurnRate(
      grpc::ServerContext*, const kpi::v1::ComputeChurnRateRequest*,
      kpi::v1::ComputeChurnRateResponse* response) override {
    SetConstant("churn_rate", response->mutable_result());
    return grpc::Status::OK;
  }
  grpc::Status ComputeStream(
      grpc::ServerContext*,
      grpc::ServerReader<kpi::v1::ComputeStreamRequest>* reader,
      kpi::v1::ComputeStreamResponse* response) override {
    kpi::v1::ComputeStreamRequest chunk;
    uint64_t chunks = 0;
    while (reader->Read(&chunk)) ++chunks;
    SetConstant("stream", response->mutable_result());
    response->set_chunks(chunks);
    return grpc::Status::OK;
  }
};

class CallbackBareService final
    : public kpi::v1::MetricService::CallbackService {
 public:
  grpc::ServerUnaryReactor* ComputeNps(
      grpc::CallbackServerContext* context, const kpi::v1::ComputeNpsRequest*,
      kpi::v1::ComputeNpsResponse* response) override {
    return Answer(context, "nps", response->mutable_result());
  }
  grpc::ServerUnaryReactor* ComputeChurnRate(
      grpc::CallbackServerContext* context,
      const kpi::v1::ComputeChurnRateRequest*,
      kpi::v1::ComputeChurnRateResponse* response) override {
    return Answer(context, "churn_rate", response->mutable_result());
  }

 private:
  static grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                          const char* metric,
                                          kpi::v1::MetricResult* result) {
    SetConstant(metric, result);
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  bool callback = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
      listen = argv[++i];
    } else if (std::strcmp(argv[i], "--api") == 0 && i + 1 < argc &&
               (std::strcmp(argv[i + 1], "sync") == 0 ||
                std::strcmp(argv[i + 1], "callback") == 0)) {
      callback = std::strcmp(argv[++i], "callback") == 0;
    } else {
      std::cerr << "usage: kpi-bare-server [--listen HOST:PORT] "
                   "[--api sync|callback]\n";
      return 2;
    }
  }
  kpi::TuneAllocatorForLargeMessages();
  kpi::DisableMutexDeadlockDetection();  // as kpi-server does
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  BareService sync_service;
  CallbackBareService callback_service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  kpi::ConfigureTransport(builder, kMaxMessageBytes);
  if (callback) {
    builder.RegisterService(&callback_service);
  } else {
    builder.RegisterService(&sync_service);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::cerr << "bare-server: cannot listen on " << listen << std::endl;
    return 1;
  }
  std::cerr << "bare-server: serving on port " << port << std::endl;
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server->Shutdown();
  return 0;
}
