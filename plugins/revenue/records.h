// plugins/revenue/records.h -- what the record forms of the revenue metrics
// share: customer ids, instants in messages, and periods given as two
// TIMESTAMP parameters.
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

// The customer id of `row`, valid only during the update() call. Throws
// sdk::InvalidArgument naming `input` when it is empty: rows without an id
// would silently become one customer.
std::string_view CustomerAt(const sdk::View<kpi_string_view>& ids, size_t row,
                            const char* input);

// `id` in quotes for a message, cut to 40 bytes ("...").
std::string QuoteCustomer(std::string_view id);

// "YYYY-MM-DDTHH:MM:SSZ" (with ".ffffff" when there are microseconds), UTC;
// INT64_MAX, the open end of an active subscription, prints as "open".
// Not std::to_string anywhere in this plugin: in libstdc++ it makes the
// plugin impossible to unload (see plugins/survey/threshold_score.cc).
std::string FormatInstant(int64_t micros);

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
