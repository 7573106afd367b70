#include "event_log.h"

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

constexpr absl::string_view kReplacement = "\\ufffd";

bool IsContinuation(unsigned char c) { return (c & 0xc0) == 0x80; }

// The length of the valid UTF-8 sequence at the start of `text`, or 0 when
// its first byte does not begin one (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF).
size_t Utf8SequenceLength(absl::string_view text) {
  const auto byte = [&text](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) second_min = 0xa0;  // overlong
    if (lead == 0xed) second_max = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) second_min = 0x90;  // overlong
    if (lead == 0xf4) second_max = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < second_min || byte(1) > second_max) {
    return 0;
  }
  for (size_t i = 2; i < length; ++i) {
    if (!IsContinuation(byte(i))) return 0;
  }
  return length;
}

// Appends `text` escaped: control characters, DEL and invalid UTF-8 always
// (so a line stays one line of valid UTF-8), `"` and `\` when `json`.
void AppendEscaped(absl::string_view text, bool json, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->reserve(out->size() + text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text.substr(i));
      if (length == 0) {
        out->append(kReplacement.data(), kReplacement.size());
        ++i;
      } else {
        out->append(text.data() + i, length);
        i += length;
      }
      continue;
    }
    ++i;
    if (json && (c == '"' || c == '\\')) {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c == 0x7f) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

// Whether a text-format value must be quoted to read back as one value.
bool NeedsQuotes(absl::string_view value) {
  if (value.empty()) return true;
  for (const char ch : value) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '=') {
      return true;
    }
  }
  return false;
}

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  AppendJsonEscaped(text, out);
  out->push_back('"');
}

std::string FormatJson(absl::Time now, absl::string_view event,
                       absl::Span<const LogField> fields) {
  std::string line = absl::StrCat(
      "{\"time\":\"",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", now, absl::UTCTimeZone()),
      "\",\"event\":");
  AppendJsonString(event, &line);
  for (const LogField& field : fields) {
    line.push_back(',');
    AppendJsonString(field.key(), &line);
    line.push_back(':');
    if (field.is_number()) {
      line.append(field.value().data(), field.value().size());
    } else {
      AppendJsonString(field.value(), &line);
    }
  }
  line.append("}\n");
  return line;
}

std::string FormatText(absl::string_view event,
                       absl::Span<const LogField> fields) {
  std::string line = "kpi-server: ";
  size_t first = 0;
  if (!fields.empty() && fields[0].key() == "message") {
    AppendEscaped(fields[0].value(), /*json=*/false, &line);
    first = 1;
  } else {
    line.append(event.data(), event.size());
  }
  for (const LogField& field : fields.subspan(first)) {
    absl::StrAppend(&line, " ", field.key(), "=");
    if (field.is_number() || !NeedsQuotes(field.value())) {
      line.append(field.value().data(), field.value().size());
    } else {
      line.push_back('"');
      AppendJsonEscaped(field.value(), &line);
      line.push_back('"');
    }
  }
  line.push_back('\n');
  return line;
}

}  // namespace

void AppendJsonEscaped(absl::string_view text, std::string* out) {
  AppendEscaped(text, /*json=*/true, out);
}

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("expected text or json, got '", name, "'"));
}

LogField::LogField(absl::string_view key, int64_t value)
    : key_(key), is_number_(true) {
  const char* end =
      std::to_chars(number_, number_ + sizeof(number_), value).ptr;
  number_size_ = static_cast<unsigned char>(end - number_);
}

LogField::LogField(absl::string_view key, uint64_t value)
    : key_(key), is_number_(true) {
  const char* end =
      std::to_chars(number_, number_ + sizeof(number_), value).ptr;
  number_size_ = static_cast<unsigned char>(end - number_);
}

LogField::LogField(absl::string_view key, double value)
    : key_(key), is_number_(true) {
  // JSON has no NaN or infinity; no field the server writes is either.
  const int size = std::isfinite(value)
                       ? std::snprintf(number_, sizeof(number_), "%.3f", value)
                       : std::snprintf(number_, sizeof(number_), "null");
  number_size_ = static_cast<unsigned char>(
      size < 0 ? 0 : std::min<int>(size, sizeof(number_) - 1));
}

EventLog::EventLog(LogFormat format, int fd) : format_(format), fd_(fd) {}

std::string EventLog::Format(absl::Time now, absl::string_view event,
                             absl::Span<const LogField> fields) const {
  return format_ == LogFormat::kJson ? FormatJson(now, event, fields)
                                     : FormatText(event, fields);
}

void EventLog::Write(absl::string_view event,
                     std::initializer_list<LogField> fields) const {
  Write(event, absl::MakeConstSpan(fields.begin(), fields.size()));
}

void EventLog::Write(absl::string_view event,
                     absl::Span<const LogField> fields) const {
  const std::string line = Format(absl::Now(), event, fields);
  std::lock_guard<std::mutex> lock(write_mutex_);
  // One write(2) for the line; more only if the kernel takes part of it
  // (a signal, a full pipe), and never interleaved with another line.
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n =
        ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log to: the line is lost
    written += static_cast<size_t>(n);
  }
}

void EventLog::Message(absl::string_view event,
                       absl::string_view message) const {
  Write(event, {LogField("message", message)});
}

}  // namespace kpi
