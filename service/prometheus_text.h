// Writing the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): the
// "# HELP" and "# TYPE" lines of a metric family and its sample lines, with
// HELP text and label values escaped as the format requires.
//
// Only formats: callers choose names (they must match
// [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*; not
// checked) and write every sample of a family right after its header.
//
// Thread-compatible: free functions over the caller's string.
#ifndef KPI_SERVICE_PROMETHEUS_TEXT_H_
#define KPI_SERVICE_PROMETHEUS_TEXT_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace kpi {

// The Content-Type of a scrape answer in this format.
inline constexpr absl::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

using PrometheusLabel = std::pair<absl::string_view, absl::string_view>;

// `value` with backslash, double quote and line feed escaped (\\, \", \n),
// as a label value must be.
std::string EscapeLabelValue(absl::string_view value);
// `text` with backslash and line feed escaped, as HELP text must be.
std::string EscapeHelp(absl::string_view text);

// "# HELP name help\n# TYPE name type\n". `type` is one of counter, gauge,
// histogram, summary, untyped.
void AppendFamilyHeader(std::string* out, absl::string_view name,
                        absl::string_view type, absl::string_view help);

// One sample line: name{label="value",...} value\n (no braces without
// labels). Integers are written exactly; doubles in the shortest form that
// reads back as the same double, with +Inf, -Inf and NaN spelled as the
// format requires.
void AppendSample(std::string* out, absl::string_view name,
                  std::initializer_list<PrometheusLabel> labels,
                  uint64_t value);
void AppendSample(std::string* out, absl::string_view name,
                  std::initializer_list<PrometheusLabel> labels, int64_t value);
void AppendSample(std::string* out, absl::string_view name,
                  std::initializer_list<PrometheusLabel> labels, double value);

// A double as a sample value or an "le" label: "+Inf", "-Inf", "NaN", or
// the fewest digits that read back as `value`, in %g style (e.g. "0.0001",
// "5e-05", "60", "1e+20"), as Go's strconv.FormatFloat(value, 'g', -1,
// 64) writes it.
std::string FormatPrometheusDouble(double value);

}  // namespace kpi

#endif  // KPI_SERVICE_PROMETHEUS_TEXT_H_
