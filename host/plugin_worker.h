// PluginWorker: a plugin's code running in a supervised worker process
// (kpi-plugin-worker), so that whatever it does -- crash, abort, exit, loop,
// allocate without bound, close file descriptors -- costs only the calls it
// was serving, never the server.
//
// Start() spawns the worker, which loads the plugin file (a private copy),
// runs its entry function and, when asked, the conformance checks, then
// sends its descriptor. A worker that dies or hangs there is a refused
// plugin. Afterwards each call's chunks cross to the worker over a channel
// (worker_protocol.h) and the worker computes with the same code as an
// in-process call.
//
// Faults, as callers see them (messages name the plugin):
// - the worker dies (signal, exit): the calls it was serving fail
//   UNAVAILABLE, naming the signal or exit status;
// - it grows past its memory limit: it is killed; RESOURCE_EXHAUSTED;
// - a call is cancelled (client gone, deadline, shutdown) and the plugin
//   does not return within the grace: the worker is killed; that call gets
//   its CANCELLED / DEADLINE_EXCEEDED, the others UNAVAILABLE.
// A dead worker is restarted on the next call after a backoff (100 ms,
// doubling to 30 s); calls during the backoff fail fast with UNAVAILABLE.
// The restart runs on a thread of its own; calls that come while the new
// worker loads wait for it (SendThen: holding no thread).
// After kUnhealthyAfter consecutive failures serving() turns false (health
// NOT_SERVING) until a call succeeds again or the plugin is reloaded.
//
// Thread-safe.
#ifndef KPI_HOST_PLUGIN_WORKER_H_
#define KPI_HOST_PLUGIN_WORKER_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cancellation.h"
#include "descriptor_wire.h"
#include "kpi/plugin_abi.h"
#include "wire.h"

namespace kpi {

struct WorkerOptions {
  // The kpi-plugin-worker executable; empty: DefaultWorkerBinary().
  std::string binary;
  // Run the conformance checks in the worker before it serves.
  bool run_checks = true;
  // How long loading (entry, schema, checks) may take.
  std::chrono::milliseconds start_timeout{30000};
  // A worker whose resident memory passes this is killed; 0: no limit.
  // Its address space is also capped (RLIMIT_AS) at 4x this plus 4 GiB,
  // far above it, against allocations too fast for the watch.
  uint64_t memory_limit_bytes = uint64_t{2} << 30;
  // How much CPU time a call's plugin code may use after the call is
  // cancelled before its worker is killed; code that gets no CPU meanwhile
  // (asleep, or starved on a loaded machine) is killed at 20 graces.
  std::chrono::milliseconds cancel_grace{500};
  // The most calls one worker runs at once (one channel each; at most
  // WorkerMailbox::kMaxChannels); more wait for a free channel, holding no
  // thread.
  size_t max_channels = 64;
  // Where crashes and restarts are reported, one line each; may be empty.
  std::function<void(absl::string_view)> log;
};

// kpi-plugin-worker beside this executable, or else where the build put it.
std::string DefaultWorkerBinary();

class PluginWorker : public std::enable_shared_from_this<PluginWorker> {
  struct Channel;
  struct Process;

 public:
  static constexpr int kUnhealthyAfter = 3;

  // Spawns a worker for the plugin file `path` and waits until it has loaded
  // (and checked) it. FAILED_PRECONDITION with the reason the plugin is
  // refused: what the worker reported ("no entry symbol ...", "conformance
  // check ... failed ..."), or how it died while loading ("crashed while
  // loading: killed by signal 11 (SIGSEGV)"), or "did not finish loading
  // within 30 s".
  static absl::StatusOr<std::shared_ptr<PluginWorker>> Start(
      const std::string& path, WorkerOptions options);
  // The same load and checks in a worker that exits right after: a plugin
  // can be checked without any of its code running in this process.
  static absl::Status Check(const std::string& path,
                            const WorkerOptions& options);

  PluginWorker(const PluginWorker&) = delete;
  PluginWorker& operator=(const PluginWorker&) = delete;
  // Kills the worker process.
  ~PluginWorker();

  // The descriptor the worker sent (function pointers null).
  const kpi_plugin_descriptor& descriptor() const {
    return descriptor_->descriptor();
  }

  // A new call id, unique for this PluginWorker.
  uint64_t NewCall();
  // Sends one request, written by `write`, and waits for the reply:
  // the worker's status, with a kFinish's result bytes in `result`.
  // `generation` ties a call to one worker process: 0 on a call's first
  // exchange (set to the process that served it), and a later exchange
  // fails UNAVAILABLE if that process has died since. `cancellation` (may be
  // null) is polled while waiting.
  absl::Status Exchange(uint64_t& generation,
                        const std::function<void(WireWriter&)>& write,
                        std::string* result, const Cancellation* cancellation);

  // What a worker's answer is handed to.
  using ReplyCallback =
      absl::AnyInvocable<void(absl::Status status, std::string result) &&>;
  // Exchange without holding this thread: `done` runs once, with what
  // Exchange would return (the status, and a kFinish's result bytes), on a
  // reply thread (reply_watcher.h: one per core). It must be quick: many
  // calls' replies are finished on that thread. `cancellation` (may be
  // null) and this PluginWorker must outlive `done`'s run.
  // While the worker's channels are all busy (max_channels calls in it)
  // the request is written aside, and sent, in order of arrival, as soon as
  // a channel frees -- a plugin that is slow or hangs keeps its own calls
  // waiting, never the server's threads. Not OK: nothing was sent, and
  // `done` is not called. OK: `done` runs exactly once (with the worker's
  // death for a request still waiting when the worker dies).
  absl::Status SendThen(uint64_t& generation,
                        const std::function<void(WireWriter&)>& write,
                        const Cancellation* cancellation, ReplyCallback done);
  // Forgets `call` of process `generation` in the worker, with the next
  // request (a call the server abandoned).
  void Drop(uint64_t generation, uint64_t call);

  // False after kUnhealthyAfter consecutive failures, until one succeeds.
  bool serving() const;
  // The process id of the current worker, or 0 (tests).
  pid_t pid() const;
  // How many times a dead worker was restarted successfully (monitoring).
  uint64_t restarts() const;

  // Kills every live worker now, for `why` (server shutdown): calls in
  // them fail UNAVAILABLE saying so.
  static void KillAll(absl::string_view why);

 private:
  class ProcessWatch;
  PluginWorker(std::string path, WorkerOptions options)
      : path_(std::move(path)), options_(std::move(options)) {}
  // Spawns a process and waits for its descriptor (bytes in `descriptor`).
  absl::StatusOr<std::shared_ptr<Process>> Spawn(bool run_checks,
                                                 bool exit_after_load,
                                                 std::string* descriptor);
  // Spawns a process into `process` and waits for its descriptor (bytes
  // in `descriptor`); then, unless `exit_after_load`, watches it for
  // replies and death (ProcessWatch).
  absl::Status SpawnInto(const std::shared_ptr<Process>& process,
                         bool run_checks, bool exit_after_load,
                         std::string* descriptor);
  // The process to send a request to. A dead one is restarted after its
  // backoff, on a thread of its own: the process returned is then still
  // starting, and requests to it wait (SendThen: holding no thread) until
  // it is up, or fail with the restart's failure. UNAVAILABLE during the
  // backoff.
  absl::StatusOr<std::shared_ptr<Process>> Live(uint64_t generation);
  // The restart thread: spawns `process` (starting), then sends the
  // requests waiting for it, or fails them.
  void FinishRestart(const std::shared_ptr<Process>& process);
  // An idle channel of `process`, or a new one while there are fewer than
  // max_channels; null when every channel is busy (or it is starting).
  absl::StatusOr<Channel*> TryAcquire(Process& process);
  // Opens channel number `process.channels` (counted already; uncounted
  // again if it fails).
  absl::StatusOr<Channel*> OpenChannel(Process& process);
  // The pending drops of `generation`, then `write`'s request.
  void WriteRequest(uint64_t generation, WireWriter& out,
                    const std::function<void(WireWriter&)>& write);
  // Writes `write`'s request (after the pending drops) into `channel` and
  // sends it, as SendThen.
  absl::Status Post(const std::shared_ptr<Process>& process, Channel* channel,
                    const std::function<void(WireWriter&)>& write,
                    const Cancellation* cancellation, ReplyCallback done);
  absl::Status NoMemoryForChunk() const;
  // Sends the request written in `channel`'s buffer (`size` bytes); `done`
  // gets its reply. Not OK (the process is dead): nothing was sent, and
  // `done` is not called.
  absl::Status Ring(const std::shared_ptr<Process>& process, Channel* channel,
                    size_t size, const Cancellation* cancellation,
                    ReplyCallback done);
  // Sends the requests waiting for a channel while channels are free.
  void StartParked(const std::shared_ptr<Process>& process);
  // Answers the waiting requests whose call has ended (at most once a
  // tick), with their cancellation.
  void SweepParked(Process& process);
  // What one request in flight keeps between the checks of its wait.
  struct Wait {
    std::chrono::steady_clock::time_point started =
        std::chrono::steady_clock::now();
    absl::Status cancelled;  // not OK once the call was cancelled
    // The grace runs from the cancellation, or, for a request still queued
    // then, from when a worker thread takes it.
    bool grace_started = false;
    std::chrono::steady_clock::time_point cancelled_at;
    std::chrono::milliseconds cpu_at_cancel{0};  // the worker's, then
  };
  // The replies the worker has posted: each channel's `done` runs, and the
  // channel is free again.
  void TakeReplies(const std::shared_ptr<Process>& process);
  // One reply, from channel number `number`.
  void TakeReply(const std::shared_ptr<Process>& process, uint32_t number);
  // The checks made about every tick (ProcessWatch): the calls in flight's
  // cancellation (passed on to the plugin, then its worker killed after
  // the grace), the worker's memory, and the waiting requests.
  void CheckCalls(const std::shared_ptr<Process>& process);
  // Gives `channel` back, to the first request waiting for one if any.
  void Release(const std::shared_ptr<Process>& process, Channel* channel);
  // Records that `process` is gone (reaping it), fails its calls in flight
  // and waiting, and returns the status they get. `kill_reason`, when not
  // empty, is why the server killed it.
  absl::Status Died(Process& process, const std::string& kill_reason,
                    absl::StatusCode kill_code);
  std::string plugin_name() const;
  void Log(absl::string_view line) const;

  const std::string path_;
  const WorkerOptions options_;
  std::unique_ptr<const DescriptorCopy> descriptor_;
  std::string descriptor_bytes_;

  mutable std::mutex mutex_;
  std::shared_ptr<Process> current_;
  uint64_t next_generation_ = 1;
  uint64_t next_call_ = 1;
  int consecutive_failures_ = 0;
  uint64_t restarts_ = 0;
  std::chrono::steady_clock::time_point restart_after_{};
  absl::Status last_death_;
  std::vector<std::pair<uint64_t, uint64_t>> drops_;  // (generation, call)
};

}  // namespace kpi

#endif  // KPI_HOST_PLUGIN_WORKER_H_
