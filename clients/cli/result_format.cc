#include "result_format.h"

#include "absl/strings/str_cat.h"
#include "number_format.h"

namespace kpi::cli {
namespace {

// Interval statistics are estimates: four significant digits are plenty.
constexpr int kEstimateDigits = 4;

std::string IntervalLine(const kpi::v1::ConfidenceInterval& interval) {
  std::string label = "interval";
  if (interval.confidence_level() > 0) {
    label = absl::StrCat(FormatNumber(interval.confidence_level() * 100),
                         "% interval");
  }
  return absl::StrCat(
      "  ", label, ": ", FormatNumber(interval.lower(), kEstimateDigits),
      " .. ", FormatNumber(interval.upper(), kEstimateDigits), " (margin ±",
      FormatNumber(interval.margin(), kEstimateDigits), ", SE ",
      FormatNumber(interval.standard_error(), kEstimateDigits), ")\n");
}

}  // namespace

std::string FormatResult(const kpi::v1::MetricResult& result,
                         absl::string_view metric) {
  const absl::string_view name =
      result.metric().empty() ? metric : absl::string_view(result.metric());
  std::string out;
  if (!result.has_value()) {
    absl::StrAppend(&out, name, " is undefined");
    if (!result.undefined_reason().empty()) {
      absl::StrAppend(&out, ": ", result.undefined_reason());
    }
    absl::StrAppend(&out, "\n");
  } else {
    absl::StrAppend(&out, name, " = ", FormatNumber(result.value()));
    if (!result.unit().empty()) absl::StrAppend(&out, " ", result.unit());
    absl::StrAppend(&out, "\n");
    // A rate shows the counts it was made from; a statistic its interval.
    // The sample size is left out when the ratio's denominator already says
    // it.
    const bool show_ratio = result.has_ratio() && !result.has_interval();
    if (show_ratio) {
      absl::StrAppend(&out,
                      "  ratio: ", FormatNumber(result.ratio().numerator()),
                      " / ", FormatNumber(result.ratio().denominator()), "\n");
    }
    if (result.has_interval()) {
      absl::StrAppend(&out, IntervalLine(result.interval()));
    }
    if (result.sample_size() > 0 &&
        !(show_ratio && result.sample_size() == result.ratio().denominator())) {
      absl::StrAppend(
          &out, "  sample size: ", FormatNumber(result.sample_size()), "\n");
    }
  }
  for (const std::string& warning : result.warnings()) {
    absl::StrAppend(&out, "  warning: ", warning, "\n");
  }
  return out;
}

}  // namespace kpi::cli
