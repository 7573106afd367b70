// The timestamps a call may carry. Inputs and parameters of type TIMESTAMP
// reach plugins as int64 microseconds since 1970-01-01T00:00:00Z; a caller
// sends them either as google.protobuf.Timestamp or as those microseconds.
// Both are held to google.protobuf.Timestamp's own range, years 0001 to
// 9999: outside it, seconds * 10^6 overflows int64 (2^62 s read as 1970) or
// names no calendar date a metric can bucket, so the answer would be
// silently wrong.
#ifndef KPI_HOST_TIMESTAMP_RANGE_H_
#define KPI_HOST_TIMESTAMP_RANGE_H_

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace kpi {

// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z in microseconds.
inline constexpr int64_t kMinTimestampMicros = -62135596800LL * 1000000;
inline constexpr int64_t kMaxTimestampMicros =
    253402300799LL * 1000000 + 999999;

// The open end of a timestamp column: "no end yet" (an active subscription,
// a session still in progress). Allowed in columns only.
inline constexpr int64_t kOpenEndMicros = INT64_MAX;

inline bool TimestampMicrosInRange(int64_t micros) {
  return micros >= kMinTimestampMicros && micros <= kMaxTimestampMicros;
}
inline bool ColumnTimestampMicrosValid(int64_t micros) {
  return TimestampMicrosInRange(micros) || micros == kOpenEndMicros;
}

// Why `micros` is refused (empty when it is in range): the value, and the
// range as dates.
std::string TimestampMicrosProblem(int64_t micros);

// `micros` as RFC 3339 ("2024-01-31T10:15:00Z", fractions when there are
// any); kOpenEndMicros as "the open end". REQUIRES: ColumnTimestampMicrosValid
// (micros).
std::string FormatTimestampMicros(int64_t micros);

// `timestamp` as microseconds (nanoseconds truncated toward the past), or
// INVALID_ARGUMENT saying which of seconds or nanos is out of range.
absl::StatusOr<int64_t> TimestampToMicros(
    const google::protobuf::Timestamp& timestamp);

}  // namespace kpi

#endif  // KPI_HOST_TIMESTAMP_RANGE_H_
