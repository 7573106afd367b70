#include "kpi_change.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "change_statistics.h"
#include "number_format.h"

namespace kpi::report {
namespace {

using kpi::cli::FormatNumber;

// The significance level the verdict uses when the result carries no
// confidence level of its own.
constexpr double kDefaultLevel = 0.95;

std::string Signed(double d, int digits) {
  return absl::StrCat(d > 0 ? "+" : "", FormatNumber(d, digits));
}

// Fills the proportion-based test of `change` from the ratios of the two
// results; a ratio that is missing or not a proportion leaves it untested.
void TestProportions(const kpi::v1::MetricResult& a,
                     const kpi::v1::MetricResult& b, KpiChange& change) {
  if (!a.has_ratio() || !b.has_ratio()) {
    change.not_tested_reason = "the results carry no ratio of counts";
    return;
  }
  const double x1 = a.ratio().numerator(), n1 = a.ratio().denominator();
  const double x2 = b.ratio().numerator(), n2 = b.ratio().denominator();
  if (change.test == NoiseTest::kTwoProportion) {
    absl::StatusOr<ProportionTest> t = TwoProportionZTest(x1, n1, x2, n2);
    if (!t.ok()) {
      change.not_tested_reason = std::string(t.status().message());
      return;
    }
    change.z = t->z;
    change.p_value = t->p_value;
    return;
  }
  absl::StatusOr<DifferenceInterval> i =
      ProportionDifferenceInterval(x1, n1, x2, n2, change.confidence_level);
  if (!i.ok()) {
    change.not_tested_reason = std::string(i.status().message());
    return;
  }
  // The results are in percent; the interval is of fractions.
  change.lower = 100 * i->lower;
  change.upper = 100 * i->upper;
  change.p_value = i->p_value;
}

void TestStandardErrors(const kpi::v1::MetricResult& a,
                        const kpi::v1::MetricResult& b, KpiChange& change) {
  if (!a.has_interval() || !b.has_interval()) {
    change.not_tested_reason = "the results carry no standard error";
    return;
  }
  absl::StatusOr<DifferenceInterval> i = DifferenceFromStandardErrors(
      a.value(), a.interval().standard_error(), b.value(),
      b.interval().standard_error(), change.confidence_level);
  if (!i.ok()) {
    change.not_tested_reason = std::string(i.status().message());
    return;
  }
  change.lower = i->lower;
  change.upper = i->upper;
  change.p_value = i->p_value;
}

}  // namespace

NoiseTest NoiseTestFor(absl::string_view metric) {
  // Rates whose ratio counts customers, tickets, visitors or clicks. Revenue
  // churn is a ratio of money, not of counts, so it has no test here.
  static const auto* const kTests =
      new absl::flat_hash_map<absl::string_view, NoiseTest>{
          {"churn_rate", NoiseTest::kTwoProportion},
          {"retention_rate", NoiseTest::kTwoProportion},
          {"repeat_purchase_rate", NoiseTest::kTwoProportion},
          {"cohort_retention", NoiseTest::kTwoProportion},
          {"ticket_resolution_rate", NoiseTest::kTwoProportion},
          {"funnel", NoiseTest::kTwoProportion},
          {"click_through_rate", NoiseTest::kTwoProportion},
          {"engagement_rate", NoiseTest::kTwoProportion},
          {"conversion_rate", NoiseTest::kTwoProportion},
          {"cart_abandonment_rate", NoiseTest::kTwoProportion},
          {"csat", NoiseTest::kProportionInterval},
          {"ces", NoiseTest::kProportionInterval},
          {"nps", NoiseTest::kStandardErrorInterval},
      };
  const auto it = kTests->find(metric);
  return it == kTests->end() ? NoiseTest::kNone : it->second;
}

absl::string_view NoiseTestName(NoiseTest test) {
  switch (test) {
    case NoiseTest::kTwoProportion:
      return "two_proportion_z";
    case NoiseTest::kProportionInterval:
      return "proportion_difference_interval";
    case NoiseTest::kStandardErrorInterval:
      return "standard_error_difference_interval";
    case NoiseTest::kNone:
      break;
  }
  return "none";
}

absl::string_view NoiseVerdictName(NoiseVerdict verdict) {
  switch (verdict) {
    case NoiseVerdict::kBeyondNoise:
      return "beyond_noise";
    case NoiseVerdict::kWithinNoise:
      return "within_noise";
    case NoiseVerdict::kNotTested:
      break;
  }
  return "not_tested";
}

std::optional<KpiChange> AssessChange(const KpiResults& results) {
  std::vector<const KpiPeriodResult*> complete;
  for (auto it = results.periods.rbegin();
       it != results.periods.rend() && complete.size() < 2; ++it) {
    if (!it->period.partial) complete.insert(complete.begin(), &*it);
  }
  if (complete.size() < 2) return std::nullopt;
  const kpi::v1::MetricResult& a = complete[0]->result;
  const kpi::v1::MetricResult& b = complete[1]->result;
  if (!a.has_value() || !b.has_value()) return std::nullopt;
  KpiChange change;
  change.from = complete[0]->period.label;
  change.to = complete[1]->period.label;
  change.from_value = a.value();
  change.to_value = b.value();
  change.difference = b.value() - a.value();
  change.in_points = b.unit() == "%" || b.unit() == "score";
  if (!change.in_points && a.value() != 0) {
    change.relative_percent = 100 * change.difference / std::fabs(a.value());
  }
  change.test = NoiseTestFor(results.kpi->metric);
  if (b.has_interval() && b.interval().confidence_level() > 0) {
    change.confidence_level = b.interval().confidence_level();
  } else {
    change.confidence_level = kDefaultLevel;
  }
  switch (change.test) {
    case NoiseTest::kNone:
      return change;
    case NoiseTest::kTwoProportion:
    case NoiseTest::kProportionInterval:
      TestProportions(a, b, change);
      break;
    case NoiseTest::kStandardErrorInterval:
      TestStandardErrors(a, b, change);
      break;
  }
  if (change.p_value) {
    // The interval excludes 0 exactly when p < 1 - level (same normal
    // model), so one comparison serves both kinds of test.
    change.verdict = *change.p_value < 1 - change.confidence_level
                         ? NoiseVerdict::kBeyondNoise
                         : NoiseVerdict::kWithinNoise;
  }
  return change;
}

std::string DescribeChange(const KpiChange& change) {
  const double d = change.difference;
  std::string text = d > 0 ? "up " : d < 0 ? "down " : "unchanged";
  if (d != 0) {
    if (change.in_points) {
      absl::StrAppend(&text, FormatNumber(std::fabs(d), 2), " points");
    } else if (change.relative_percent) {
      absl::StrAppend(
          &text, FormatNumber(std::fabs(*change.relative_percent), 2), " %");
    } else {
      absl::StrAppend(&text, FormatNumber(std::fabs(d), 3));
    }
  }
  switch (change.verdict) {
    case NoiseVerdict::kNotTested:
      absl::StrAppend(&text, change.test == NoiseTest::kNone
                                 ? ""
                                 : ", not tested: " + change.not_tested_reason);
      return text;
    case NoiseVerdict::kWithinNoise:
      absl::StrAppend(&text, ", within noise");
      break;
    case NoiseVerdict::kBeyondNoise:
      absl::StrAppend(&text, ", beyond noise");
      break;
  }
  if (change.lower && change.upper) {
    absl::StrAppend(&text, " (", FormatNumber(100 * change.confidence_level, 3),
                    "% interval ", Signed(*change.lower, 2), " to ",
                    Signed(*change.upper, 2), " points)");
  } else if (change.verdict == NoiseVerdict::kBeyondNoise) {
    absl::StrAppend(&text, " (p = ", FormatNumber(*change.p_value, 2), ")");
  }
  return text;
}

}  // namespace kpi::report
