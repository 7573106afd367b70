#include "tests/predictive/cdnow.h"

#include <cstdlib>
#include <fstream>
#include <map>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace kpi::predictive::testing {

std::string CdnowSamplePath() {
  const char* env = std::getenv("KPI_DATASETS_DIR");
  return std::string(env != nullptr ? env : KPI_DATASETS_DIR) +
         "/cdnow/CDNOW_sample.txt";
}

int64_t DayMicros(const std::string& yyyymmdd) {
  const absl::CivilDay day(std::stoi(yyyymmdd.substr(0, 4)),
                           std::stoi(yyyymmdd.substr(4, 2)),
                           std::stoi(yyyymmdd.substr(6, 2)));
  return absl::ToUnixMicros(absl::FromCivil(day, absl::UTCTimeZone()));
}

std::vector<CdnowTransaction> CdnowSample() {
  std::vector<CdnowTransaction> transactions;
  std::ifstream in(CdnowSamplePath());
  std::string master_id, sample_id, date, cds;
  double value = 0;
  while (in >> master_id >> sample_id >> date >> cds >> value) {
    transactions.push_back({sample_id, DayMicros(date), value});
  }
  return transactions;
}

int64_t CdnowCalibrationEnd() { return DayMicros("19970930"); }

std::vector<CustomerSummary> CdnowSummaries(
    const std::vector<CdnowTransaction>& transactions, double unit_micros) {
  std::map<std::string, std::vector<Purchase>> by_customer;
  for (const CdnowTransaction& t : transactions) {
    by_customer[t.customer].push_back({t.time, t.amount});
  }
  std::vector<CustomerSummary> summaries;
  for (auto& [customer, purchases] : by_customer) {
    if (std::optional<CustomerSummary> s =
            Summarize(purchases, CdnowCalibrationEnd(), unit_micros)) {
      summaries.push_back(*s);
    }
  }
  return summaries;
}

}  // namespace kpi::predictive::testing
