// plugins/predictive/customer_base.h -- the customers of a call as the
// BG/NBD metrics read them: calibration summaries grouped into distinct
// rows, and the model's predictions per customer.
//
// Predictions are computed once per distinct (x, t_x, T) row and shared by
// every customer with that row: their cost follows the distinct summaries,
// not the customers.
#ifndef KPI_PLUGINS_PREDICTIVE_CUSTOMER_BASE_H_
#define KPI_PLUGINS_PREDICTIVE_CUSTOMER_BASE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/types/span.h"
#include "kpi/plugin.hpp"
#include "plugins/predictive/fitted_models.h"
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

// The customers of `histories` and their BG/NBD model: `given` (r, alpha,
// a, b; all 0: fitted to them). Sets the result's sample size and warns
// about purchases after calibration_end; nullopt when the result is then
// undefined: no customer by calibration_end, or a fit the data cannot
// support (with the model's reason). Throws sdk::InvalidArgument when
// `given` is partial.
struct PurchaseModel {
  CustomerBase base;
  UsedModel<BgNbdParams> model;
};
std::optional<PurchaseModel> ModelPurchases(const PurchaseHistories& histories,
                                            double unit_micros,
                                            absl::Span<const double> given,
                                            sdk::Result& result);

// The one-row table `table` of a BG/NBD model (WriteModelTable).
void WritePurchaseModel(const UsedModel<BgNbdParams>& model,
                        std::string_view table, sdk::Result& result);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_CUSTOMER_BASE_H_
