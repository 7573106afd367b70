// plugins/retention/examples.h -- what the declared examples of the
// retention metrics share (kExamples, see kpi/plugin.hpp): instants, and the
// subscription book of the record-form examples of churn_rate and
// retention_rate, so the two metrics are shown on the same customers.
//
// The book: January 2024, as in the catalog's worked example ("customers who
// joined and left inside the period count nowhere"), at a size that reads at a
// glance:
//   a, c, d   active since 2023-06-01, still active         in S and E
//   b         active since 2023-06-01, left 2024-01-20      in S, lost
//   e         joined 2024-01-05, left 2024-01-25            in neither
//   f         joined 2024-01-10, still active               in E, new
// S = 4, lost = 1, E = 4, N = 1: churn 1 / 4 = 25%, retention
// (4 - 1) / 4 = 75%.
#ifndef KPI_PLUGINS_RETENTION_EXAMPLES_H_
#define KPI_PLUGINS_RETENTION_EXAMPLES_H_

#include <cstdint>

#include "kpi/plugin.hpp"

namespace kpi::retention::example {

// Microseconds since the epoch, UTC.
inline constexpr int64_t kJun1st2023 = 1685577600000000;
inline constexpr int64_t kDec20th2023 = 1703030400000000;
inline constexpr int64_t kJan1st = 1704067200000000;  // 2024, as below
inline constexpr int64_t kJan5th = 1704412800000000;
inline constexpr int64_t kJan7th = 1704585600000000;
inline constexpr int64_t kJan10th = 1704844800000000;
inline constexpr int64_t kJan15th = 1705276800000000;
inline constexpr int64_t kJan20th = 1705708800000000;
inline constexpr int64_t kJan25th = 1706140800000000;
inline constexpr int64_t kFeb1st = 1706745600000000;
inline constexpr int64_t kFeb3rd = 1706918400000000;
inline constexpr int64_t kFeb10th = 1707523200000000;
inline constexpr int64_t kMar1st = 1709251200000000;
inline constexpr int64_t kApr1st = 1711929600000000;
inline constexpr int64_t kOpen = INT64_MAX;

inline constexpr kpi_string_view kCustomers[] = {sdk::Str("a"), sdk::Str("b"),
                                                 sdk::Str("c"), sdk::Str("d"),
                                                 sdk::Str("e"), sdk::Str("f")};
inline constexpr int64_t kStarts[] = {kJun1st2023, kJun1st2023, kJun1st2023,
                                      kJun1st2023, kJan5th,     kJan10th};
inline constexpr int64_t kEnds[] = {kOpen, kJan20th, kOpen,
                                    kOpen, kJan25th, kOpen};

inline constexpr kpi_example_input kJanuaryBook[] = {
    sdk::ExampleKeys("customer", kCustomers),
    sdk::ExampleTimestamps("start", kStarts),
    sdk::ExampleTimestamps("end", kEnds)};
inline constexpr kpi_example_param kJanuary[] = {
    sdk::ExampleParam("period_start", sdk::TimestampValue(kJan1st)),
    sdk::ExampleParam("period_end", sdk::TimestampValue(kFeb1st))};

}  // namespace kpi::retention::example

#endif  // KPI_PLUGINS_RETENTION_EXAMPLES_H_
