// kpi/plugin_text.hpp -- numbers, instants and caller values as a plugin
// writes them into error messages and warnings. Header-only, C++17.
//
// Why not std::to_string or std::ostringstream: in libstdc++ they
// instantiate tables exported as GNU unique symbols, and glibc never unloads
// a library holding one, so a plugin using them could not be unloaded or
// replaced. Numbers here are written with std::to_chars (compiled into
// libstdc++, nothing instantiated in the plugin), instants with strftime.
#ifndef KPI_PLUGIN_TEXT_HPP_
#define KPI_PLUGIN_TEXT_HPP_

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>
#include <system_error>

namespace kpi::sdk {

// A whole number, e.g. "1500".
inline std::string FormatCount(int64_t count) {
  char buffer[24];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), count);
  return std::string(buffer, r.ptr);
}

// The shortest text that reads back as the same number, e.g. "0.5", "40",
// "0.30000000000000004", "1e+300"; "nan", "inf", "-inf" as such.
inline std::string FormatNumber(double number) {
  char buffer[32];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), number);
  return std::string(buffer, r.ptr);
}

// A count kept as a double, printed as the whole number it is (rounded to
// the nearest when it is not whole).
inline std::string FormatCount(double count) {
  if (!std::isfinite(count)) return FormatNumber(count);
  char buffer[320];  // the largest double has 309 digits
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), std::nearbyint(count),
                    std::chars_format::fixed);
  return std::string(buffer, r.ptr);
}

// "1 customer", "3 customers".
inline std::string Counted(int64_t count, std::string_view singular,
                           std::string_view plural) {
  return FormatCount(count) + " " + std::string(count == 1 ? singular : plural);
}

// Microseconds since the Unix epoch as "2024-01-31T10:15:00Z" (".250000"
// before the Z when not a whole second); INT64_MAX, the open end of a
// subscription or an unanswered ticket, as "the open end"; instants outside
// years 0..9999 as "N us since the epoch".
inline std::string FormatInstant(int64_t micros) {
  constexpr int64_t kMicrosPerSecond = 1000000;
  constexpr int64_t kMin = -62167219200LL * kMicrosPerSecond;
  constexpr int64_t kMax = 253402300799LL * kMicrosPerSecond;
  if (micros == INT64_MAX) return "the open end";
  if (micros < kMin || micros > kMax) {
    return FormatCount(micros) + " us since the epoch";
  }
  int64_t seconds = micros / kMicrosPerSecond;
  int64_t fraction = micros % kMicrosPerSecond;
  if (fraction < 0) {  // floor division, for instants before 1970
    fraction += kMicrosPerSecond;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char buffer[48];
  const size_t n =
      std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &parts);
  std::string out(buffer, n);
  if (fraction != 0) {
    std::snprintf(buffer, sizeof(buffer), ".%06" PRId64, fraction);
    out += buffer;
  }
  out += 'Z';
  return out;
}

// `text` in double quotes, cut at a UTF-8 character boundary to at most
// `max_bytes` ("..." marks a cut), so a huge caller value cannot fill a
// message.
inline std::string Quote(std::string_view text, size_t max_bytes = 64) {
  std::string out = "\"";
  if (text.size() <= max_bytes) {
    out.append(text);
  } else {
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.append(text.substr(0, cut));
    out += "...";
  }
  out += '"';
  return out;
}

}  // namespace kpi::sdk

#endif  // KPI_PLUGIN_TEXT_HPP_
