// plugins/predictive/models/hypergeometric.h -- the generalized
// hypergeometric functions the predictions need, from Boost.Math
// (hypergeometric_pFq), with its exceptions turned into "no value".
//
// Thread safety: reentrant.
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_HYPERGEOMETRIC_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_HYPERGEOMETRIC_H_

#include <optional>

namespace kpi::predictive {

// 2F1(a, b; c; z), or nullopt when Boost cannot evaluate it to a finite
// value (divergence, overflow, total cancellation).
// REQUIRES: 0 <= z < 1.
std::optional<double> Hypergeometric2F1(double a, double b, double c, double z);

// 3F2(a1, a2, a3; b1, b2; z), or nullopt as above. REQUIRES: 0 <= z < 1.
std::optional<double> Hypergeometric3F2(double a1, double a2, double a3,
                                        double b1, double b2, double z);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_HYPERGEOMETRIC_H_
