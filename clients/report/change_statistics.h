// The statistics behind "is this change beyond noise?" on a KPI tile: a
// two-proportion z-test for rates that count things (churned customers out
// of customers at start), and the normal-approximation confidence interval
// of a difference, from two proportions or from two standard errors (NPS).
// Pure functions of numbers; no I/O, safe from any thread.
//
// The tests treat the two periods as independent samples. Consecutive
// periods of churn share customers, so for them the test is an
// approximation (it tends to be conservative); the report says which test
// it used so a reader can judge.

#ifndef KPI_CLIENTS_REPORT_CHANGE_STATISTICS_H_
#define KPI_CLIENTS_REPORT_CHANGE_STATISTICS_H_

#include "absl/status/statusor.h"

namespace kpi::report {

// The two-sided standard normal critical value z with P(|Z| <= z) = `level`
// (1.959964 at 0.95). REQUIRES: 0 < level < 1.
double NormalCriticalValue(double level);

// The two-sided p-value of a standard normal statistic z: P(|Z| >= |z|).
double TwoSidedPValue(double z);

struct ProportionTest {
  double difference;  // p2 - p1, as a fraction (0.015 = 1.5 points)
  double z;
  double p_value;
};

// H0: p1 = p2, with the pooled proportion (x1 + x2) / (n1 + n2) for the
// standard error: z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)). When every
// count is a success or every one a failure the two proportions are equal
// and there is no variation: z = 0, p = 1.
// Errors: n <= 0, or x outside [0, n] (the ratio does not count a subset).
absl::StatusOr<ProportionTest> TwoProportionZTest(double x1, double n1,
                                                  double x2, double n2);

struct DifferenceInterval {
  double difference;  // second - first
  double standard_error;
  double lower;
  double upper;
  double p_value;  // of H0: difference = 0, from the same normal model
};

// The interval of v2 - v1 for two independent estimates with standard
// errors se1, se2: (v2 - v1) ± z sqrt(se1² + se2²).
// Errors: a negative standard error; `level` outside (0, 1).
absl::StatusOr<DifferenceInterval> DifferenceFromStandardErrors(
    double v1, double se1, double v2, double se2, double level);

// The unpooled (Wald) interval of p2 - p1, p = x / n, each proportion's
// standard error sqrt(p (1 - p) / n); as fractions.
// Errors: those of TwoProportionZTest, and `level` outside (0, 1).
absl::StatusOr<DifferenceInterval> ProportionDifferenceInterval(
    double x1, double n1, double x2, double n2, double level);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_CHANGE_STATISTICS_H_
