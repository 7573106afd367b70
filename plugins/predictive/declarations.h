// plugins/predictive/declarations.h -- the inputs and parameters the
// predictive metrics share, declared once so that every metric describes
// them in the same words.
#ifndef KPI_PLUGINS_PREDICTIVE_DECLARATIONS_H_
#define KPI_PLUGINS_PREDICTIVE_DECLARATIONS_H_

#include "kpi/plugin.hpp"

namespace kpi::predictive {

// ---- Transactions ----------------------------------------------------------

inline constexpr kpi_input_spec kCustomerInput =
    sdk::Column("customer", KPI_TYPE_KEY, "The customer who made the purchase.")
        .Required();
inline constexpr kpi_input_spec kTimeInput =
    sdk::Column("time", KPI_TYPE_TIMESTAMP,
                "When the purchase was made. Rows with the same customer and "
                "time are one transaction (with dates only, the purchases of "
                "one day); purchases after calibration_end are not used.")
        .Required();
inline constexpr kpi_input_spec kAmountInput =
    sdk::Column("amount", KPI_TYPE_DOUBLE,
                "What the purchase was worth, >= 0; the amounts of one "
                "transaction add up.")
        .Required()
        .Min(0);

// ---- Calibration
// -------------------------------------------------------------

inline constexpr kpi_param_spec kCalibrationEndParam =
    sdk::TimestampParam("calibration_end", 0,
                        "The end of the calibration period, inclusive: each "
                        "customer's period runs from the first purchase to "
                        "this instant.")
        .Required();
inline constexpr kpi_param_spec kTimeUnitDaysParam =
    sdk::DoubleParam("time_unit_days", 7,
                     "Days per time unit (7: weeks, as Fader, Hardie & Lee "
                     "2005). t_x, T, horizon and alpha are in this unit.")
        .Min(1.0 / 24);

// ---- BG/NBD parameters: 0 fits, all four given predict only -------------

inline constexpr kpi_param_spec kRParam =
    sdk::DoubleParam("r", 0,
                     "BG/NBD r, shape of the purchase-rate distribution. 0 "
                     "(the default, with alpha, a and b): fitted. Give r, "
                     "alpha, a and b of a stored fit to predict only.")
        .Min(0);
inline constexpr kpi_param_spec kAlphaParam =
    sdk::DoubleParam("alpha", 0,
                     "BG/NBD alpha, scale of the purchase-rate distribution, "
                     "in time units; 0: fitted (see r).")
        .Min(0);
inline constexpr kpi_param_spec kAParam =
    sdk::DoubleParam("a", 0,
                     "BG/NBD a, of the dropout-probability distribution; 0: "
                     "fitted (see r).")
        .Min(0);
inline constexpr kpi_param_spec kBParam =
    sdk::DoubleParam("b", 0,
                     "BG/NBD b, of the dropout-probability distribution; 0: "
                     "fitted (see r).")
        .Min(0);

// ---- Gamma-Gamma parameters: 0 fits, all three given predict only -------

inline constexpr kpi_param_spec kPParam =
    sdk::DoubleParam("p", 0,
                     "Gamma-Gamma p, shape of a customer's transaction "
                     "values. 0 (the default, with q and v): fitted. Give p, "
                     "q and v of a stored fit to predict only.")
        .Min(0);
inline constexpr kpi_param_spec kQParam =
    sdk::DoubleParam("q", 0,
                     "Gamma-Gamma q, shape of the spend-scale distribution "
                     "across customers; 0: fitted (see p).")
        .Min(0);
inline constexpr kpi_param_spec kVParam =
    sdk::DoubleParam("v", 0,
                     "Gamma-Gamma v, scale of the spend-scale distribution, "
                     "in amount units; 0: fitted (see p).")
        .Min(0);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_DECLARATIONS_H_
