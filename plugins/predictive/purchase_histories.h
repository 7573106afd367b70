// plugins/predictive/purchase_histories.h -- the state of the predictive
// metrics over transactions: every customer's purchases up to the end of
// the calibration period, by the host's key code.
//
// A customer's calibration summary (x, t_x, T, mean repeat amount) needs
// the set of distinct purchase instants (purchases at one instant are one
// transaction), which no fixed-size record can merge exactly; so the state
// keeps each calibration purchase (16 bytes) and summarises in Finalize.
// Purchases after the calibration end are counted, not kept: they are a
// holdout period the models do not read.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_PREDICTIVE_PURCHASE_HISTORIES_H_
#define KPI_PLUGINS_PREDICTIVE_PURCHASE_HISTORIES_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"
#include "plugins/predictive/models/customer_summary.h"

namespace kpi::predictive {

// A customer's calibration summary, with the customer's id.
struct SummarizedCustomer {
  std::string_view id;  // valid while the state lives
  CustomerSummary summary;
};

class PurchaseHistories {
 public:
  explicit PurchaseHistories(int64_t calibration_end)
      : calibration_end_(calibration_end) {}

  // Folds in a chunk's purchases; `amounts` is empty when the metric reads
  // no amount (every amount is then 0).
  void Add(const sdk::KeyColumn& customers, sdk::View<int64_t> times,
           sdk::View<double> amounts);
  // REQUIRES: `other` has the same calibration end.
  void Merge(const PurchaseHistories& other);

  // Every customer with a purchase by the calibration end, summarised in
  // units of `unit_micros`, sorted by id (so results do not depend on the
  // order rows arrived in).
  std::vector<SummarizedCustomer> Summaries(double unit_micros) const;
  // Purchases after the calibration end (not used).
  int64_t later_purchases() const { return later_purchases_; }
  int64_t calibration_end() const { return calibration_end_; }

 private:
  int64_t calibration_end_;
  sdk::PerKey<std::vector<Purchase>> purchases_;
  int64_t later_purchases_ = 0;
};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_PURCHASE_HISTORIES_H_
