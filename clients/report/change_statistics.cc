#include "change_statistics.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace kpi::report {
namespace {

absl::Status CheckCounts(double x, double n) {
  if (!(n > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("a proportion needs a positive count, not ", n));
  }
  if (!(x >= 0 && x <= n)) {
    return absl::InvalidArgumentError(absl::StrCat(
        x, " of ", n, " is not a proportion: it is outside 0 .. ", n));
  }
  return absl::OkStatus();
}

absl::Status CheckLevel(double level) {
  if (!(level > 0 && level < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("confidence level ", level, " is not in (0, 1)"));
  }
  return absl::OkStatus();
}

DifferenceInterval Interval(double difference, double standard_error,
                            double level) {
  const double margin = NormalCriticalValue(level) * standard_error;
  return {
      difference, standard_error, difference - margin, difference + margin,
      standard_error > 0 ? TwoSidedPValue(difference / standard_error) : 1.0};
}

}  // namespace

double TwoSidedPValue(double z) { return std::erfc(std::fabs(z) / M_SQRT2); }

double NormalCriticalValue(double level) {
  // Bisection on the p-value, which falls monotonically in z: 100 halvings
  // of [0, 40] reach the double's precision, and the report needs only a
  // few values, so a closed-form approximation would buy nothing.
  double low = 0, high = 40;
  for (int i = 0; i < 100; ++i) {
    const double mid = (low + high) / 2;
    (TwoSidedPValue(mid) > 1 - level ? low : high) = mid;
  }
  return (low + high) / 2;
}

absl::StatusOr<ProportionTest> TwoProportionZTest(double x1, double n1,
                                                  double x2, double n2) {
  if (absl::Status s = CheckCounts(x1, n1); !s.ok()) return s;
  if (absl::Status s = CheckCounts(x2, n2); !s.ok()) return s;
  const double p1 = x1 / n1, p2 = x2 / n2;
  const double pooled = (x1 + x2) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se == 0) return ProportionTest{p2 - p1, 0, 1};
  const double z = (p2 - p1) / se;
  return ProportionTest{p2 - p1, z, TwoSidedPValue(z)};
}

absl::StatusOr<DifferenceInterval> DifferenceFromStandardErrors(
    double v1, double se1, double v2, double se2, double level) {
  if (!(se1 >= 0 && se2 >= 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "standard errors must be non-negative, not ", se1, " and ", se2));
  }
  if (absl::Status s = CheckLevel(level); !s.ok()) return s;
  return Interval(v2 - v1, std::hypot(se1, se2), level);
}

absl::StatusOr<DifferenceInterval> ProportionDifferenceInterval(
    double x1, double n1, double x2, double n2, double level) {
  if (absl::Status s = CheckCounts(x1, n1); !s.ok()) return s;
  if (absl::Status s = CheckCounts(x2, n2); !s.ok()) return s;
  if (absl::Status s = CheckLevel(level); !s.ok()) return s;
  const double p1 = x1 / n1, p2 = x2 / n2;
  return Interval(p2 - p1, std::sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2),
                  level);
}

}  // namespace kpi::report
