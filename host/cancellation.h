// Cancellation: whether a call should stop -- its client went away, its
// deadline passed, or the server is shutting down -- asked by the host
// between units of work (chunks, segments) and by plugins through
// kpi_chunk.is_cancelled (ABI 1.1).
//
// Implementations are asked from the thread running the call and, through
// kpi_chunk, from plugin code on that thread; Check() must be cheap.
#ifndef KPI_HOST_CANCELLATION_H_
#define KPI_HOST_CANCELLATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "kpi/plugin_abi.h"

namespace kpi {

class Cancellation {
 public:
  virtual ~Cancellation() = default;
  // OK while the call should go on; CANCELLED or DEADLINE_EXCEEDED, saying
  // which, once it should stop.
  virtual absl::Status Check() const = 0;

  // The kpi_chunk callback: `context` is a const Cancellation*.
  static int32_t IsCancelled(const void* context) {
    return context != nullptr &&
           !static_cast<const Cancellation*>(context)->Check().ok();
  }
  // Sets `chunk`'s cancellation callback to ask `cancellation` (may be null:
  // never cancelled).
  static void Attach(const Cancellation* cancellation, kpi_chunk& chunk) {
    chunk.is_cancelled = cancellation ? &IsCancelled : nullptr;
    chunk.cancel_context = cancellation;
  }
};

// Why a call was cancelled, as a number that can sit in memory shared with
// a plugin worker (ChannelHeader::cancel).
enum CancelReason : uint32_t {
  kNotCancelled = 0,
  kCancelled = 1,
  kDeadline = 2
};
// The status a reason stands for, and back.
absl::Status StatusOfReason(uint32_t reason);
CancelReason ReasonOf(const absl::Status& status);

}  // namespace kpi

#endif  // KPI_HOST_CANCELLATION_H_
