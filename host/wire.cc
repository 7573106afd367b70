#include "wire.h"

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

constexpr uint64_t kNullString = ~uint64_t{0};

}  // namespace

void WireWriter::PutCString(const char* text) {
  if (text == nullptr) {
    Put<uint64_t>(kNullString);
    return;
  }
  PutString(text);
}

void WireWriter::Align() {
  const size_t padding = (8 - size_ % 8) % 8;
  if (padding > 0) std::memset(Reserve(padding), 0, padding);
}

const char* WireReader::Take(size_t size) {
  if (!status_.ok()) return nullptr;
  if (size > size_ - offset_) {
    Fail(absl::StrCat("message ends at byte ", size_, ", ", size,
                      " more bytes expected at ", offset_));
    return nullptr;
  }
  const char* at = data_ + offset_;
  offset_ += size;
  return at;
}

bool WireReader::Align() {
  const size_t padding = (8 - offset_ % 8) % 8;
  if (padding == 0) return status_.ok();
  return Take(padding) != nullptr;
}

bool WireReader::GetString(absl::string_view& text) {
  uint64_t size = 0;
  if (!Get(size)) return false;
  if (size > size_ - offset_) return Fail("string longer than the message");
  const char* at = Take(size);
  text = absl::string_view(at, size);
  return true;
}

bool WireReader::GetCString(std::string& text, bool& is_null) {
  uint64_t size = 0;
  if (!Get(size)) return false;
  is_null = size == kNullString;
  if (is_null) {
    text.clear();
    return true;
  }
  if (size > size_ - offset_) return Fail("string longer than the message");
  const char* at = Take(size);
  if (std::memchr(at, '\0', size) != nullptr) {
    return Fail("C string with an embedded NUL");
  }
  text.assign(at, size);
  return true;
}

bool WireReader::Fail(absl::string_view why) {
  if (status_.ok()) status_ = absl::DataLossError(why);
  return false;
}

}  // namespace kpi
