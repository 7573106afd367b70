// A period's MRR movements, read from an `mrr_movements` result's
// "movements" table (docs/metrics.md: new, expansion, reactivation,
// contraction and churn, each as a positive amount), with the Quick Ratio
// = (new + expansion + reactivation) / (contraction + churn): how many
// dollars are gained for each one lost. Undefined, not 0 or infinite, when
// nothing was lost.

#ifndef KPI_CLIENTS_REPORT_MRR_MOVEMENTS_H_
#define KPI_CLIENTS_REPORT_MRR_MOVEMENTS_H_

#include <optional>
#include <string>

#include "report_runner.h"

namespace kpi::report {

struct MrrMovements {
  std::string period;
  bool partial = false;
  double new_mrr = 0;
  double expansion = 0;
  double reactivation = 0;
  double contraction = 0;
  double churn = 0;

  double gains() const { return new_mrr + expansion + reactivation; }
  double losses() const { return contraction + churn; }
  // Absent when losses() is 0.
  std::optional<double> quick_ratio() const;
};

// The movements of `result`, or nothing when it has no "movements" table
// with "movement" and "mrr" columns (an undefined result, another metric).
std::optional<MrrMovements> MovementsOf(const KpiPeriodResult& result);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_MRR_MOVEMENTS_H_
