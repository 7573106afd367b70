#include "key_dictionary.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

constexpr size_t kBlockBytes = size_t{64} << 10;

size_t SizeOf(const void* context) {
  return static_cast<const KeyTexts*>(context)->size();
}

kpi_string_view TextOf(const void* context, int32_t code) {
  const KeyTexts& texts = *static_cast<const KeyTexts*>(context);
  if (code < 0 || static_cast<size_t>(code) >= texts.size()) {
    return {nullptr, 0};  // a plugin bug; an empty key is never a real one
  }
  const absl::string_view text = texts[code];
  return {text.data(), text.size()};
}

}  // namespace

KeyTexts::KeyTexts() : abi_{this, &SizeOf, &TextOf} {}

int32_t KeyTexts::Append(absl::string_view text) {
  if (text.size() > block_free_) {
    const size_t bytes = std::max(kBlockBytes, text.size());
    blocks_.push_back(std::make_unique<char[]>(bytes));
    block_next_ = blocks_.back().get();
    block_free_ = bytes;
  }
  if (!text.empty()) std::memcpy(block_next_, text.data(), text.size());
  views_.push_back({block_next_, text.size()});
  block_next_ += text.size();
  block_free_ -= text.size();
  return static_cast<int32_t>(views_.size() - 1);
}

KeyDictionary::KeyDictionary(std::string what, uint64_t max_keys,
                             std::string limit_hint, bool allow_empty)
    : what_(std::move(what)),
      max_keys_(std::min<uint64_t>(max_keys, INT32_MAX)),
      limit_hint_(std::move(limit_hint)),
      allow_empty_(allow_empty),
      index_(0, CodeHash{this}, CodeEq{this}) {}

absl::StatusOr<int32_t> KeyDictionary::Add(absl::string_view text,
                                           std::optional<size_t> hash) {
  if (texts_.size() >= max_keys_) {
    return absl::ResourceExhaustedError(
        absl::StrCat(what_, ": the call passed its limit of ", max_keys_,
                     " distinct keys", limit_hint_));
  }
  hashes_.push_back(hash.value_or(0));
  const int32_t code = texts_.Append(text);
  if (hash.has_value()) index_.insert(code);
  return code;
}

absl::StatusOr<int32_t> KeyDictionary::Intern(absl::string_view text) {
  if (text.empty() && !allow_empty_) {
    return absl::InvalidArgumentError(
        "the key is empty; every key needs an id");
  }
  const size_t hash = CodeHash{this}(text);
  auto found = index_.find(text, hash);
  if (found != index_.end()) return *found;
  int64_t number = 0;
  if (!by_number_.empty() && absl::SimpleAtoi(text, &number)) {
    // The key may have come as an int64; only its canonical text is it.
    auto as_number = by_number_.find(number);
    if (as_number != by_number_.end() && texts_[as_number->second] == text) {
      hashes_[as_number->second] = hash;
      index_.insert(as_number->second);
      return as_number->second;
    }
  }
  return Add(text, hash);
}

absl::StatusOr<int32_t> KeyDictionary::Intern(int64_t number) {
  auto found = by_number_.find(number);
  if (found != by_number_.end()) return found->second;
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof(digits), number);
  const absl::string_view text(digits, written.ptr - digits);
  // The key may have come as text.
  auto as_text = index_.empty() ? index_.end() : index_.find(text);
  absl::StatusOr<int32_t> code =
      as_text != index_.end() ? *as_text : Add(text, std::nullopt);
  if (code.ok()) by_number_.emplace(number, *code);
  return code;
}

absl::Status KeyDictionary::InternNumbers(const int64_t* numbers, size_t count,
                                          int32_t* codes, size_t& failed_row) {
  if (number_cache_.empty()) {
    number_cache_.assign(size_t{1} << kNumberCacheBits, NumberSlot{0, -1});
  }
  for (size_t row = 0; row < count; ++row) {
    const int64_t number = numbers[row];
    NumberSlot& slot =
        number_cache_[(static_cast<uint64_t>(number) * 0x9E3779B97F4A7C15u) >>
                      (64 - kNumberCacheBits)];
    if (slot.code >= 0 && slot.number == number) {
      codes[row] = slot.code;
      continue;
    }
    absl::StatusOr<int32_t> code = Intern(number);
    if (!code.ok()) {
      failed_row = row;
      return code.status();
    }
    slot = {number, *code};
    codes[row] = *code;
  }
  return absl::OkStatus();
}

}  // namespace kpi
