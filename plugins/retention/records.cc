#include "plugins/retention/records.h"

#include <string>
#include <string_view>

#include "plugins/retention/calendar.h"

namespace kpi::retention {
namespace {

[[noreturn]] void ThrowRange(const TimeRange& range, const char* relation) {
  throw sdk::InvalidArgument(
      std::string(range.end_param) + " (" + FormatInstant(range.end) + ") " +
      relation + " " + range.begin_param + " (" + FormatInstant(range.begin) +
      "): the range [" + range.begin_param + ", " + range.end_param +
      ") is empty");
}

}  // namespace

std::string_view CustomerAt(const sdk::View<kpi_string_view>& ids, size_t row,
                            const char* input) {
  const kpi_string_view& id = ids[row];
  if (id.size == 0) {
    throw sdk::InvalidArgument(
        std::string(input) +
        " is empty in a row: every record needs a customer id");
  }
  return std::string_view(id.data, id.size);
}

std::string QuoteCustomer(std::string_view id) {
  constexpr size_t kMaxShown = 40;
  if (id.size() <= kMaxShown) return "'" + std::string(id) + "'";
  return "'" + std::string(id.substr(0, kMaxShown)) + "...'";
}

void TimeRange::CheckNotEmpty() const {
  if (end <= begin) {
    ThrowRange(*this, end == begin ? "equals" : "is before");
  }
}

void TimeRange::CheckNotReversed() const {
  if (end < begin) ThrowRange(*this, "is before");
}

std::string TimeRange::Describe() const {
  return "[" + FormatInstant(begin) + ", " + FormatInstant(end) + ")";
}

}  // namespace kpi::retention
