// plugins/predictive/models/special_functions.h -- log-gamma, digamma and
// log-beta as the likelihoods use them.
//
// Thread safety: reentrant (LogGamma uses lgamma_r, not lgamma, which writes
// the global signgam).
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_SPECIAL_FUNCTIONS_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_SPECIAL_FUNCTIONS_H_

namespace kpi::predictive {

// ln |Gamma(x)|. REQUIRES: x > 0 for the models' uses.
double LogGamma(double x);
// psi(x) = d/dx ln Gamma(x). REQUIRES: x > 0.
double Digamma(double x);
// ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b).
double LogBeta(double a, double b);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_SPECIAL_FUNCTIONS_H_
