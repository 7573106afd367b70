#include "grpc_load.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kpi/v1/metric_service.grpc.pb.h"

namespace kpi::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Client = v1::MetricService::Stub;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// A channel of its own TCP connection: without a local subchannel pool,
// channels with equal arguments share one connection.
std::unique_ptr<Client> NewClient(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(-1);
  auto channel = grpc::CreateCustomChannel(
      target, grpc::InsecureChannelCredentials(), args);
  channel->WaitForConnected(std::chrono::system_clock::now() +
                            std::chrono::seconds(10));
  return v1::MetricService::NewStub(channel);
}

template <typename Response>
void RecordAnswer(const grpc::Status& status, const Response& response,
                  RunResult& result) {
  if (!status.ok()) {
    ++result.errors;
    if (result.first_error.empty()) {
      result.first_error =
          absl::StrCat(status.error_code(), ": ", status.error_message());
    }
    return;
  }
  ++result.calls;
  if (response.result().has_value()) result.value = response.result().value();
}

// Keeps channels x in_flight unary calls outstanding until the end of the
// measured interval. `issue` starts one call through the callback API.
template <typename Request, typename Response>
class UnaryLoad {
 public:
  using Issue =
      std::function<void(Client&, grpc::ClientContext*, const Request*,
                         Response*, std::function<void(grpc::Status)>)>;

  UnaryLoad(const Request& request, Issue issue)
      : request_(request), issue_(std::move(issue)) {}

  RunResult Run(const std::string& target, const UnaryOptions& options) {
    for (int c = 0; c < options.channels; ++c) {
      clients_.push_back(NewClient(target));
    }
    const Clock::time_point start = Clock::now();
    measure_from_ =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(options.warmup_seconds));
    stop_at_ =
        measure_from_ + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(options.seconds));
    slots_.resize(static_cast<size_t>(options.channels * options.in_flight));
    active_ = slots_.size();
    for (size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].client = clients_[i % clients_.size()].get();
      StartCall(slots_[i]);
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return active_ == 0; });
    }
    RunResult total;
    for (Slot& slot : slots_) total.Absorb(std::move(slot.result));
    total.seconds = Seconds(stop_at_ - measure_from_);
    return total;
  }

 private:
  // One outstanding call at a time; its callbacks run one after another, so
  // its result needs no lock.
  struct Slot {
    Client* client = nullptr;
    std::unique_ptr<grpc::ClientContext> context;
    Response response;
    Clock::time_point started;
    RunResult result;
  };

  void StartCall(Slot& slot) {
    slot.context = std::make_unique<grpc::ClientContext>();
    slot.response.Clear();
    slot.started = Clock::now();
    issue_(*slot.client, slot.context.get(), &request_, &slot.response,
           [this, &slot](grpc::Status status) { Done(slot, status); });
  }

  void Done(Slot& slot, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    if (slot.started >= measure_from_ && now <= stop_at_) {
      RecordAnswer(status, slot.response, slot.result);
      if (status.ok()) {
        slot.result.latency_us.push_back(Seconds(now - slot.started) * 1e6);
      }
    }
    if (now < stop_at_) {
      StartCall(slot);
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (--active_ == 0) done_.notify_one();
  }

  const Request& request_;
  Issue issue_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::vector<Slot> slots_;
  Clock::time_point measure_from_, stop_at_;
  std::mutex mutex_;
  std::condition_variable done_;
  size_t active_ = 0;
};

// One stream's calls, repeated until `min_seconds` have passed.
RunResult StreamCalls(const std::string& target, const StreamPayload& payload,
                      double min_seconds) {
  std::unique_ptr<Client> client = NewClient(target);
  RunResult result;
  const Clock::time_point start = Clock::now();
  do {
    grpc::ClientContext context;
    v1::ComputeStreamResponse response;
    const Clock::time_point call_start = Clock::now();
    std::unique_ptr<grpc::ClientWriter<v1::ComputeStreamRequest>> writer =
        client->ComputeStream(&context, &response);
    for (size_t i = 0; i < payload.chunks(); ++i) {
      if (!writer->Write(payload.chunk(i))) break;  // the server answered
    }
    writer->WritesDone();
    const grpc::Status status = writer->Finish();
    RecordAnswer(status, response, result);
    if (!status.ok()) break;
    result.rows += payload.rows();
    result.latency_us.push_back(Seconds(Clock::now() - call_start) * 1e6);
  } while (Seconds(Clock::now() - start) < min_seconds);
  result.seconds = Seconds(Clock::now() - start);
  return result;
}

}  // namespace

RunResult RunUnaryOverGrpc(const std::string& target,
                           const std::string& case_name,
                           const UnaryOptions& options) {
  RunResult result;
  if (case_name == "small_nps") {
    const v1::ComputeNpsRequest request = SmallNpsRequest();
    UnaryLoad<v1::ComputeNpsRequest, v1::ComputeNpsResponse> load(
        request, [](Client& client, grpc::ClientContext* context,
                    const v1::ComputeNpsRequest* request,
                    v1::ComputeNpsResponse* response,
                    std::function<void(grpc::Status)> done) {
          client.async()->ComputeNps(context, request, response,
                                     std::move(done));
        });
    result = load.Run(target, options);
  } else {
    const v1::ComputeChurnRateRequest request = SmallChurnRequest();
    UnaryLoad<v1::ComputeChurnRateRequest, v1::ComputeChurnRateResponse> load(
        request, [](Client& client, grpc::ClientContext* context,
                    const v1::ComputeChurnRateRequest* request,
                    v1::ComputeChurnRateResponse* response,
                    std::function<void(grpc::Status)> done) {
          client.async()->ComputeChurnRate(context, request, response,
                                           std::move(done));
        });
    result = load.Run(target, options);
  }
  result.case_name = case_name;
  return result;
}

RunResult RunStreamOverGrpc(const std::string& target,
                            const std::string& case_name,
                            const StreamPayload& payload,
                            const StreamOptions& options) {
  std::vector<RunResult> per_stream(static_cast<size_t>(options.streams));
  std::vector<std::thread> threads;
  for (RunResult& result : per_stream) {
    threads.emplace_back(
        [&] { result = StreamCalls(target, payload, options.min_seconds); });
  }
  for (std::thread& thread : threads) thread.join();
  RunResult total;
  total.case_name = case_name;
  // Streams run side by side: the interval is the longest of theirs.
  for (RunResult& result : per_stream) {
    total.seconds = std::max(total.seconds, result.seconds);
    total.Absorb(std::move(result));
  }
  return total;
}

}  // namespace kpi::bench
