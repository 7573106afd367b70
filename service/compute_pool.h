// ComputePool: the fixed set of threads that run every call's work --
// parsing requests, binding and validating chunks, plugin code, results.
//
// gRPC's callback API runs reactions on its own few threads, which must not
// block; a call's computation can take seconds, so reactions hand it here
// and return. The server's thread count is then this pool's size plus
// gRPC's own, whatever the number of calls or stalled clients: a stream
// waiting for its next chunk holds no thread at all.
//
// Tasks run in the order submitted. The queue has no bound of its own: each
// call has at most one task queued, and the service bounds the calls in
// flight (--max-calls-in-flight).
//
// Thread-safe.
#ifndef KPI_SERVICE_COMPUTE_POOL_H_
#define KPI_SERVICE_COMPUTE_POOL_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"

namespace kpi {

class ComputePool {
 public:
  // Move-only, so a task can own what its call owns.
  using Task = absl::AnyInvocable<void() &&>;

  // Starts `threads` threads (at least one).
  explicit ComputePool(int threads);
  // Runs the tasks still queued, then joins the threads.
  ~ComputePool();
  ComputePool(const ComputePool&) = delete;
  ComputePool& operator=(const ComputePool&) = delete;

  void Submit(Task task);

  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_COMPUTE_POOL_H_
