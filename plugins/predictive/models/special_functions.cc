#include "plugins/predictive/models/special_functions.h"

#include <math.h>

#include <boost/math/special_functions/digamma.hpp>

namespace kpi::predictive {

double LogGamma(double x) {
  int sign = 0;
  return lgamma_r(x, &sign);
}

double Digamma(double x) { return boost::math::digamma(x); }

double LogBeta(double a, double b) {
  return LogGamma(a) + LogGamma(b) - LogGamma(a + b);
}

}  // namespace kpi::predictive
