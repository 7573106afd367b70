// How the CLI writes numbers for people to read.

#ifndef KPI_CLIENTS_CLI_NUMBER_FORMAT_H_
#define KPI_CLIENTS_CLI_NUMBER_FORMAT_H_

#include <string>

#include "absl/time/time.h"

namespace kpi::cli {

// `value` with at most `significant_digits` significant digits and no
// trailing zeros: 5 -> "5", 33.333333 -> "33.3333", 0.05 -> "0.05".
// Numbers below 1e15 never get an exponent: whole ones are written in full
// (1000000 -> "1000000", never "1e+06") and others with more integer digits
// than `significant_digits` are rounded to whole (1234567.8 -> "1234568").
// Tiny and huge numbers do use one (0.0000123 -> "1.23e-05", 1e15 ->
// "1e+15"). -0 is "0".
// REQUIRES: 1 <= significant_digits <= 17.
std::string FormatNumber(double value, int significant_digits = 6);

// `time` in RFC 3339, in UTC, as kpi compute accepts it: whole seconds as
// "2024-01-31T00:00:00Z", fractions with the digits they need
// ("2024-01-31T00:00:00.5Z").
std::string FormatTimestamp(absl::Time time);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_NUMBER_FORMAT_H_
