// plugins/revenue/records.h -- what the record forms of the revenue metrics
// share: the year they count in, and periods given as two TIMESTAMP
// parameters.
#ifndef KPI_PLUGINS_REVENUE_RECORDS_H_
#define KPI_PLUGINS_REVENUE_RECORDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin.hpp"

namespace kpi::revenue {

// Microseconds in a year of 365.25 days (the Julian year), the unit of
// "per year" and "years" in the revenue metrics.
inline constexpr int64_t kMicrosPerYear = 31'557'600'000'000;

// The period [start, end) of a record-form metric, from its period_start and
// period_end parameters.
struct Period {
  int64_t start;
  int64_t end;

  // Throws sdk::InvalidArgument naming period_start and period_end unless
  // start < end. Metrics with an aggregate form call it only when records
  // arrive: the parameters are required only in the record form and both
  // default to 0 in the other.
  void Check() const;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_RECORDS_H_
