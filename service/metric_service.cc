#include "metric_service.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/descriptor.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "quoted.h"
#include "request_id.h"
#include "request_parser.h"
#include "typed_rpcs.h"

namespace kpi {
namespace {

using google::protobuf::Message;

absl::Status Serialize(const Message& message, grpc::ByteBuffer* out) {
  bool own_buffer = false;
  grpc::Status status =
      grpc::SerializationTraits<Message>::Serialize(message, out, &own_buffer);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot serialize the answer: ", status.error_message()));
  }
  return absl::OkStatus();
}

template <typename Response>
absl::Status Reply(absl::StatusOr<Response> response, grpc::ByteBuffer* out) {
  if (!response.ok()) return response.status();
  return Serialize(*response, out);
}

// `result` into the `result` field of a typed response.
absl::Status SetResult(v1::MetricResult result, Message& response) {
  const google::protobuf::FieldDescriptor* field =
      response.GetDescriptor()->FindFieldByName("result");
  if (field == nullptr ||
      field->message_type() != v1::MetricResult::descriptor()) {
    return absl::InternalError(absl::StrCat(
        response.GetDescriptor()->full_name(), " has no MetricResult result"));
  }
  auto* target = google::protobuf::DynamicCastToGenerated<v1::MetricResult>(
      response.GetReflection()->MutableMessage(&response, field));
  target->Swap(&result);
  return absl::OkStatus();
}

// The metric each typed method computes, by method name.
const absl::flat_hash_map<std::string, std::string>& TypedMetrics() {
  static const auto* metrics = [] {
    auto* m = new absl::flat_hash_map<std::string, std::string>;
#define KPI_TYPED_METRIC(Rpc, metric) m->emplace(#Rpc, metric);
    KPI_FOR_EACH_TYPED_RPC(KPI_TYPED_METRIC)
#undef KPI_TYPED_METRIC
    return m;
  }();
  return *metrics;
}

// Gives the call its request id (request_id.h), sent back in the initial
// metadata -- before any Finish, so refused calls carry it too -- and tells
// `record` what its log line names: the id, the token's name and the peer.
void IdentifyCall(grpc::CallbackServerContext* context,
                  const Principal* principal, CallMetrics::Call& record) {
  std::string id = RequestIdOf(*context);
  context->AddInitialMetadata(kRequestIdMetadata, id);
  record.SetRequestId(std::move(id));
  if (principal != nullptr) record.SetPrincipal(principal->name);
  record.SetPeer([context] { return context->peer(); });
}

}  // namespace

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      CappedMessage(status.message(), kMaxStatusMessageBytes));
}

absl::Status CallContextCancellation::Check() const {
  if (ended_.load(std::memory_order_acquire)) {
    return absl::CancelledError("the call ended");
  }
  if (context_ == nullptr) return absl::OkStatus();
  if (std::chrono::system_clock::now() > context_->deadline()) {
    return absl::DeadlineExceededError("the call's deadline passed");
  }
  if (context_->IsCancelled()) {
    return absl::CancelledError(
        "the call was cancelled (the client went away, or the server is "
        "shutting down)");
  }
  return absl::OkStatus();
}

// What Serve answers: a unary call of kpi.v1, or of a typed method made
// from the declarations.
class MetricServiceImpl::Call {
 public:
  virtual ~Call() = default;
  virtual const Cancellation& cancellation() const = 0;
  virtual CallMetrics::Call& record() = 0;
  // Counts the call and answers it with `status` (and, when OK, the
  // response Serve wrote).
  virtual void Complete(const grpc::Status& status) = 0;
};

// A unary call: its work is one pool task, whose answer comes at once or,
// from a plugin worker, on the reply thread (MetricDispatch::ComputeThen);
// Complete() gives it. OnDone ends its count in flight.
class MetricServiceImpl::UnaryCall final : public grpc::ServerUnaryReactor,
                                           public Call {
 public:
  UnaryCall(std::atomic<int>* in_flight, bool admitted,
            const grpc::CallbackServerContext* context,
            CallMetrics::Call record)
      : in_flight_(in_flight),
        admitted_(admitted),
        cancellation_(context),
        record_(std::move(record)) {}

  const Cancellation& cancellation() const override { return cancellation_; }
  CallMetrics::Call& record() override { return record_; }

  void Complete(const grpc::Status& status) override {
    record_.Finish(status.error_code(), status.error_message());
    Finish(status);
  }

  // A copy of `method` that lives as long as the call, with `methods`,
  // which holds its prototypes.
  const Method& Keep(const Method& method,
                     std::shared_ptr<const TypedMethods> methods) {
    typed_methods_ = std::move(methods);
    return kept_method_.emplace(method);
  }

  void OnDone() override {
    if (admitted_) in_flight_->fetch_sub(1, std::memory_order_relaxed);
    delete this;
  }

  // OnDone (a decrement and a delete) and OnCancel (the default, empty)
  // never block, so gRPC may run them on the thread that completes the
  // call. Otherwise it hands every OnDone to its executor thread: a queue,
  // a wake-up and a context switch per call, a quarter of the server's CPU
  // samples at 512 calls in flight. gRPC marks this hook "not API" (its own
  // default reactor overrides it the same way); gRPC 1.51 is pinned.
  bool InternalInlineable() override { return true; }

 private:
  std::shared_ptr<const TypedMethods> typed_methods_;
  std::optional<Method> kept_method_;
  std::atomic<int>* in_flight_;
  const bool admitted_;
  const CallContextCancellation cancellation_;
  CallMetrics::Call record_;
};

// A call of a typed method made from the declarations, through gRPC's
// generic API (which sees every call as a stream of bytes): its one request
// is read, then it is served as a unary call of kpi.v1 is, on the pool.
// Owned by gRPC until OnDone.
class MetricServiceImpl::GenericCall final
    : public grpc::ServerGenericBidiReactor,
      public Call {
 public:
  GenericCall(MetricServiceImpl* service,
              grpc::GenericCallbackServerContext* context,
              std::shared_ptr<const TypedMethods> methods,
              const TypedMethods::Method& method)
      : service_(service),
        methods_(std::move(methods)),
        method_{Kind::kTyped, method.name, method.metric, method.request,
                method.response},
        cancellation_(context),
        record_(service->metrics_->Start(method_.name, method_.metric)) {
    const grpc::Status refused =
        ToGrpc(AuthorizeCallStart(service->authorizer_, *context, method_.name,
                                  method_.metric, &principal_));
    IdentifyCall(context, principal_, record_);
    if (!refused.ok()) {
      Complete(refused);
    } else if (!(admitted_ = service->Admit())) {
      Complete(TooManyCalls(service->limits_.max_calls_in_flight));
    } else {
      StartRead(&request_);
    }
  }

  const Cancellation& cancellation() const override { return cancellation_; }
  CallMetrics::Call& record() override { return record_; }

  void Complete(const grpc::Status& status) override {
    record_.Finish(status.error_code(), status.error_message());
    if (status.ok()) {
      StartWriteAndFinish(&response_, grpc::WriteOptions(), status);
    } else {
      Finish(status);
    }
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Complete(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "the call carried no request message"));
      return;
    }
    record_.AddRequestBytes(request_.Length());
    if (service_->RunsInline(method_, request_)) {
      service_->Serve(method_, principal_, request_, &response_, this);
      return;
    }
    service_->pool_->Submit([this] {
      service_->Serve(method_, principal_, request_, &response_, this);
    });
  }

  void OnDone() override {
    if (admitted_) {
      service_->calls_in_flight_.fetch_sub(1, std::memory_order_relaxed);
    }
    delete this;
  }

 private:
  MetricServiceImpl* const service_;
  // Keeps method_'s prototypes.
  const std::shared_ptr<const TypedMethods> methods_;
  const Method method_;
  const CallContextCancellation cancellation_;
  CallMetrics::Call record_;
  const Principal* principal_ = nullptr;
  bool admitted_ = false;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
};

namespace {

grpc::Status NoSuchMethod(const std::string& method) {
  return grpc::Status(
      grpc::StatusCode::UNIMPLEMENTED,
      absl::StrCat("no method ", method,
                   " here: the typed methods are kpi.v1.MetricService's and "
                   "those of the loaded plugins, "
                   "/kpi.plugins.PLUGIN.vMAJOR.PluginService/ComputeMetric "
                   "(kpi-server --emit-proto writes their .proto files)"));
}

// A call of a method no plugin declares (any more), answered at once: on
// gRPC's generic API, or on a method registered at start (Reactor).
template <typename Reactor>
class Unimplemented final : public Reactor {
 public:
  explicit Unimplemented(const std::string& method) {
    this->Finish(NoSuchMethod(method));
  }
  void OnDone() override { delete this; }
};

}  // namespace

// The typed methods of one plugin's service, registered at start as
// unary methods with raw bytes (as kpi.v1.MetricService's are).
class MetricServiceImpl::StartupTypedService final : public grpc::Service {
 public:
  StartupTypedService(MetricServiceImpl* service,
                      const std::vector<std::string>& paths)
      : paths_(paths.begin(), paths.end()) {
    for (const std::string& path : paths_) {
      auto* method = new grpc::internal::RpcServiceMethod(
          path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC,
          new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                   grpc::ByteBuffer>(
              [service, &path](grpc::CallbackServerContext* context,
                               const grpc::ByteBuffer* request,
                               grpc::ByteBuffer* response) {
                return service->StartTypedUnary(path, context, request,
                                                response);
              }));
      method->SetServerApiType(
          grpc::internal::RpcServiceMethod::ApiType::RAW_CALL_BACK);
      AddMethod(method);
    }
  }

 private:
  const std::deque<std::string> paths_;  // the methods' names point here
};

class MetricServiceImpl::TypedMethodsService final
    : public grpc::CallbackGenericService {
 public:
  explicit TypedMethodsService(MetricServiceImpl* service)
      : service_(service) {}

  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    std::shared_ptr<const TypedMethods> methods =
        service_->CurrentTypedMethods();
    const TypedMethods::Method* method = methods->Find(context->method());
    if (method == nullptr) {
      return new Unimplemented<grpc::ServerGenericBidiReactor>(
          context->method());
    }
    return new GenericCall(service_, context, std::move(methods), *method);
  }

 private:
  MetricServiceImpl* const service_;
};

// A ComputeStream call, a pipeline of two stages on the pool: a chunk is
// parsed while the one before it is added (validated, interned, computed), so
// a stream runs at the pace of the slower stage, not of their sum. The next
// read starts once a chunk is parsed and at most one parsed chunk waits, so
// a stream holds at most two chunks and two pool tasks. Chunks are added one
// at a time and in order, by one "adder" at a time; only the adder (or the
// thread that finishes the call while no adder runs) touches stream_ and
// record_. Owned by itself (self_) until OnDone, and by any pool task or idle
// check running on it.
class MetricServiceImpl::StreamCall final
    : public grpc::ServerReadReactor<grpc::ByteBuffer>,
      public Ticker::Ticked,
      public std::enable_shared_from_this<StreamCall> {
 public:
  static StreamCall* Start(MetricServiceImpl* service,
                           grpc::CallbackServerContext* context,
                           grpc::ByteBuffer* response) {
    std::shared_ptr<StreamCall> call(
        new StreamCall(service, context, response));
    call->self_ = call;
    // The metric is authorized once the first chunk names it.
    const absl::Status allowed = AuthorizeCallStart(
        service->authorizer_, *context, "ComputeStream", "", &call->principal_);
    call->admitted_ = allowed.ok() && service->Admit();
    call->record_ = service->metrics_->Start("ComputeStream");
    IdentifyCall(context, call->principal_, call->record_);
    if (!allowed.ok()) {
      call->FinishOnce(ToGrpc(allowed));
    } else if (!call->admitted_) {
      call->FinishOnce(TooManyCalls(service->limits_.max_calls_in_flight));
    } else {
      service->idle_ticker_.Add(call);
      call->ReadNext();
    }
    return call.get();
  }

  void OnReadDone(bool ok) override {
    std::shared_ptr<StreamCall> self = shared_from_this();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      waiting_ = false;
      if (finished_) return;  // ended while the read was pending
      if (!ok && adding_) {
        ended_ = true;  // the adder completes the call after its last chunk
        return;
      }
      if (!ok) adding_ = true;  // Complete owns the call now
    }
    // !ok: the client half-closed (the stream is whole) or went away.
    if (!ok) {
      service_->pool_->Submit([self] { self->Complete(); });
      return;
    }
    const uint64_t index = read_++;
    service_->pool_->Submit([self, index] { self->Parse(index); });
  }

  void OnDone() override {
    if (admitted_) {
      service_->calls_in_flight_.fetch_sub(1, std::memory_order_relaxed);
    }
    self_.reset();  // may delete this
  }

  // Ends the stream if its client has sent nothing for the idle timeout
  // while a read was pending: the server was ready for a chunk. (While it
  // holds two chunks it reads nothing, and the clock does not run.) Only
  // between chunks being added, which use record_.
  void Tick(Ticker::Clock::time_point now) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_ || !waiting_ || adding_ ||
          now - waiting_since_ < service_->limits_.stream_idle_timeout) {
        return;
      }
      finished_ = true;  // no adder runs, and none starts: the read pends
    }
    const grpc::Status idle(
        grpc::StatusCode::DEADLINE_EXCEEDED,
        absl::StrCat("the stream was idle: no chunk arrived for ",
                     service_->limits_.stream_idle_timeout.count(),
                     " ms (kpi-server --stream-idle-timeout-ms); send chunks "
                     "more often or close the stream"));
    // On the pool: ending may wait for a chunk still in a worker.
    service_->pool_->Submit(
        [self = shared_from_this(), idle] { self->End(idle); });
  }

 private:
  // A chunk read and parsed, waiting to be added. Its request lives on an
  // arena that chunk after chunk reuses (see RequestArenaOptions).
  class Parsed {
   public:
    Parsed() : arena_(RequestArenaOptions()) {}

    // Parses `bytes` as chunk `index`; the previous chunk's request is gone.
    void Parse(const grpc::ByteBuffer& bytes, uint64_t index) {
      arena_.Reset();
      request_ =
          google::protobuf::Arena::CreateMessage<v1::ComputeStreamRequest>(
              &arena_);
      index_ = index;
      bytes_ = bytes.Length();
      status_ = ParseRequest(bytes, request_);
    }

    const v1::ComputeStreamRequest& request() const { return *request_; }
    const absl::Status& status() const { return status_; }  // of parsing
    uint64_t index() const { return index_; }  // 0 for the first chunk
    uint64_t bytes() const { return bytes_; }

   private:
    google::protobuf::Arena arena_;
    v1::ComputeStreamRequest* request_ = nullptr;
    absl::Status status_;
    uint64_t index_ = 0;
    uint64_t bytes_ = 0;
  };

  StreamCall(MetricServiceImpl* service, grpc::CallbackServerContext* context,
             grpc::ByteBuffer* response)
      : service_(service),
        context_(context),
        response_(response),
        cancellation_(context),
        stream_(service->dispatch_.StartStream(&cancellation_)) {}

  // REQUIRES: no read is pending.
  void ReadNext() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_) return;
      waiting_ = true;
      waiting_since_ = Ticker::Clock::now();
    }
    StartRead(&buffer_);
  }

  // On the pool: parses chunk `index` (in buffer_), then adds it, or leaves
  // it to the adder that is busy with the chunk before.
  void Parse(uint64_t index) {
    // Chunks are parsed one at a time, into the slot that is neither being
    // added nor waiting: at most one other slot is in use now.
    Parsed& parsed = parsed_[index % 2];
    parsed.Parse(buffer_, index);
    buffer_.Clear();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_) return;
      if (adding_) {
        waiting_chunk_ = &parsed;  // read on once the adder takes it
        return;
      }
      adding_ = true;
    }
    if (parsed.status().ok()) ReadNext();
    AddInOrder(&parsed);
  }

  // On the pool, as the adder: adds `next`, then any chunk parsed meanwhile;
  // completes the call if the client closed the stream meanwhile. `next` is
  // checked and bound at once, while the chunk before may still be in a
  // plugin worker; then, if it is, the adder gives its thread back and
  // sends `next` once the worker answers.
  void AddInOrder(Parsed* next) {
    while (next != nullptr) {
      if (!next_bound_) {
        if (const absl::Status status = Bind(*next); !status.ok()) {
          FinishOnce(ToGrpc(status));
          std::lock_guard<std::mutex> lock(mutex_);
          adding_ = false;
          return;
        }
        next_bound_ = true;
      }
      if (stream_.DeferUntilSettled(
              OnThePool([this, next] { AddInOrder(next); }))) {
        return;
      }
      next_bound_ = false;
      const absl::Status status = stream_.SendBound();
      if (!status.ok()) {
        FinishOnce(ToGrpc(status));
        std::lock_guard<std::mutex> lock(mutex_);
        adding_ = false;
        return;
      }
      bool complete = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        next = std::exchange(waiting_chunk_, nullptr);
        if (finished_) {
          adding_ = false;
          return;
        }
        if (next == nullptr) {
          complete = ended_;
          adding_ = complete;  // Complete goes on owning the call
        }
      }
      if (complete) Complete();
      if (next != nullptr && next->status().ok()) ReadNext();
    }
  }

  // One chunk checked and bound into the stream, or why the stream fails.
  absl::Status Bind(const Parsed& parsed) {
    record_.AddRequestBytes(parsed.bytes());
    if (!parsed.status().ok()) {
      // The stream is not whole: it fails, and nothing is computed.
      return absl::InvalidArgumentError(absl::StrCat(
          "chunk ", parsed.index(), ": ", parsed.status().message(),
          "; the stream is refused whole"));
    }
    if (parsed.index() == 0) {
      // Refused before any of it is computed.
      absl::Status allowed = AuthorizeMetric(principal_, "ComputeStream",
                                             parsed.request().metric());
      if (!allowed.ok()) return allowed;
    }
    const uint64_t rows_before = stream_.rows();
    const absl::Status status = stream_.Bind(parsed.request());
    if (parsed.index() == 0) record_.SetMetric(stream_.metric());
    record_.AddRows(stream_.rows() - rows_before);
    return status;
  }

  // On the pool, as the owner of the call: the stream ended. The result
  // comes at once, or from a plugin worker on the reply thread.
  void Complete() {
    if (stream_.DeferUntilSettled(OnThePool([this] { Complete(); }))) return;
    if (context_->IsCancelled()) {
      FinishOnce(grpc::Status::CANCELLED);
      return;
    }
    stream_.FinishThen([self = shared_from_this()](
                           absl::StatusOr<v1::MetricResult> result, uint64_t) {
      if (!result.ok()) {
        self->FinishOnce(ToGrpc(result.status()));
        return;
      }
      v1::ComputeStreamResponse response;
      response.set_chunks(self->stream_.chunks());
      *response.mutable_result() = *std::move(result);
      self->FinishOnce(ToGrpc(Serialize(response, self->response_)));
    });
  }

  // `step`, run on the pool by a reply thread that resumes this call.
  Aggregation::Resume OnThePool(std::function<void()> step) {
    return [self = shared_from_this(), step = std::move(step)]() mutable {
      self->service_->pool_->Submit([self, step = std::move(step)] { step(); });
    };
  }

  void FinishOnce(const grpc::Status& status) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    End(status);
  }

  // Finishes the call, once no plugin work of it is in flight: a chunk
  // still in a worker is cancelled and its answer awaited (holding no
  // thread), since gRPC frees the call's context at OnDone and that work
  // asks it. REQUIRES: finished_ was set by this caller, which owns stream_.
  void End(const grpc::Status& status) {
    cancellation_.End();
    if (stream_.DeferUntilSettled(OnThePool([this, status] { End(status); }))) {
      return;
    }
    record_.Finish(status.error_code(), status.error_message());
    Finish(status);
  }

  MetricServiceImpl* const service_;
  grpc::CallbackServerContext* const context_;
  grpc::ByteBuffer* const response_;
  CallContextCancellation cancellation_;  // ended as the call finishes
  MetricDispatch::Stream stream_;
  bool admitted_ = false;
  grpc::ByteBuffer buffer_;  // the chunk being read
  uint64_t read_ = 0;        // chunks read so far
  Parsed parsed_[2];         // chunk i is parsed into parsed_[i % 2]
  const Principal* principal_ = nullptr;  // the caller; null: everyone
  CallMetrics::Call record_;              // finished with the call
  std::shared_ptr<StreamCall> self_;
  // The adder's: the chunk it holds is bound, and waits to be sent.
  bool next_bound_ = false;

  std::mutex mutex_;
  bool waiting_ = false;   // a read is pending on the client
  bool adding_ = false;    // an adder (or Complete) owns stream_ and record_
  bool ended_ = false;     // the client closed the stream while adding_
  bool finished_ = false;  // Finish was called
  Parsed* waiting_chunk_ = nullptr;  // parsed while the adder was busy
  Ticker::Clock::time_point waiting_since_;
};

MetricServiceImpl::MetricServiceImpl(const LiveConfig* config,
                                     ComputePool* pool, CallMetrics* metrics,
                                     const ServingLimits& limits,
                                     const Authorizer* authorizer)
    : config_(config),
      dispatch_(config, limits.call),
      pool_(pool),
      metrics_(metrics),
      limits_(limits),
      authorizer_(authorizer),
      // An idle stream ends within a quarter of the timeout more (at most
      // a second late).
      idle_ticker_(std::clamp<std::chrono::milliseconds>(
          limits.stream_idle_timeout / 4, std::chrono::milliseconds(10),
          std::chrono::seconds(1))) {
  const google::protobuf::ServiceDescriptor* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          v1::MetricService::service_full_name());
  google::protobuf::MessageFactory* factory =
      google::protobuf::MessageFactory::generated_factory();
  for (int i = 0; i < service->method_count(); ++i) {
    const google::protobuf::MethodDescriptor* rpc = service->method(i);
    Method method{Kind::kTyped, rpc->name(), "",
                  factory->GetPrototype(rpc->input_type()),
                  factory->GetPrototype(rpc->output_type())};
    if (rpc->name() == "ListMetrics") {
      method.kind = Kind::kListMetrics;
    } else if (rpc->name() == "DescribeMetric") {
      method.kind = Kind::kDescribeMetric;
    } else if (rpc->name() == "GetMetricProtos") {
      method.kind = Kind::kGetMetricProtos;
    } else if (rpc->name() == "Compute") {
      method.kind = Kind::kCompute;
    } else if (auto typed = TypedMetrics().find(rpc->name());
               typed != TypedMetrics().end()) {
      method.metric = typed->second;
    }
    methods_.push_back(std::move(method));
  }
  // Marked only once methods_ is complete: handlers keep pointers into it.
  for (int i = 0; i < service->method_count(); ++i) {
    const Method* method = &methods_[static_cast<size_t>(i)];
    if (service->method(i)->client_streaming()) {
      MarkMethodRawCallback(
          i,
          new grpc::internal::CallbackClientStreamingHandler<grpc::ByteBuffer,
                                                             grpc::ByteBuffer>(
              [this](grpc::CallbackServerContext* context,
                     grpc::ByteBuffer* response) {
                return StreamCall::Start(this, context, response);
              }));
      continue;
    }
    MarkMethodRawCallback(
        i, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                    grpc::ByteBuffer>(
               [this, method](grpc::CallbackServerContext* context,
                              const grpc::ByteBuffer* request,
                              grpc::ByteBuffer* response) {
                 return StartUnary(*method, context, request, response);
               }));
  }
  typed_methods_service_ = std::make_unique<TypedMethodsService>(this);
  // One service per plugin service: gRPC names a service by its methods'
  // common prefix.
  std::vector<std::string> paths = CurrentTypedMethods()->Paths();
  for (size_t first = 0; first < paths.size();) {
    const std::string prefix = paths[first].substr(0, paths[first].rfind('/'));
    size_t end = first;
    while (end < paths.size() &&
           paths[end].substr(0, paths[end].rfind('/')) == prefix) {
      ++end;
    }
    startup_typed_services_.push_back(std::make_unique<StartupTypedService>(
        this,
        std::vector<std::string>(paths.begin() + first, paths.begin() + end)));
    first = end;
  }
}

std::vector<grpc::Service*> MetricServiceImpl::startup_typed_services() {
  std::vector<grpc::Service*> services;
  for (const auto& service : startup_typed_services_) {
    services.push_back(service.get());
  }
  return services;
}

grpc::ServerUnaryReactor* MetricServiceImpl::StartTypedUnary(
    const std::string& path, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
  std::shared_ptr<const TypedMethods> methods = CurrentTypedMethods();
  const TypedMethods::Method* typed = methods->Find(path);
  if (typed == nullptr) {
    return new Unimplemented<grpc::ServerUnaryReactor>(path);
  }
  return StartUnary(Method{Kind::kTyped, typed->name, typed->metric,
                           typed->request, typed->response},
                    context, request, response, std::move(methods));
}

MetricServiceImpl::~MetricServiceImpl() = default;

grpc::CallbackGenericService* MetricServiceImpl::typed_methods_service() {
  return typed_methods_service_.get();
}

std::shared_ptr<const TypedMethods> MetricServiceImpl::CurrentTypedMethods()
    const {
  const ServingConfig serving = config_->Current();
  std::lock_guard<std::mutex> lock(typed_methods_mutex_);
  if (typed_methods_ == nullptr ||
      !typed_methods_->BuiltFrom(serving.registry.get())) {
    typed_methods_ = TypedMethods::Build(serving.registry);
  }
  return typed_methods_;
}

grpc::ServerUnaryReactor* MetricServiceImpl::StartUnary(
    const Method& given, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer* request, grpc::ByteBuffer* response,
    std::shared_ptr<const TypedMethods> typed_methods) {
  CallMetrics::Call record = metrics_->Start(given.name, given.metric);
  record.AddRequestBytes(request->Length());
  // A typed method's metric is authorized now; one the request names, in
  // Serve.
  const Principal* principal = nullptr;
  grpc::Status refused = ToGrpc(AuthorizeCallStart(
      authorizer_, *context, given.name, given.metric, &principal));
  IdentifyCall(context, principal, record);
  const bool admitted = refused.ok() && Admit();
  auto* call =
      new UnaryCall(&calls_in_flight_, admitted, context, std::move(record));
  const Method& method =
      typed_methods ? call->Keep(given, std::move(typed_methods)) : given;
  if (!admitted) {
    if (refused.ok()) refused = TooManyCalls(limits_.max_calls_in_flight);
    call->Complete(refused);
    return call;
  }
  if (RunsInline(method, *request)) {
    Serve(method, principal, *request, response, call);
    return call;
  }
  pool_->Submit([this, &method, principal, request, response, call] {
    Serve(method, principal, *request, response, call);
  });
  return call;
}

bool MetricServiceImpl::RunsInline(const Method& method,
                                   const grpc::ByteBuffer& request) const {
  // Typed methods only: their metric is known before the request is parsed.
  return method.kind == Kind::kTyped &&
         request.Length() <= limits_.inline_request_bytes &&
         dispatch_.InProcess(method.metric);
}

bool MetricServiceImpl::Admit() {
  if (calls_in_flight_.fetch_add(1, std::memory_order_relaxed) >=
      limits_.max_calls_in_flight) {
    calls_in_flight_.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

grpc::Status MetricServiceImpl::TooManyCalls(int limit) {
  return grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      absl::StrCat("the server is at its limit of ", limit,
                   " calls in flight (kpi-server --max-calls-in-flight); "
                   "retry with backoff"));
}

void MetricServiceImpl::Serve(const Method& method, const Principal* principal,
                              const grpc::ByteBuffer& request,
                              grpc::ByteBuffer* response, Call* call) const {
  CallMetrics::Call& record = call->record();
  auto complete = [call](const absl::Status& status) {
    call->Complete(ToGrpc(status));
  };
  switch (method.kind) {
    case Kind::kListMetrics: {
      v1::ListMetricsRequest parsed;
      absl::Status status = ParseRequest(request, &parsed);
      if (status.ok()) status = Serialize(dispatch_.ListMetrics(), response);
      return complete(status);
    }
    case Kind::kDescribeMetric: {
      v1::DescribeMetricRequest parsed;
      absl::Status status = ParseRequest(request, &parsed);
      if (status.ok()) {
        record.SetMetric(parsed.metric());
        status = AuthorizeMetric(principal, method.name, parsed.metric());
      }
      if (status.ok())
        status = Reply(dispatch_.DescribeMetric(parsed), response);
      return complete(status);
    }
    case Kind::kGetMetricProtos: {
      v1::GetMetricProtosRequest parsed;
      absl::Status status = ParseRequest(request, &parsed);
      if (status.ok())
        status = Reply(dispatch_.GetMetricProtos(parsed), response);
      return complete(status);
    }
    case Kind::kCompute: {
      google::protobuf::Arena arena(RequestArenaOptions());
      auto& parsed =
          *google::protobuf::Arena::CreateMessage<v1::ComputeRequest>(&arena);
      absl::Status status = ParseRequest(request, &parsed);
      if (status.ok()) {
        record.SetMetric(parsed.metric());
        status = AuthorizeMetric(principal, method.name, parsed.metric());
      }
      if (!status.ok()) return complete(status);
      // The request is read before ComputeThen returns (a worker is sent it
      // then), so it may go with the arena.
      return dispatch_.ComputeThen(
          parsed, &call->cancellation(),
          [call, response, complete](absl::StatusOr<v1::MetricResult> result,
                                     uint64_t rows) {
            call->record().AddRows(rows);
            if (!result.ok()) return complete(result.status());
            v1::ComputeResponse answer;
            *answer.mutable_result() = *std::move(result);
            complete(Serialize(answer, response));
          });
    }
    case Kind::kTyped: {
      google::protobuf::Arena arena(RequestArenaOptions());
      Message* parsed = method.request->New(&arena);
      if (absl::Status s = ParseRequest(request, parsed); !s.ok()) {
        return complete(s);
      }
      return dispatch_.ComputeTypedThen(
          method.metric, *parsed, &call->cancellation(),
          [call, response, complete, &method](
              absl::StatusOr<v1::MetricResult> result, uint64_t rows) {
            call->record().AddRows(rows);
            if (!result.ok()) return complete(result.status());
            std::unique_ptr<Message> answer(method.response->New());
            absl::Status status = SetResult(*std::move(result), *answer);
            if (status.ok()) status = Serialize(*answer, response);
            complete(status);
          });
    }
  }
  complete(absl::InternalError("unknown method kind"));
}

}  // namespace kpi
