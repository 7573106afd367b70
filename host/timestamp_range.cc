#include "timestamp_range.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

constexpr int64_t kMinSeconds = -62135596800LL;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxSeconds = 253402300799LL;  // 9999-12-31T23:59:59Z
constexpr char kRange[] = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z";

}  // namespace

std::string TimestampMicrosProblem(int64_t micros) {
  if (TimestampMicrosInRange(micros)) return std::string();
  return absl::StrCat(micros,
                      " microseconds since 1970 is outside the timestamp "
                      "range ",
                      kRange);
}

std::string FormatTimestampMicros(int64_t micros) {
  if (micros == kOpenEndMicros) return "the open end";
  return google::protobuf::util::TimeUtil::ToString(
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(micros));
}

absl::StatusOr<int64_t> TimestampToMicros(
    const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() < kMinSeconds || timestamp.seconds() > kMaxSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("seconds ", timestamp.seconds(),
                     " is outside the timestamp range ", kRange));
  }
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nanos ", timestamp.nanos(), " is outside 0 to 999999999"));
  }
  return timestamp.seconds() * 1000000 + timestamp.nanos() / 1000;
}

}  // namespace kpi
