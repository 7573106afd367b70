// plugins/predictive/customer_base.h -- the customers of a call as the
// BG/NBD metrics read them: calibration summaries grouped into distinct
// rows, and the model's predictions per customer.
//
// Predictions are computed once per distinct (x, t_x, T) row and shared by
// every customer with that row: their cost follows the distinct summaries,
// not the customers.
#ifndef KPI_PLUGINS_PREDICTIVE_CUSTOMER_BASE_H_
#define KPI_PLUGINS_PREDICTIVE_CUSTOMER_BASE_H_

#include <vector>

#include "kpi/plugin.hpp"
#include "plugins/predictive/models/bgnbd.h"
#include "plugins/predictive/models/customer_summary.h"
#include "plugins/predictive/purchase_histories.h"

namespace kpi::predictive {

struct CustomerBase {
  std::vector<SummarizedCustomer> customers;  // sorted by id
  GroupedSummaries grouped;                   // row_of by customers' index
};

CustomerBase BuildCustomerBase(const PurchaseHistories& histories,
                               double unit_micros);

// Per customer of `base` (same order): P(alive) and the purchases expected
// in the next `horizon` units.
struct BgNbdPredictions {
  std::vector<double> p_alive;
  std::vector<double> expected_purchases;
};

// Throws sdk::InvalidArgument when an expectation cannot be evaluated.
BgNbdPredictions PredictBgNbd(const BgNbdParams& params,
                              const CustomerBase& base, double horizon);

// Says how many purchases fell after the calibration end, if any.
void WarnAboutLaterPurchases(const PurchaseHistories& histories,
                             sdk::Result& result);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_CUSTOMER_BASE_H_
