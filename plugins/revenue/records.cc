#include "plugins/revenue/records.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <sstream>

namespace kpi::revenue {

std::string_view CustomerAt(const sdk::View<kpi_string_view>& ids, size_t row,
                            const char* input) {
  const kpi_string_view id = ids[row];
  if (id.size == 0) {
    std::ostringstream message;
    message << input << " is empty in row " << row
            << " of a chunk: every record needs a customer id";
    throw sdk::InvalidArgument(message.str());
  }
  return std::string_view(id.data, id.size);
}

std::string QuoteCustomer(std::string_view id) {
  constexpr size_t kMaxShown = 40;
  std::string quoted = "'";
  if (id.size() > kMaxShown) {
    quoted.append(id.substr(0, kMaxShown));
    quoted.append("...");
  } else {
    quoted.append(id);
  }
  quoted.push_back('\'');
  return quoted;
}

std::string FormatInstant(int64_t micros) {
  if (micros == INT64_MAX) return "open";
  constexpr int64_t kMicrosPerSecond = 1'000'000;
  int64_t seconds = micros / kMicrosPerSecond;
  int64_t fraction = micros % kMicrosPerSecond;
  if (fraction < 0) {
    fraction += kMicrosPerSecond;
    --seconds;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  char buffer[64];
  if (gmtime_r(&t, &tm) == nullptr ||
      std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
    std::snprintf(buffer, sizeof(buffer), "%" PRId64 " us", micros);
    return buffer;
  }
  std::string text = buffer;
  if (fraction != 0) {
    std::snprintf(buffer, sizeof(buffer), ".%06" PRId64, fraction);
    text += buffer;
  }
  text += 'Z';
  return text;
}

void Period::Check() const {
  if (start < end) return;
  std::ostringstream message;
  message << "period_end (" << FormatInstant(end)
          << ") must be after period_start (" << FormatInstant(start) << ")";
  throw sdk::InvalidArgument(message.str());
}

}  // namespace kpi::revenue
