// plugins/retention/records.h -- the half-open time ranges (periods,
// windows) the record forms of the retention metrics are measured over.
#ifndef KPI_PLUGINS_RETENTION_RECORDS_H_
#define KPI_PLUGINS_RETENTION_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin.hpp"

namespace kpi::retention {

// A half-open range of instants [begin, end) given as two TIMESTAMP
// parameters, e.g. period_start / period_end.
struct TimeRange {
  const char* begin_param;
  const char* end_param;
  int64_t begin;
  int64_t end;

  bool Contains(int64_t t) const { return begin <= t && t < end; }
  // Throws sdk::InvalidArgument naming both parameters unless
  // begin < end. Record forms call it when records arrive: the parameters
  // are required only there, and both default to 0 in the other forms.
  void CheckNotEmpty() const;
  // Throws as CheckNotEmpty when end < begin: always a mistake, in any form.
  void CheckNotReversed() const;
  // "[2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z)".
  std::string Describe() const;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_RECORDS_H_
