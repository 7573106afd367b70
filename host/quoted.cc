#include "quoted.h"

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

// The longest prefix of `text` of at most `max_bytes` that does not end
// inside a UTF-8 sequence.
absl::string_view Prefix(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of their sequence.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

}  // namespace

std::string Quoted(absl::string_view text) {
  if (text.size() <= kMaxQuotedBytes) return absl::StrCat("'", text, "'");
  return absl::StrCat("'", Prefix(text, kMaxQuotedBytes), "...' (", text.size(),
                      " bytes)");
}

std::string CappedMessage(absl::string_view message, size_t max_bytes) {
  if (message.size() <= max_bytes) return std::string(message);
  return absl::StrCat(Prefix(message, max_bytes), "... (message cut from ",
                      message.size(), " bytes)");
}

}  // namespace kpi
