#include "worker_mailbox.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <new>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

constexpr size_t kSize = 4096 * 4;

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// Shared between processes: not FUTEX_PRIVATE_FLAG.
void FutexWait(std::atomic<uint32_t>* word, uint32_t expected,
               const timespec* timeout) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT, expected,
          timeout, nullptr, 0);
}

void FutexWake(std::atomic<uint32_t>* word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE, 1, nullptr,
          nullptr, 0);
}

}  // namespace

absl::StatusOr<WorkerMailbox> WorkerMailbox::Create() {
  static_assert(sizeof(Shared) <= kSize);
  static_assert(std::atomic<uint32_t>::is_always_lock_free);
  const int fd = memfd_create("kpi-mailbox", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return Errno("memfd_create");
  if (ftruncate(fd, kSize) != 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    const absl::Status error = Errno("sizing a worker mailbox");
    close(fd);
    return error;
  }
  void* data = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    const absl::Status error = Errno("mapping a worker mailbox");
    close(fd);
    return error;
  }
  // A new memfd reads as zeros: every counter starts at 0, and the server
  // starts asleep (the first reply rings).
  auto* shared = new (data) Shared;
  shared->server_armed.store(1);
  return WorkerMailbox(fd, shared);
}

absl::StatusOr<WorkerMailbox> WorkerMailbox::Adopt(int fd) {
  struct stat info;
  if (fstat(fd, &info) != 0 || info.st_size != static_cast<off_t>(kSize)) {
    close(fd);
    return absl::InvalidArgumentError("not a worker mailbox");
  }
  void* data = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    const absl::Status error = Errno("mapping a worker mailbox");
    close(fd);
    return error;
  }
  return WorkerMailbox(fd, static_cast<Shared*>(data));
}

WorkerMailbox::WorkerMailbox(WorkerMailbox&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      shared_(std::exchange(other.shared_, nullptr)) {}

WorkerMailbox& WorkerMailbox::operator=(WorkerMailbox&& other) noexcept {
  if (this != &other) {
    this->~WorkerMailbox();
    new (this) WorkerMailbox(std::move(other));
  }
  return *this;
}

WorkerMailbox::~WorkerMailbox() {
  if (shared_ != nullptr) munmap(shared_, kSize);
  if (fd_ >= 0) close(fd_);
}

bool WorkerMailbox::Push(Ring& ring, uint32_t value) {
  const uint32_t tail = ring.tail.load(std::memory_order_relaxed);
  if (tail - ring.head.load(std::memory_order_acquire) >= kMaxChannels) {
    return false;
  }
  ring.slots[tail % kMaxChannels] = value;
  ring.tail.store(tail + 1, std::memory_order_release);
  return true;
}

bool WorkerMailbox::PushRequest(uint32_t channel) {
  if (!Push(shared().requests, channel)) return false;
  // Against Sleep (Dekker's pattern, fenced on both sides): either a
  // thread going to sleep sees the request, or this sees no one awake and
  // wakes one.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  shared().request_seq.fetch_add(1);
  if (shared().awake_executors.load() == 0) FutexWake(&shared().request_seq);
  return true;
}

absl::StatusOr<std::optional<uint32_t>> WorkerMailbox::PopReply() {
  Ring& ring = shared().replies;
  const uint32_t head = ring.head.load(std::memory_order_relaxed);
  const uint32_t tail = ring.tail.load(std::memory_order_acquire);
  if (head == tail) return std::nullopt;
  if (tail - head > kMaxChannels) {
    return absl::DataLossError("its reply ring is corrupt");
  }
  const uint32_t channel = ring.slots[head % kMaxChannels];
  ring.head.store(head + 1, std::memory_order_release);
  return channel;
}

bool WorkerMailbox::ArmServer() {
  shared().server_armed.store(1);
  std::atomic_thread_fence(std::memory_order_seq_cst);  // against PushReply
  const Ring& ring = shared().replies;
  if (ring.head.load() == ring.tail.load()) return false;
  // Replies came: drain them now, unless the worker saw us armed and
  // rings anyway (then the byte wakes us once more, harmlessly).
  shared().server_armed.store(0);
  return true;
}

bool WorkerMailbox::HasReply() const {
  const Ring& ring = shared().replies;
  return ring.head.load() != ring.tail.load();
}

std::optional<uint32_t> WorkerMailbox::PopRequest() {
  Ring& ring = shared().requests;
  const uint32_t head = ring.head.load(std::memory_order_relaxed);
  const uint32_t tail = ring.tail.load(std::memory_order_acquire);
  if (head == tail) return std::nullopt;
  const uint32_t channel = ring.slots[head % kMaxChannels];
  ring.head.store(head + 1, std::memory_order_release);
  return channel;
}

bool WorkerMailbox::HasRequest() const {
  const Ring& ring = shared().requests;
  return ring.head.load() != ring.tail.load();
}

bool WorkerMailbox::PushReply(uint32_t channel) {
  if (!Push(shared().replies, channel)) return false;
  std::atomic_thread_fence(std::memory_order_seq_cst);  // against ArmServer
  return shared().server_armed.exchange(0) == 1;
}

void WorkerMailbox::Sleep() {
  shared().awake_executors.fetch_sub(1);
  std::atomic_thread_fence(std::memory_order_seq_cst);  // against PushRequest
  const uint32_t seq = shared().request_seq.load();
  if (!HasRequest()) {
    // Bounded, as a last resort: no wake-up should be lost (see
    // PushRequest), and a worker whose server is gone exits anyway.
    const timespec timeout{10, 0};
    FutexWait(&shared().request_seq, seq, &timeout);
  }
  shared().awake_executors.fetch_add(1);
}

void WorkerMailbox::WakeExecutor() {
  shared().request_seq.fetch_add(1);
  FutexWake(&shared().request_seq);
}

}  // namespace kpi
