// plugins/survey/normal_quantile.h -- quantiles of the standard normal
// distribution, for margins of error.
#ifndef KPI_PLUGINS_SURVEY_NORMAL_QUANTILE_H_
#define KPI_PLUGINS_SURVEY_NORMAL_QUANTILE_H_

namespace kpi::survey {

// The x with P(Z <= x) = p for a standard normal Z: Acklam's rational
// approximation (relative error 1.15e-9) refined by one Halley step against
// std::erfc, which brings it to about machine precision.
// REQUIRES: 0 < p < 1.
double NormalQuantile(double p);

// The two-sided critical value z of a confidence level: P(|Z| <= z) =
// confidence_level, e.g. 1.959964 for 0.95.
// REQUIRES: 0 < confidence_level < 1.
double TwoSidedCriticalValue(double confidence_level);

}  // namespace kpi::survey

#endif  // KPI_PLUGINS_SURVEY_NORMAL_QUANTILE_H_
