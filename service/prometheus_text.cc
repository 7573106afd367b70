#include "prometheus_text.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

std::string Escape(absl::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        out += quotes ? "\\\"" : "\"";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void AppendNameAndLabels(std::string* out, absl::string_view name,
                         std::initializer_list<PrometheusLabel> labels) {
  out->append(name.data(), name.size());
  if (labels.size() == 0) return;
  out->push_back('{');
  bool first = true;
  for (const PrometheusLabel& label : labels) {
    if (!first) out->push_back(',');
    first = false;
    absl::StrAppend(out, label.first, "=\"", EscapeLabelValue(label.second),
                    "\"");
  }
  out->push_back('}');
}

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  return Escape(value, /*quotes=*/true);
}

std::string EscapeHelp(absl::string_view text) {
  return Escape(text, /*quotes=*/false);
}

void AppendFamilyHeader(std::string* out, absl::string_view name,
                        absl::string_view type, absl::string_view help) {
  absl::StrAppend(out, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ",
                  name, " ", type, "\n");
}

void AppendSample(std::string* out, absl::string_view name,
                  std::initializer_list<PrometheusLabel> labels,
                  uint64_t value) {
  AppendNameAndLabels(out, name, labels);
  absl::StrAppend(out, " ", value, "\n");
}

void AppendSample(std::string* out, absl::string_view name,
                  std::initializer_list<PrometheusLabel> labels,
                  int64_t value) {
  AppendNameAndLabels(out, name, labels);
  absl::StrAppend(out, " ", value, "\n");
}

void AppendSample(std::string* out, absl::string_view name,
                  std::initializer_list<PrometheusLabel> labels, double value) {
  AppendNameAndLabels(out, name, labels);
  absl::StrAppend(out, " ", FormatPrometheusDouble(value), "\n");
}

std::string FormatPrometheusDouble(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const std::to_chars_result written = std::to_chars(
      buffer, buffer + sizeof(buffer), value, std::chars_format::general);
  return std::string(buffer, written.ptr);
}

}  // namespace kpi
