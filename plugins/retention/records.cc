#include "plugins/retention/records.h"

#include <string>
#include <string_view>

#include "kpi/plugin_text.hpp"

namespace kpi::retention {
namespace {

[[noreturn]] void ThrowRange(const TimeRange& range, const char* relation) {
  throw sdk::InvalidArgument(
      std::string(range.end_param) + " (" + sdk::FormatInstant(range.end) +
      ") " + relation + " " + range.begin_param + " (" +
      sdk::FormatInstant(range.begin) + "): the range [" + range.begin_param +
      ", " + range.end_param + ") is empty");
}

}  // namespace

void TimeRange::CheckNotEmpty() const {
  if (end <= begin) {
    ThrowRange(*this, end == begin ? "equals" : "is before");
  }
}

void TimeRange::CheckNotReversed() const {
  if (end < begin) ThrowRange(*this, "is before");
}

std::string TimeRange::Describe() const {
  return "[" + sdk::FormatInstant(begin) + ", " + sdk::FormatInstant(end) + ")";
}

}  // namespace kpi::retention
