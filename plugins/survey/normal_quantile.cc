#include "plugins/survey/normal_quantile.h"

#include <cmath>

namespace kpi::survey {
namespace {

// Coefficients of Peter J. Acklam's algorithm: a rational function of
// (p - 0.5) in the central region, of sqrt(-2 log p) in the tails.
constexpr double kA[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                         -2.759285104469687e+02, 1.383577518672690e+02,
                         -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double kB[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                         -1.556989798598866e+02, 6.680131188771972e+01,
                         -1.328068155288572e+01};
constexpr double kC[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                         -2.400758277161838e+00, -2.549732539343734e+00,
                         4.374664141464968e+00,  2.938163982698783e+00};
constexpr double kD[] = {7.784695709041462e-03, 3.224671290700398e-01,
                         2.445134137142996e+00, 3.754408661907416e+00};
constexpr double kLowTail = 0.02425;

// The lower tail, p < kLowTail; the upper tail follows by symmetry.
double LowerTail(double p) {
  const double q = std::sqrt(-2.0 * std::log(p));
  return (((((kC[0] * q + kC[1]) * q + kC[2]) * q + kC[3]) * q + kC[4]) * q +
          kC[5]) /
         ((((kD[0] * q + kD[1]) * q + kD[2]) * q + kD[3]) * q + 1.0);
}

double Acklam(double p) {
  if (p < kLowTail) return LowerTail(p);
  if (p > 1.0 - kLowTail) return -LowerTail(1.0 - p);
  const double q = p - 0.5;
  const double r = q * q;
  return (((((kA[0] * r + kA[1]) * r + kA[2]) * r + kA[3]) * r + kA[4]) * r +
          kA[5]) *
         q /
         (((((kB[0] * r + kB[1]) * r + kB[2]) * r + kB[3]) * r + kB[4]) * r +
          1.0);
}

}  // namespace

double NormalQuantile(double p) {
  const double x = Acklam(p);
  // One step of Halley's method on Phi(x) - p, with Phi from erfc (accurate
  // in both tails, unlike 1 - erf).
  constexpr double kSqrt2 = 1.41421356237309504880;
  constexpr double kSqrt2Pi = 2.50662827463100050242;
  const double e = 0.5 * std::erfc(-x / kSqrt2) - p;
  const double u = e * kSqrt2Pi * std::exp(x * x / 2.0);
  return x - u / (1.0 + x * u / 2.0);
}

double TwoSidedCriticalValue(double confidence_level) {
  return NormalQuantile(0.5 + confidence_level / 2.0);
}

}  // namespace kpi::survey
