// SharedBuffer: a growable memory region that kpi-server and one plugin
// worker both map -- a memfd the server creates and passes to the worker --
// so a chunk's columns cross to the worker with one bulk copy each and no
// per-row encoding, and replies come back the same way.
//
// The file is sealed against shrinking (F_SEAL_SHRINK): a worker running
// hostile code cannot truncate it under the server's mapping and make the
// server fault (SIGBUS) on read. Either side may grow it.
//
// Layout: a ChannelHeader, then the current message from kBodyOffset.
#ifndef KPI_HOST_SHARED_BUFFER_H_
#define KPI_HOST_SHARED_BUFFER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "absl/status/statusor.h"

namespace kpi {

struct ChannelHeader {
  // Set by the server while the worker runs a request whose call has been
  // cancelled (a FlagCancellation::Reason); cleared before each request.
  std::atomic<uint32_t> cancel;
  // The worker thread running the channel's request (its Linux thread
  // id), set by the worker as it starts each one; 0 before the first. The
  // server reads that thread's CPU time while a cancelled call's plugin
  // code runs on (plugin_worker.cc).
  std::atomic<uint32_t> worker_thread;
  // Bytes of the current message, from kBodyOffset.
  uint64_t used;
};
inline constexpr size_t kBodyOffset = 64;

class SharedBuffer {
 public:
  // A new sealed memfd of `size` bytes, mapped.
  static absl::StatusOr<SharedBuffer> Create(size_t size);
  // Maps the memfd `fd` (taking ownership) as it is now.
  static absl::StatusOr<SharedBuffer> Adopt(int fd);

  SharedBuffer(SharedBuffer&& other) noexcept;
  SharedBuffer& operator=(SharedBuffer&& other) noexcept;
  SharedBuffer(const SharedBuffer&) = delete;
  SharedBuffer& operator=(const SharedBuffer&) = delete;
  ~SharedBuffer();

  // Grows the file, if smaller, and the mapping to at least `size` bytes;
  // returns the (possibly moved) start, or nullptr when the memory cannot
  // be had.
  char* Reserve(size_t size);
  // Maps at least `size` bytes that the other side may have grown the file
  // to; false when the file is smaller (a malformed message).
  bool MapAtLeast(size_t size);

  char* data() const { return data_; }
  size_t size() const { return size_; }
  int fd() const { return fd_; }
  ChannelHeader& header() const {
    return *reinterpret_cast<ChannelHeader*>(data_);
  }

 private:
  SharedBuffer(int fd, char* data, size_t size)
      : fd_(fd), data_(data), size_(size) {}
  bool Remap(size_t size);

  int fd_ = -1;
  char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace kpi

#endif  // KPI_HOST_SHARED_BUFFER_H_
