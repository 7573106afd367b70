#include "plugins/predictive/models/hypergeometric.h"

#include <cmath>
#include <exception>
#include <initializer_list>

// Boost 1.74's hypergeometric_pFq.hpp uses lgamma and expm1 without
// including their definitions.
#include <boost/math/special_functions/expm1.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/hypergeometric_pFq.hpp>

namespace kpi::predictive {
namespace {

// Sums in double, not Boost's default long double: a third of the time
// per call, and the checked series still reports (throws) where double's
// cancellation would make the sum meaningless.
using DoublePolicy =
    boost::math::policies::policy<boost::math::policies::promote_double<false>>;

std::optional<double> PFQ(std::initializer_list<double> a,
                          std::initializer_list<double> b, double z) {
  try {
    const double value = boost::math::hypergeometric_pFq(
        a, b, z, static_cast<double*>(nullptr), DoublePolicy());
    if (std::isfinite(value)) return value;
  } catch (const std::exception&) {
    // Boost's evaluation_error / overflow_error: reported as no value.
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> Hypergeometric2F1(double a, double b, double c,
                                        double z) {
  return PFQ({a, b}, {c}, z);
}

std::optional<double> Hypergeometric3F2(double a1, double a2, double a3,
                                        double b1, double b2, double z) {
  return PFQ({a1, a2, a3}, {b1, b2}, z);
}

}  // namespace kpi::predictive
