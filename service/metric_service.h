// MetricServiceImpl: kpi.v1.MetricService on gRPC's callback API.
//
// Every method is served raw: gRPC hands over the request's bytes, and the
// work -- parsing (request_parser.h), validation, plugin code -- runs on the
// ComputePool, never on gRPC's threads. So the server's threads are the
// pool's plus gRPC's few, whatever the number of calls, and a client that
// stalls mid-stream holds no thread; a stream whose client sends nothing for
// the idle timeout is ended (DEADLINE_EXCEEDED, saying so), and calls past
// max_calls_in_flight are refused (RESOURCE_EXHAUSTED, naming the limit).
//
// Every call has a request id (request_id.h), sent back in the initial
// metadata x-request-id, and one CallMetrics::Call record, which counts it
// and, finished with its status, gives its log line (call_log.h).
//
// What each method computes is MetricDispatch's; this class is transport.
#ifndef KPI_SERVICE_METRIC_SERVICE_H_
#define KPI_SERVICE_METRIC_SERVICE_H_

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "authorizer.h"
#include "call_metrics.h"
#include "cancellation.h"
#include "compute_pool.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "live_config.h"
#include "metric_dispatch.h"
#include "ticker.h"
#include "typed_methods.h"

namespace kpi {

struct ServingLimits {
  // Calls (unary and streams) accepted and not yet finished.
  int max_calls_in_flight = 1000;
  // What one call may hold (rows, distinct keys; MetricCall::Start).
  CallLimits call;
  // How long a stream may wait for its client's next chunk.
  std::chrono::milliseconds stream_idle_timeout{std::chrono::seconds(30)};
  // A unary request up to this size to a plugin in this process is computed
  // on gRPC's thread: for a small call, handing it to the pool (a queue and
  // a wake-up) costs more than computing it. 0: never.
  size_t inline_request_bytes = 16384;
};

class MetricServiceImpl final : public v1::MetricService::Service {
 public:
  // `config`, `pool` and `metrics` (which counts every call) must outlive
  // the service, and so must `authorizer`, which decides who may call
  // (authorizer.h); null: everyone.
  MetricServiceImpl(const LiveConfig* config, ComputePool* pool,
                    CallMetrics* metrics, const ServingLimits& limits,
                    const Authorizer* authorizer = nullptr);
  ~MetricServiceImpl() override;

  // The typed methods made from the loaded metrics' declarations
  // (metric_protos.h, typed_methods.h), e.g.
  // /kpi.plugins.survey.v1.SurveyService/ComputeNps: served as unary calls
  // like kpi.v1's, with the same limits, authorization and records. Register
  // it with ServerBuilder::RegisterCallbackGenericService; a method no
  // plugin declares is UNIMPLEMENTED, naming it.
  grpc::CallbackGenericService* typed_methods_service();
  // The typed methods of the plugins loaded at start, as services of their
  // own, to register with ServerBuilder::RegisterService: they take gRPC's
  // unary path, cheaper than the generic API's (one read and one write
  // batch less per call). Each is looked up again in the registry serving
  // when it is called. Empty when no plugin is loaded.
  std::vector<grpc::Service*> startup_typed_services();
  // The typed methods of the registry serving now (rebuilt after a reload).
  std::shared_ptr<const TypedMethods> CurrentTypedMethods() const;

 private:
  class Call;
  class UnaryCall;
  class GenericCall;
  class StreamCall;
  class TypedMethodsService;
  class StartupTypedService;
  enum class Kind {
    kListMetrics,
    kDescribeMetric,
    kGetMetricProtos,
    kCompute,
    kTyped
  };
  struct Method {
    Kind kind;
    std::string name;
    std::string metric;  // kTyped: the metric the method computes
    const google::protobuf::Message* request;  // prototypes
    const google::protobuf::Message* response;
  };

  // A unary call of `method`: admitted or refused, then served on the pool.
  // `typed_methods`, when not null, holds `method`'s prototypes: the call
  // keeps it, and a copy of `method`.
  grpc::ServerUnaryReactor* StartUnary(
      const Method& method, grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
      std::shared_ptr<const TypedMethods> typed_methods = nullptr);
  // A unary call of the typed method at `path` (StartupTypedService).
  grpc::ServerUnaryReactor* StartTypedUnary(
      const std::string& path, grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request, grpc::ByteBuffer* response);
  // Whether to serve `request` on gRPC's thread (ServingLimits).
  bool RunsInline(const Method& method, const grpc::ByteBuffer& request) const;
  // Counts a new call in flight; false (and not counted) past the limit.
  bool Admit();
  static grpc::Status TooManyCalls(int limit);
  // Parses `request`, computes and serializes the answer into `*response`,
  // and completes `call` -- before returning, or, when a plugin worker
  // computes, later on the reply thread; tells the call's record the metric
  // and rows. A request that names its metric is first authorized for it
  // (`principal`: null for everyone).
  void Serve(const Method& method, const Principal* principal,
             const grpc::ByteBuffer& request, grpc::ByteBuffer* response,
             Call* call) const;
  const LiveConfig* const config_;
  MetricDispatch dispatch_;
  ComputePool* pool_;
  CallMetrics* metrics_;
  const ServingLimits limits_;
  const Authorizer* const authorizer_;
  Ticker idle_ticker_;  // ends idle streams
  std::atomic<int> calls_in_flight_{0};
  std::vector<Method> methods_;  // by method index
  std::unique_ptr<TypedMethodsService> typed_methods_service_;
  std::vector<std::unique_ptr<StartupTypedService>> startup_typed_services_;
  mutable std::mutex typed_methods_mutex_;
  mutable std::shared_ptr<const TypedMethods> typed_methods_;
};

// A call's cancellation as gRPC knows it: the client cancelled or went
// away, the deadline passed, or the server is shutting down (which cancels
// the calls still running after its grace). Cheap to ask on the callback
// API (an atomic and a clock read). A null context is never cancelled.
class CallContextCancellation final : public Cancellation {
 public:
  explicit CallContextCancellation(const grpc::ServerContextBase* context)
      : context_(context) {}
  absl::Status Check() const override;
  // The call is being finished: from now on Check() says CANCELLED without
  // reading the context, which gRPC frees at OnDone, while work of the call
  // may still be asking (a plugin worker's reply thread).
  void End() { ended_.store(true, std::memory_order_release); }

 private:
  const grpc::ServerContextBase* context_;
  std::atomic<bool> ended_{false};
};

// The longest status message sent (grpc-message is a header; clients
// refuse headers past about 8 KiB).
inline constexpr size_t kMaxStatusMessageBytes = 2048;

// absl::Status -> grpc::Status with the same code and message, the message
// capped at kMaxStatusMessageBytes.
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace kpi

#endif  // KPI_SERVICE_METRIC_SERVICE_H_
