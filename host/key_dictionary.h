// Keys: the distinct values of one identity column of one call (a KEY input,
// or a group_by column), each given a dense int32 code in order of first
// appearance, so per-key state anywhere downstream is an array indexed by
// code (kpi_key_dictionary in kpi/plugin_abi.h).
//
// KeyTexts holds the text of every code and is what a plugin sees; a plugin
// worker keeps one per KEY input, appending the entries the server sends.
// KeyDictionary adds the interning: text or int64 in, code out. An int64 key
// is the same key as its decimal text.
//
// Not thread-safe; one call's thread at a time.
#ifndef KPI_HOST_KEY_DICTIONARY_H_
#define KPI_HOST_KEY_DICTIONARY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kpi/plugin_abi.h"

namespace kpi {

class KeyTexts {
 public:
  KeyTexts();
  KeyTexts(const KeyTexts&) = delete;  // abi() points to this object
  KeyTexts& operator=(const KeyTexts&) = delete;

  // Copies `text` in and returns its code (the previous size()).
  int32_t Append(absl::string_view text);
  size_t size() const { return views_.size(); }
  // REQUIRES: 0 <= code < size(). Valid as long as this object.
  absl::string_view operator[](int32_t code) const {
    const kpi_string_view& v = views_[static_cast<size_t>(code)];
    return absl::string_view(v.data, v.size);
  }
  // The view a plugin is given; valid as long as this object.
  const kpi_key_dictionary* abi() const { return &abi_; }

 private:
  // Texts live in blocks that never move, so views stay valid as it grows.
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_free_ = 0;
  char* block_next_ = nullptr;
  std::vector<kpi_string_view> views_;
  kpi_key_dictionary abi_;
};

class KeyDictionary {
 public:
  // `what` names the column in messages ("input 'customer'"); `max_keys`
  // is the most distinct keys it may hold, and `limit_hint` says in the
  // RESOURCE_EXHAUSTED message what the limit is and how to raise it.
  // `allow_empty`: whether "" is a key (a segment, yes; a customer, no).
  KeyDictionary(std::string what, uint64_t max_keys, std::string limit_hint,
                bool allow_empty = false);
  KeyDictionary(const KeyDictionary&) = delete;  // index_ points to this
  KeyDictionary& operator=(const KeyDictionary&) = delete;

  // The code of `text`, added when new. INVALID_ARGUMENT for an empty key
  // unless allowed (the message names neither column nor row: the caller
  // knows both); RESOURCE_EXHAUSTED past max_keys, naming the column and
  // the limit.
  absl::StatusOr<int32_t> Intern(absl::string_view text);
  absl::StatusOr<int32_t> Intern(int64_t number);

  // The codes of `count` keys, text_of(row) or numbers[row], into `codes`;
  // on failure, `failed_row` is the row that failed. A row with the key of
  // the row before it (exports list a customer's rows together) costs a
  // compare.
  template <typename TextOf>
  absl::Status InternTexts(size_t count, const TextOf& text_of, int32_t* codes,
                           size_t& failed_row);
  absl::Status InternNumbers(const int64_t* numbers, size_t count,
                             int32_t* codes, size_t& failed_row);

  size_t size() const { return texts_.size(); }
  absl::string_view Text(int32_t code) const { return texts_[code]; }
  const kpi_key_dictionary* abi() const { return texts_.abi(); }

 private:
  // A new code for `text`; with `hash`, findable by text (index_).
  absl::StatusOr<int32_t> Add(absl::string_view text,
                              std::optional<size_t> hash);

  // index_ holds codes, hashed by their text's hash -- kept in hashes_, so
  // growing the table never reads a text again -- and is searched by text.
  struct CodeHash {
    using is_transparent = void;
    size_t operator()(int32_t code) const { return keys->hashes_[code]; }
    size_t operator()(absl::string_view text) const {
      return absl::Hash<absl::string_view>{}(text);
    }
    const KeyDictionary* keys;
  };
  struct CodeEq {
    using is_transparent = void;
    bool operator()(int32_t a, int32_t b) const { return a == b; }
    bool operator()(absl::string_view text, int32_t code) const {
      return text == keys->texts_[code];
    }
    bool operator()(int32_t code, absl::string_view text) const {
      return text == keys->texts_[code];
    }
    const KeyDictionary* keys;
  };

  std::string what_;
  uint64_t max_keys_;
  std::string limit_hint_;
  bool allow_empty_;
  KeyTexts texts_;
  // Keys that came as text are in index_; keys that came as int64 only in
  // by_number_ (their text is made once, for plugins). A key is looked up
  // in the other map only when both kinds have arrived, so a column of one
  // kind pays one table.
  std::vector<size_t> hashes_;  // by code; 0 for a key not in index_
  absl::flat_hash_set<int32_t, CodeHash, CodeEq> index_;
  absl::flat_hash_map<int64_t, int32_t> by_number_;
  // A direct-mapped cache in front of by_number_ (slot = a multiplicative
  // hash of the number): most rows of an int64 key column find their code
  // with one load and one compare. Allocated on first use.
  struct NumberSlot {
    int64_t number;
    int32_t code;  // -1: empty
  };
  static constexpr int kNumberCacheBits = 12;
  std::vector<NumberSlot> number_cache_;
};

template <typename TextOf>
absl::Status KeyDictionary::InternTexts(size_t count, const TextOf& text_of,
                                        int32_t* codes, size_t& failed_row) {
  absl::string_view previous;
  int32_t previous_code = -1;
  for (size_t row = 0; row < count; ++row) {
    // A reference keeps a temporary text_of returns alive for the row.
    const auto& value = text_of(row);
    const absl::string_view text = value;
    if (previous_code >= 0 && text == previous) {
      codes[row] = previous_code;
      continue;
    }
    absl::StatusOr<int32_t> code = Intern(text);
    if (!code.ok()) {
      failed_row = row;
      return code.status();
    }
    codes[row] = previous_code = *code;
    previous = texts_[*code];  // stable, whatever text_of returns
  }
  return absl::OkStatus();
}

}  // namespace kpi

#endif  // KPI_HOST_KEY_DICTIONARY_H_
