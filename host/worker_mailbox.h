// WorkerMailbox: the doorbells between kpi-server and one plugin worker
// process, in memory both map (a sealed memfd of fixed size), so that a
// busy worker and a busy server take no wake-up per call.
//
// Two rings of channel numbers (worker_protocol.h: a channel's request and
// reply travel in its SharedBuffer):
// - requests, server -> worker: a channel whose request is written. The
//   server wakes a worker thread (a futex on `request_seq`) only when none
//   is awake (`awake_executors` is 0); awake ones take the next request
//   when they finish the one they run.
// - replies, worker -> server: a channel whose reply is written. The worker
//   writes a byte on the control socket only when the server has said it
//   sleeps (`server_armed`); a server draining replies takes later ones in
//   the same pass.
// Each channel has at most one request in flight, so neither ring holds
// more than kMaxChannels entries.
//
// The worker runs plugin code, so the server trusts nothing it reads here:
// an index out of range or a ring over its capacity is a malformed worker
// (PopReply says so), and no server thread ever waits on this memory.
#ifndef KPI_HOST_WORKER_MAILBOX_H_
#define KPI_HOST_WORKER_MAILBOX_H_

#include <atomic>
#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"

namespace kpi {

class WorkerMailbox {
 public:
  // The most channels one worker may have (WorkerOptions::max_channels).
  static constexpr uint32_t kMaxChannels = 256;

  // A new mailbox (server side); fd() is then passed to the worker.
  static absl::StatusOr<WorkerMailbox> Create();
  // Maps the mailbox memfd `fd` (worker side; takes ownership).
  static absl::StatusOr<WorkerMailbox> Adopt(int fd);

  WorkerMailbox(WorkerMailbox&& other) noexcept;
  WorkerMailbox& operator=(WorkerMailbox&& other) noexcept;
  WorkerMailbox(const WorkerMailbox&) = delete;
  WorkerMailbox& operator=(const WorkerMailbox&) = delete;
  ~WorkerMailbox();

  int fd() const { return fd_; }

  // Server side. One thread at a time per ring (callers hold a lock).
  // Queues `channel`'s request and wakes a worker thread if none is awake.
  // False if the ring is full, which only a worker that corrupted it can
  // cause.
  bool PushRequest(uint32_t channel);
  // The next channel with a reply; nullopt when there is none; an error
  // when what the worker wrote is out of range.
  absl::StatusOr<std::optional<uint32_t>> PopReply();
  // Says the server sleeps until a byte comes on the control socket; true
  // if replies came meanwhile (the server then drains again, and is not
  // armed).
  bool ArmServer();
  bool HasReply() const;

  // Worker side. One thread at a time per ring (callers hold a lock).
  std::optional<uint32_t> PopRequest();
  bool HasRequest() const;
  // Queues `channel`'s reply; true if the server sleeps and must be woken
  // (with a byte on the control socket).
  bool PushReply(uint32_t channel);
  // Worker threads waiting for requests: one that stops being awake calls
  // Sleep, which returns when a request may have come (or after a while).
  void ExecutorAwake() { shared().awake_executors.fetch_add(1); }
  void Sleep();
  // Wakes one sleeping worker thread (the worker's own watch, when the
  // awake ones are all stuck in long calls).
  void WakeExecutor();
  // How many requests have been taken so far (a changing count: progress).
  uint32_t requests_taken() const {
    return shared().requests.head.load(std::memory_order_acquire);
  }

 private:
  struct Ring {
    alignas(64) std::atomic<uint32_t> head;  // advanced by the consumer
    alignas(64) std::atomic<uint32_t> tail;  // advanced by the producer
    uint32_t slots[kMaxChannels];
  };
  struct Shared {
    Ring requests;
    Ring replies;
    alignas(64) std::atomic<uint32_t> request_seq;  // futex word
    std::atomic<uint32_t> awake_executors;
    alignas(64) std::atomic<uint32_t> server_armed;
  };

  WorkerMailbox(int fd, Shared* shared) : fd_(fd), shared_(shared) {}
  Shared& shared() const { return *shared_; }
  static bool Push(Ring& ring, uint32_t value);

  int fd_ = -1;
  Shared* shared_ = nullptr;
};

}  // namespace kpi

#endif  // KPI_HOST_WORKER_MAILBOX_H_
