// kpi-plugin-worker: runs one plugin's code for kpi-server, so that a fault
// in it ends this process, not the server (plugin_worker.h is the server's
// side). Not meant to be run by hand.
//
//   kpi-plugin-worker --plugin FILE --control-fd N --mailbox-fd N [--check]
//                     [--exit-after-load] [--memory-limit-bytes N]
//
// Loads FILE in place (the server's private copy), runs the conformance
// checks with --check, and reports on the control socket: the status, and
// the descriptor when loaded. Then, unless --exit-after-load, runs the
// requests the server posts in the mailbox (worker_mailbox.h) on the
// channels it hands over on the control socket, until that socket closes.
//
// Requests run on executor threads. An executor that finishes a request
// takes the next one without sleeping, so under load one thread serves
// many calls with no wake-up between them; the server wakes one only when
// none is awake. A watch thread adds an executor (up to one per channel)
// when requests wait while every awake executor is busy for a
// millisecond -- a slow call delays others by about that much, never
// longer.
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "aggregation.h"
#include "cancellation.h"
#include "conformance.h"
#include "descriptor_wire.h"
#include "metric.h"
#include "plugin_library.h"
#include "private_copy.h"
#include "shared_buffer.h"
#include "unix_io.h"
#include "worker_mailbox.h"
#include "worker_protocol.h"

namespace kpi {
namespace {

struct Arguments {
  std::string plugin;
  int control_fd = -1;
  int mailbox_fd = -1;
  bool check = false;
  bool exit_after_load = false;
  uint64_t memory_limit_bytes = 0;
};

bool ParseArguments(int argc, char** argv, Arguments& args) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const bool has_value = i + 1 < argc;
    if (flag == "--plugin" && has_value) {
      args.plugin = argv[++i];
    } else if (flag == "--control-fd" && has_value) {
      if (!absl::SimpleAtoi(argv[++i], &args.control_fd)) return false;
    } else if (flag == "--mailbox-fd" && has_value) {
      if (!absl::SimpleAtoi(argv[++i], &args.mailbox_fd)) return false;
    } else if (flag == "--memory-limit-bytes" && has_value) {
      if (!absl::SimpleAtoi(argv[++i], &args.memory_limit_bytes)) return false;
    } else if (flag == "--check") {
      args.check = true;
    } else if (flag == "--exit-after-load") {
      args.exit_after_load = true;
    } else {
      return false;
    }
  }
  return !args.plugin.empty() && args.control_fd >= 0 &&
         (args.exit_after_load || args.mailbox_fd >= 0);
}

// Address space capped at four times the resident limit plus 4 GiB: the
// server's watch on resident memory (every 20 ms while a request runs) is
// the limit callers see, as RESOURCE_EXHAUSTED; this cap, far above it, only
// stops an allocation too fast for the watch. Not under AddressSanitizer or
// ThreadSanitizer, which reserve terabytes of address space up front.
// GCC says so with __SANITIZE_*__, clang (before 17) only with
// __has_feature: without the latter, a clang ASan build's worker could not
// map its shadow memory and every plugin was refused at load.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define KPI_WORKER_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define KPI_WORKER_SANITIZED 1
#endif
#endif

void LimitAddressSpace(uint64_t memory_limit_bytes) {
#if defined(KPI_WORKER_SANITIZED)
  (void)memory_limit_bytes;
#else
  if (memory_limit_bytes == 0) return;
  const rlim_t cap = memory_limit_bytes * 4 + (uint64_t{4} << 30);
  const rlimit limit{cap, cap};
  setrlimit(RLIMIT_AS, &limit);
#endif
}

// The cancellation of the request a channel is running: the flag the
// server sets in the channel's shared header.
class ChannelCancellation : public Cancellation {
 public:
  explicit ChannelCancellation(const SharedBuffer* buffer) : buffer_(buffer) {}
  absl::Status Check() const override {
    return StatusOfReason(
        buffer_->header().cancel.load(std::memory_order_relaxed));
  }

 private:
  const SharedBuffer* buffer_;
};

// A call's cancellation follows the call from channel to channel.
class CallCancellation : public Cancellation {
 public:
  absl::Status Check() const override {
    return current_ ? current_->Check() : absl::OkStatus();
  }
  void Use(const Cancellation* channel) { current_ = channel; }

 private:
  const Cancellation* current_ = nullptr;
};

class WorkerService {
 public:
  explicit WorkerService(std::shared_ptr<const PluginLibrary> library) {
    const kpi_plugin_descriptor& plugin = library->descriptor();
    for (size_t i = 0; i < plugin.num_metrics; ++i) {
      metrics_.push_back(
          std::make_shared<const Metric>(library, &plugin.metrics[i]));
    }
  }

  // Runs the request in `buffer` and writes the reply over it.
  void Serve(SharedBuffer& buffer) {
    // The server reads this thread's CPU time if the call is cancelled.
    buffer.header().worker_thread.store(static_cast<uint32_t>(gettid()),
                                        std::memory_order_relaxed);
    ChannelCancellation cancellation(&buffer);
    std::string result;
    absl::Status status;
    const uint64_t used = buffer.header().used;
    if (!buffer.MapAtLeast(kBodyOffset + used)) {
      status = absl::DataLossError("request larger than its buffer");
    } else {
      WireReader in(buffer.data() + kBodyOffset, used);
      status = Run(in, cancellation, result);
    }
    WireWriter out([&buffer](size_t size) -> char* {
      char* base = buffer.Reserve(kBodyOffset + size);
      return base ? base + kBodyOffset : nullptr;
    });
    WriteReply(out, status, result);
    if (!out.ok()) {
      result.clear();
      WireWriter small([&buffer](size_t size) -> char* {
        char* base = buffer.Reserve(kBodyOffset + size);
        return base ? base + kBodyOffset : nullptr;
      });
      WriteReply(small,
                 absl::ResourceExhaustedError(
                     "the plugin worker has no memory for the result"),
                 result);
      buffer.header().used = small.size();
    } else {
      buffer.header().used = out.size();
    }
  }

 private:
  struct Call {
    CallCancellation cancellation;
    // The call's key dictionaries, as the server sent them; before
    // aggregation_, whose plugin states may point to them until destroyed.
    std::vector<std::unique_ptr<KeyTexts>> keys;
    std::unique_ptr<Aggregation> aggregation;
  };

  // Runs a request's operations in order; stops at the first failure.
  absl::Status Run(WireReader& in, const Cancellation& channel,
                   std::string& result) {
    while (!in.at_end()) {
      uint32_t op = 0;
      uint64_t id = 0;
      if (!in.Get(op)) break;
      if (op == static_cast<uint32_t>(WorkerOp::kOpen)) {
        OpenRequest open;
        if (!ReadOpen(in, open)) break;
        if (absl::Status s = Open(open); !s.ok()) return s;
        continue;
      }
      if (op == static_cast<uint32_t>(WorkerOp::kUpdate)) {
        UpdateRequest update;
        if (!ReadUpdate(in, update)) break;
        std::unique_ptr<Call> call = Take(update.call);
        if (call == nullptr) return UnknownCall(update.call);
        if (absl::Status s = ApplyKeys(update, call->keys); !s.ok()) return s;
        call->cancellation.Use(&channel);
        absl::Status s = call->aggregation->Update(update.chunk, update.keys);
        call->cancellation.Use(nullptr);
        // A call the server sees fail is gone: it never sends it again.
        if (!s.ok()) return s;
        Put(update.call, std::move(call));
        continue;
      }
      if (!in.Get(id)) break;
      if (op == static_cast<uint32_t>(WorkerOp::kDrop)) {
        Drop(id);
      } else if (op == static_cast<uint32_t>(WorkerOp::kFinish)) {
        std::unique_ptr<Call> call = Take(id);
        if (call == nullptr) return UnknownCall(id);
        call->cancellation.Use(&channel);
        absl::StatusOr<v1::MetricResult> finished = call->aggregation->Finish();
        if (!finished.ok()) return finished.status();
        finished->SerializeToString(&result);
      } else {
        return absl::DataLossError(absl::StrCat("unknown operation ", op));
      }
    }
    return in.status().ok() ? absl::OkStatus() : in.status();
  }

  absl::Status Open(const OpenRequest& open) {
    if (open.metric_index >= metrics_.size()) {
      return absl::DataLossError("no such metric");
    }
    const std::shared_ptr<const Metric>& metric = metrics_[open.metric_index];
    auto call = std::make_unique<Call>();
    auto params = std::make_shared<const BoundParams>(
        BoundParams::FromValues(metric->descriptor(), open.params));
    absl::StatusOr<std::unique_ptr<LocalAggregation>> aggregation =
        LocalAggregation::Start(metric, std::move(params), open.group_by,
                                &call->cancellation);
    if (!aggregation.ok()) return aggregation.status();
    call->aggregation = *std::move(aggregation);
    Put(open.call, std::move(call));
    return absl::OkStatus();
  }

  // A call is taken out of the table while one of its operations runs and
  // put back after, so each operation's thread hands the call (and its
  // plugin states) to the next through the table's mutex; an operation on
  // a call that is busy or gone finds nothing.
  std::unique_ptr<Call> Take(uint64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = calls_.find(id);
    if (it == calls_.end()) return nullptr;
    std::unique_ptr<Call> call = std::move(it->second);
    calls_.erase(it);
    return call;
  }
  // Puts a call back, unless the server dropped it meanwhile (it abandoned
  // the call while one of its operations ran).
  void Put(uint64_t id, std::unique_ptr<Call> call) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (dropped_.erase(id) > 0) return;
    calls_[id] = std::move(call);
  }
  void Drop(uint64_t id) {
    std::unique_ptr<Call> call = Take(id);
    if (call != nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    dropped_.insert(id);  // busy: Put forgets it
  }
  static absl::Status UnknownCall(uint64_t id) {
    return absl::DataLossError(absl::StrCat("unknown call ", id));
  }

  std::vector<std::shared_ptr<const Metric>> metrics_;
  std::mutex mutex_;
  absl::flat_hash_map<uint64_t, std::unique_ptr<Call>> calls_;
  absl::flat_hash_set<uint64_t> dropped_;
};

// The channels the server handed over, by number, and the threads that run
// their requests.
class Executors {
 public:
  Executors(WorkerService* service, WorkerMailbox mailbox, int control_fd)
      : service_(service),
        mailbox_(std::move(mailbox)),
        control_fd_(control_fd) {}

  // Starts the first executor and the watch.
  void Start() {
    AddExecutor();
    std::thread(&Executors::Watch, this).detach();
  }

  // A channel handed over on the control socket: the next number.
  void AddChannel(SharedBuffer buffer) {
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.push_back(std::make_unique<SharedBuffer>(std::move(buffer)));
    channel_added_.notify_all();
  }

 private:
  static constexpr std::chrono::milliseconds kWatchTick{1};
  // The watch stops ticking after this long with nothing running.
  static constexpr std::chrono::milliseconds kWatchIdle{100};

  void AddExecutor() {
    ++executors_;
    mailbox_.ExecutorAwake();
    std::thread(&Executors::Execute, this).detach();
  }

  void Execute() {
    for (;;) {
      std::optional<uint32_t> number;
      {
        std::lock_guard<std::mutex> lock(requests_mutex_);
        number = mailbox_.PopRequest();
      }
      if (!number.has_value()) {
        ++sleeping_;
        mailbox_.Sleep();
        --sleeping_;
        continue;
      }
      SharedBuffer* buffer = Channel(*number);
      if (buffer == nullptr) std::_Exit(3);  // a request on no channel
      if (running_.fetch_add(1) == 0) WakeWatch();
      service_->Serve(*buffer);
      running_.fetch_sub(1);
      bool wake_server;
      {
        std::lock_guard<std::mutex> lock(replies_mutex_);
        wake_server = mailbox_.PushReply(*number);
      }
      const char doorbell = 'r';
      if (wake_server && !WriteAll(control_fd_, &doorbell, 1)) std::_Exit(0);
    }
  }

  // Channel `number`; its buffer is on its way on the control socket if
  // not here yet (the server hands a channel over before using it).
  SharedBuffer* Channel(uint32_t number) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!channel_added_.wait_for(lock, std::chrono::seconds(10),
                                 [&] { return number < channels_.size(); })) {
      return nullptr;
    }
    return channels_[number].get();
  }

  void WakeWatch() {
    std::lock_guard<std::mutex> lock(watch_mutex_);
    if (!watch_asleep_) return;
    watch_asleep_ = false;
    watch_wake_.notify_one();
  }

  // Every tick while executors run: requests that wait while none was
  // taken for a whole tick mean every awake executor is stuck in a long
  // call; one more is woken, or started.
  void Watch() {
    uint32_t taken = mailbox_.requests_taken();
    auto last_running = std::chrono::steady_clock::now();
    for (;;) {
      std::this_thread::sleep_for(kWatchTick);
      const auto now = std::chrono::steady_clock::now();
      if (running_.load() > 0) last_running = now;
      const uint32_t taken_now = mailbox_.requests_taken();
      if (mailbox_.HasRequest() && taken_now == taken) {
        if (sleeping_.load() > 0) {
          mailbox_.WakeExecutor();
        } else if (executors_ < MaxExecutors()) {
          AddExecutor();
        }
      }
      taken = taken_now;
      if (now - last_running < kWatchIdle) continue;
      std::unique_lock<std::mutex> lock(watch_mutex_);
      watch_asleep_ = true;
      // Re-checked under the lock: an executor that started meanwhile
      // found the watch awake and did not wake it.
      if (running_.load() > 0) {
        watch_asleep_ = false;
        continue;
      }
      watch_wake_.wait(lock, [this] { return !watch_asleep_; });
      last_running = std::chrono::steady_clock::now();
    }
  }

  size_t MaxExecutors() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::max<size_t>(1, channels_.size());
  }

  WorkerService* const service_;
  WorkerMailbox mailbox_;
  const int control_fd_;
  std::mutex requests_mutex_;         // one consumer of the request ring
  std::mutex replies_mutex_;          // one producer on the reply ring
  std::atomic<size_t> executors_{0};  // added only by the watch, and Start
  std::atomic<int> sleeping_{0};
  std::atomic<int> running_{0};  // executors running a request

  std::mutex mutex_;
  std::condition_variable channel_added_;
  std::vector<std::unique_ptr<SharedBuffer>> channels_;

  std::mutex watch_mutex_;
  std::condition_variable watch_wake_;
  bool watch_asleep_ = false;
};

// Loads (and checks) the plugin and reports to the server: the status, and
// the descriptor bytes when it loaded.
std::shared_ptr<const PluginLibrary> LoadAndReport(const Arguments& args) {
  // The copy stays in use while this worker lives, even if the server dies
  // first. Best effort: the server holds it too while it can start us.
  (void)HoldPrivateCopy(args.plugin);
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> library =
      PluginLibrary::LoadInPlace(args.plugin);
  absl::Status status = library.status();
  if (status.ok() && args.check) {
    status = ConformanceStatus(CheckConformance(*library));
  }
  std::string descriptor;
  if (status.ok()) {
    StringWireWriter out(&descriptor);
    WriteDescriptor((*library)->descriptor(), out);
  }
  std::string report;
  StringWireWriter out(&report);
  WriteReply(out, status, descriptor);
  if (!SendFrame(args.control_fd, report) || !status.ok()) return nullptr;
  return *std::move(library);
}

int Main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  Arguments args;
  if (!ParseArguments(argc, argv, args)) {
    std::cerr << "kpi-plugin-worker: started by kpi-server, not by hand\n";
    return 2;
  }
  LimitAddressSpace(args.memory_limit_bytes);
  std::shared_ptr<const PluginLibrary> library = LoadAndReport(args);
  if (library == nullptr || args.exit_after_load) return 0;
  absl::StatusOr<WorkerMailbox> mailbox = WorkerMailbox::Adopt(args.mailbox_fd);
  if (!mailbox.ok()) return 1;
  // Both live until _Exit.
  auto* service = new WorkerService(library);
  auto* executors =
      new Executors(service, *std::move(mailbox), args.control_fd);
  executors->Start();
  for (;;) {
    int fd;
    const int received = ReceiveFds(args.control_fd, &fd, 1);
    if (received <= 0) break;  // the server is gone or done with us
    absl::StatusOr<SharedBuffer> buffer = SharedBuffer::Adopt(fd);
    // Numbers must stay in step with the server's: a buffer that cannot
    // be mapped ends the worker (its calls fail as a crash would).
    if (!buffer.ok()) std::_Exit(4);
    executors->AddChannel(*std::move(buffer));
  }
  // Plugin code may still run on executor threads: end without
  // destructors.
  std::_Exit(0);
}

}  // namespace
}  // namespace kpi

// Before static initializers open anything (see kpi-server's main).
__attribute__((constructor(101))) void ProtectStandardDescriptorsFirst() {
  kpi::ProtectStandardDescriptors();
}

int main(int argc, char** argv) { return kpi::Main(argc, argv); }
