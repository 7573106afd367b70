#include "cancellation.h"

namespace kpi {

absl::Status StatusOfReason(uint32_t reason) {
  switch (reason) {
    case kNotCancelled:
      return absl::OkStatus();
    case kDeadline:
      return absl::DeadlineExceededError("the call's deadline passed");
    default:
      return absl::CancelledError("the call was cancelled");
  }
}

CancelReason ReasonOf(const absl::Status& status) {
  if (status.ok()) return kNotCancelled;
  return status.code() == absl::StatusCode::kDeadlineExceeded ? kDeadline
                                                              : kCancelled;
}

}  // namespace kpi
