// plugins/retention/records.h -- reading the record forms of the retention
// metrics: customer ids and the half-open time ranges (periods, windows)
// they are measured over.
#ifndef KPI_PLUGINS_RETENTION_RECORDS_H_
#define KPI_PLUGINS_RETENTION_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin.hpp"

namespace kpi::retention {

// The customer id of `row`, valid only during the update() call. Throws
// sdk::InvalidArgument naming `input` when it is empty: rows without an id
// would silently become one customer.
std::string_view CustomerAt(const sdk::View<kpi_string_view>& ids, size_t row,
                            const char* input);

// `id` quoted for a message, cut to 40 bytes ("...") so that a long id
// leaves room for the rest of the message.
std::string QuoteCustomer(std::string_view id);

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
