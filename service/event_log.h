// EventLog: every line kpi-server logs, one event per line, on stderr.
//
// An event has a stable name (listening, reload, plugin_refused, call, ...;
// docs/operating.md#logging lists them) and fields, written in one of two
// formats:
//
//   text (default)  kpi-server: listening on 127.0.0.1:50051 with ...
//                   kpi-server: call request_id=abc-123 method=ComputeNps
//                     metric=nps code=INVALID_ARGUMENT ... message="..."
//     An event whose first field is `message` reads as that message, as the
//     server's lines always have; any other starts with its event name. The
//     remaining fields follow as key=value; a value that is empty or holds
//     anything but visible ASCII other than `"`, `\` and `=` is quoted, with
//     the escapes of JSON. No time: journald and container runtimes add it.
//   json            {"time":"2026-12-02T17:24:10.123Z","event":"call",...}
//     One object per line: `time` (RFC 3339, UTC, milliseconds), `event`,
//     then the fields in order; numbers as JSON numbers.
//
// Whatever a value holds -- quotes, backslashes, newlines, control
// characters, invalid UTF-8 (each bad byte becomes U+FFFD) -- a line is one
// line, and in JSON a valid JSON object.
//
// Thread-safe. Each line goes out in one write(2), under a lock, so lines
// written at once by different threads never interleave.
#ifndef KPI_SERVICE_EVENT_LOG_H_
#define KPI_SERVICE_EVENT_LOG_H_

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"

namespace kpi {

enum class LogFormat { kText, kJson };

// "text" or "json"; INVALID_ARGUMENT names the two.
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// One field of an event: a key chosen by the server (REQUIRES: [a-z_]+) and
// a string or a number. Holds a string value by reference: it must outlive
// the Write it is passed to.
class LogField {
 public:
  LogField(absl::string_view key, absl::string_view value)
      : key_(key), text_(value) {}
  LogField(absl::string_view key, const char* value)
      : LogField(key, absl::string_view(value)) {}
  LogField(absl::string_view key, const std::string& value)
      : LogField(key, absl::string_view(value)) {}
  LogField(absl::string_view key, int value)
      : LogField(key, static_cast<int64_t>(value)) {}
  LogField(absl::string_view key, int64_t value);
  LogField(absl::string_view key, uint64_t value);
  // Written with three decimals (a duration in milliseconds).
  LogField(absl::string_view key, double value);

  absl::string_view key() const { return key_; }
  absl::string_view value() const {
    return is_number_ ? absl::string_view(number_, number_size_) : text_;
  }
  bool is_number() const { return is_number_; }

 private:
  absl::string_view key_;
  absl::string_view text_;
  bool is_number_ = false;
  char number_[32];  // the number's text, when is_number_
  unsigned char number_size_ = 0;
};

class EventLog {
 public:
  // Writes to the file descriptor `fd` (stderr by default), which must stay
  // open as long as this log is used.
  explicit EventLog(LogFormat format, int fd = 2);
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  LogFormat format() const { return format_; }

  // Writes the event `event` (REQUIRES: [a-z_]+) with `fields`, now.
  void Write(absl::string_view event,
             std::initializer_list<LogField> fields) const;
  void Write(absl::string_view event, absl::Span<const LogField> fields) const;
  // An event that is a human message: Write(event, {{"message", message}}).
  void Message(absl::string_view event, absl::string_view message) const;

  // The line Write writes at `now`, newline included.
  std::string Format(absl::Time now, absl::string_view event,
                     absl::Span<const LogField> fields) const;

 private:
  const LogFormat format_;
  const int fd_;
  mutable std::mutex write_mutex_;
};

// Appends `text` as the inside of a JSON string: `"` and `\` escaped,
// control characters as \n, \t, ... or \u00XX, and each byte that is not
// part of valid UTF-8 as \ufffd. Exposed for tests.
void AppendJsonEscaped(absl::string_view text, std::string* out);

}  // namespace kpi

#endif  // KPI_SERVICE_EVENT_LOG_H_
