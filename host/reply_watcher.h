// ReplyWatcher: a thread that waits for many plugin workers' replies at
// once (epoll), so a call waiting on a worker holds no thread of its own.
// A unary call sends its request and returns its thread to the server's
// pool; the reply, when the worker rings (a byte on its control socket),
// is finished here. There is one watcher per core, and each worker process
// is watched by one of them: finishing a reply includes answering the gRPC
// call, and one thread for all of them was the bottleneck under load (100%
// of a core at 11k calls/s).
//
// A Waiter is one wait on one descriptor. The watcher calls, always on its
// own thread, and never two at once:
// - Readable() once the descriptor is readable (it has stopped watching it
//   first, so the waiter may close or give the descriptor back): true ends
//   the wait; false watches it again;
// - Check() about every kTick while the wait lasts: a value ends the wait,
//   and the watcher, having stopped watching the descriptor, calls
//   Ended(value).
// A waiter whose wait has ended is deleted.
//
// Thread-safe: Watch() may be called from any thread.
#ifndef KPI_HOST_REPLY_WATCHER_H_
#define KPI_HOST_REPLY_WATCHER_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "absl/status/status.h"

namespace kpi {

class ReplyWatcher {
 public:
  static constexpr std::chrono::milliseconds kTick{20};

  class Waiter {
   public:
    virtual ~Waiter() = default;
    virtual int fd() const = 0;
    virtual bool Readable() = 0;
    virtual std::optional<absl::Status> Check() = 0;
    virtual void Ended(absl::Status status) = 0;
  };

  // The watcher of descriptor `fd` (one of the process's, by descriptor);
  // their threads start on first use and live as long as the process.
  static ReplyWatcher& For(int fd);

  // Watches `waiter` until its wait ends. If the descriptor cannot be
  // watched, ends the wait at once, on this thread, with UNAVAILABLE.
  void Watch(std::unique_ptr<Waiter> waiter);

 private:
  ReplyWatcher();
  void Run();
  // Stops watching `waiter`'s descriptor and forgets it.
  void Forget(Waiter* waiter);

  const int epoll_;
  std::mutex mutex_;
  std::unordered_set<Waiter*> waiters_;  // owned
};

}  // namespace kpi

#endif  // KPI_HOST_REPLY_WATCHER_H_
