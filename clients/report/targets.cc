#include "targets.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kpi::report {

TargetStatus Evaluate(const std::optional<Target>& target,
                      const kpi::v1::MetricResult& result) {
  if (!target) return TargetStatus::kNoTarget;
  if (!result.has_value()) return TargetStatus::kNoValue;
  const double v = result.value();
  bool met = false;
  switch (target->kind) {
    case TargetKind::kBelow:
      met = v < target->value;
      break;
    case TargetKind::kAtMost:
      met = v <= target->value;
      break;
    case TargetKind::kAbove:
      met = v > target->value;
      break;
    case TargetKind::kAtLeast:
      met = v >= target->value;
      break;
  }
  return met ? TargetStatus::kMet : TargetStatus::kMissed;
}

absl::string_view TargetStatusName(TargetStatus status) {
  switch (status) {
    case TargetStatus::kNoTarget:
      return "";
    case TargetStatus::kMet:
      return "met";
    case TargetStatus::kMissed:
      return "missed";
    case TargetStatus::kNoValue:
      return "no value";
  }
  return "";
}

std::string DescribeTarget(const Target& target, absl::string_view unit) {
  const char* kind = "";
  switch (target.kind) {
    case TargetKind::kBelow:
      kind = "below";
      break;
    case TargetKind::kAtMost:
      kind = "at most";
      break;
    case TargetKind::kAbove:
      kind = "above";
      break;
    case TargetKind::kAtLeast:
      kind = "at least";
      break;
  }
  std::string text = absl::StrFormat("%s %g", kind, target.value);
  if (!unit.empty()) absl::StrAppend(&text, " ", unit);
  return text;
}

}  // namespace kpi::report
