// KPI targets ("monthly churn below 3 %", "NPS at least 40") and whether a
// result meets one. An undefined result meets no target and misses none: it
// has no value, and the report says so rather than counting it either way.

#ifndef KPI_CLIENTS_REPORT_TARGETS_H_
#define KPI_CLIENTS_REPORT_TARGETS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "kpi/v1/result.pb.h"
#include "spec.h"

namespace kpi::report {

enum class TargetStatus { kNoTarget, kMet, kMissed, kNoValue };

TargetStatus Evaluate(const std::optional<Target>& target,
                      const kpi::v1::MetricResult& result);

// "met", "missed", "no value", "" (no target).
absl::string_view TargetStatusName(TargetStatus status);

// "below 3 %", "at least 40".
std::string DescribeTarget(const Target& target, absl::string_view unit);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_TARGETS_H_
