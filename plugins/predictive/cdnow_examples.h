// plugins/predictive/cdnow_examples.h -- the rows the predictive metrics'
// declared examples share: CDNOW customers 0001-0003
// (shared/datasets/cdnow/CDNOW_sample.txt). 0001 is Fader, Hardie & Lee
// (2005)'s worked customer (x = 2, t_x = 30.43, T = 38.86 weeks at
// calibration_end 1997-09-30) and buys again on 1997-12-12, after
// calibration, which no fit may use; 0002 repeats once, in week 2; 0003
// never buys again.
#ifndef KPI_PLUGINS_PREDICTIVE_CDNOW_EXAMPLES_H_
#define KPI_PLUGINS_PREDICTIVE_CDNOW_EXAMPLES_H_

#include "kpi/plugin.hpp"

namespace kpi::predictive {

inline constexpr kpi_string_view kCdnowIds[] = {
    sdk::Str("0001"), sdk::Str("0001"), sdk::Str("0001"), sdk::Str("0001"),
    sdk::Str("0002"), sdk::Str("0002"), sdk::Str("0003")};
// 1997-01-01, 01-18, 08-02, 12-12; 01-01, 01-13; 01-01.
inline constexpr int64_t kCdnowTimes[] = {
    852076800000000, 853545600000000, 870480000000000, 881884800000000,
    852076800000000, 853113600000000, 852076800000000};
inline constexpr double kCdnowAmounts[] = {29.33, 29.73, 14.96, 26.48,
                                           63.34, 11.77, 6.79};
// 1997-09-30, the end of the papers' calibration period.
inline constexpr int64_t kCdnowCalibrationEnd = 875577600000000;

inline constexpr kpi_example_input kCdnowPurchases[] = {
    sdk::ExampleKeys("customer", kCdnowIds),
    sdk::ExampleTimestamps("time", kCdnowTimes)};
inline constexpr kpi_example_input kCdnowPurchasesWithAmounts[] = {
    sdk::ExampleKeys("customer", kCdnowIds),
    sdk::ExampleTimestamps("time", kCdnowTimes),
    sdk::ExampleInput("amount", kCdnowAmounts)};
inline constexpr kpi_example_input kNoPurchases[] = {
    sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
    sdk::ExampleEmptyColumn("time", KPI_TYPE_TIMESTAMP)};
inline constexpr kpi_example_input kNoPurchasesWithAmounts[] = {
    sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
    sdk::ExampleEmptyColumn("time", KPI_TYPE_TIMESTAMP),
    sdk::ExampleEmptyColumn("amount", KPI_TYPE_DOUBLE)};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_CDNOW_EXAMPLES_H_
