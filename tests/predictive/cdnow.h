// tests/predictive/cdnow.h -- the CDNOW sample of Fader, Hardie & Lee
// (2005) from the raw transactions, summarised with the models' own
// conventions (shared/datasets/cdnow/README.md).
#ifndef KPI_TESTS_PREDICTIVE_CDNOW_H_
#define KPI_TESTS_PREDICTIVE_CDNOW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "plugins/predictive/models/customer_summary.h"

namespace kpi::predictive::testing {

// One CDNOW transaction: sample id (1-2357), the day as microseconds since
// the epoch (midnight UTC), dollar value.
struct CdnowTransaction {
  std::string customer;
  int64_t time = 0;
  double amount = 0;
};

// $KPI_DATASETS_DIR/cdnow/CDNOW_sample.txt, else the data set beside the
// checkout (the compile-time KPI_DATASETS_DIR).
std::string CdnowSamplePath();

// The 6,919 transactions of CDNOW_sample.txt in file order; empty when the
// file is missing.
std::vector<CdnowTransaction> CdnowSample();

// 1997-09-30T00:00:00Z, the end of the 39-week calibration period: a
// purchase dated that day is inside it.
int64_t CdnowCalibrationEnd();

// A week in microseconds.
inline constexpr double kMicrosPerWeek = 7 * 86400.0 * 1e6;

// Every customer's summary in units of `unit_micros` (weeks by default),
// in order of sample id.
std::vector<CustomerSummary> CdnowSummaries(
    const std::vector<CdnowTransaction>& transactions,
    double unit_micros = kMicrosPerWeek);

// Microseconds since the epoch of a YYYYMMDD date, midnight UTC.
int64_t DayMicros(const std::string& yyyymmdd);

}  // namespace kpi::predictive::testing

#endif  // KPI_TESTS_PREDICTIVE_CDNOW_H_
