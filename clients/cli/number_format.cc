#include "number_format.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace kpi::cli {

std::string FormatNumber(double value, int significant_digits) {
  if (value == 0) return "0";  // also turns -0 into "0"
  if (!std::isfinite(value)) return absl::StrFormat("%g", value);
  if (value == std::trunc(value) && std::abs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  std::string text = absl::StrFormat("%.*g", significant_digits, value);
  if (absl::StrContains(text, 'e') && std::abs(value) >= 1 &&
      std::abs(value) < 1e15) {
    // Too large for the digits asked: rounding to whole reads better than an
    // exponent, as long as the whole number stays short.
    text = absl::StrFormat("%.0f", value);
  }
  return text == "-0" ? "0" : text;
}

std::string FormatTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", time, absl::UTCTimeZone());
}

}  // namespace kpi::cli
