// Reading one CSV field as a typed value. These run once per field of every
// row, so they parse in place and return the reason of a failure as a short
// static string rather than building a Status.

#ifndef KPI_CLIENTS_REPORT_FIELD_VALUES_H_
#define KPI_CLIENTS_REPORT_FIELD_VALUES_H_

#include <cstdint>
#include <limits>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace kpi::report {

// The metrics' open end of a timestamp column (docs/metrics.md).
inline constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

// Parses an ISO 8601 instant into microseconds since the Unix epoch:
//   YYYY-MM-DD
//   YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM|+HHMM]
// A time without a zone is UTC. Years 0001..9999. On failure returns false
// and sets `reason` (e.g. "not an ISO 8601 date or time").
bool ParseTimestamp(absl::string_view text, int64_t* micros,
                    const char** reason);

// A whole number (optional sign, digits).
bool ParseInt64(absl::string_view text, int64_t* value, const char** reason);

// A finite decimal number ("29.00", "-1e3").
bool ParseDouble(absl::string_view text, double* value, const char** reason);

// `micros` since the epoch as an absl::Time.
inline absl::Time FromMicros(int64_t micros) {
  return absl::FromUnixMicros(micros);
}

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_FIELD_VALUES_H_
