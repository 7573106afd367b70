// plugins/revenue/examples.h -- what the declared examples of the revenue
// metrics share (kExamples, see kpi/plugin.hpp): instants, and the
// subscription book of the catalog's revenue churn example, which
// mrr_movements, gross_revenue_churn and net_revenue_churn are all shown on.
//
// The book, monthly plans, January 2024:
//   a   10 since 2023-06-01, cancelled 2024-01-15         churn 10
//   b   20 since 2023-06-01, down to 10 from 2024-01-10   contraction 10
//   c   20 since 2023-06-01, up to 30 from 2024-01-10     expansion 10
//   d   50 since 2023-06-01                               unchanged
// MRR 100 at the start, 90 at the end: net new MRR -10, gross revenue churn
// (10 + 10) / 100 = 20%, net (10 + 10 - 10) / 100 = 10%.
#ifndef KPI_PLUGINS_REVENUE_EXAMPLES_H_
#define KPI_PLUGINS_REVENUE_EXAMPLES_H_

#include <cstdint>

#include "kpi/plugin.hpp"

namespace kpi::revenue::example {

// Microseconds since the epoch, UTC.
inline constexpr int64_t kJan1st2023 = 1672531200000000;
inline constexpr int64_t kApr1st2023 = 1680307200000000;
inline constexpr int64_t kJun1st2023 = 1685577600000000;
inline constexpr int64_t kOct1st2023 = 1696118400000000;
inline constexpr int64_t kJan1st = 1704067200000000;  // 2024, as below
inline constexpr int64_t kJan1st6am = 1704088800000000;
inline constexpr int64_t kJan10th = 1704844800000000;
inline constexpr int64_t kJan15th = 1705276800000000;
inline constexpr int64_t kFeb1st = 1706745600000000;
inline constexpr int64_t kOpen = INT64_MAX;

inline constexpr kpi_string_view kCustomers[] = {sdk::Str("a"), sdk::Str("b"),
                                                 sdk::Str("b"), sdk::Str("c"),
                                                 sdk::Str("c"), sdk::Str("d")};
inline constexpr double kAmounts[] = {10, 20, 10, 20, 30, 50};
inline constexpr int64_t kMonthly[] = {1, 1, 1, 1, 1, 1};
inline constexpr int64_t kStarts[] = {kJun1st2023, kJun1st2023, kJan10th,
                                      kJun1st2023, kJan10th,    kJun1st2023};
inline constexpr int64_t kEnds[] = {kJan15th, kJan10th, kOpen,
                                    kJan10th, kOpen,    kOpen};

inline constexpr kpi_example_input kChurnBook[] = {
    sdk::ExampleKeys("customer", kCustomers),
    sdk::ExampleInput("amount", kAmounts),
    sdk::ExampleInput("billing_months", kMonthly),
    sdk::ExampleTimestamps("start", kStarts),
    sdk::ExampleTimestamps("end", kEnds)};
inline constexpr kpi_example_param kJanuary[] = {
    sdk::ExampleParam("period_start", sdk::TimestampValue(kJan1st)),
    sdk::ExampleParam("period_end", sdk::TimestampValue(kFeb1st))};

// The aggregate form of the same book, and a start with no MRR.
inline constexpr double kHundred[] = {100};
inline constexpr double kTen[] = {10};
inline constexpr double kZero[] = {0};

}  // namespace kpi::revenue::example

#endif  // KPI_PLUGINS_REVENUE_EXAMPLES_H_
