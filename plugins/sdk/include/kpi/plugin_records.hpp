// kpi/plugin_records.hpp -- record rows keyed by an identity (a customer per
// transaction, subscription, event): per-key state over the codes of a KEY
// input, and string cells. Header-only, C++17.
#ifndef KPI_PLUGIN_RECORDS_HPP_
#define KPI_PLUGIN_RECORDS_HPP_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/plugin.hpp"

namespace kpi::sdk {

// A string cell as a view; valid only during the update() call.
inline std::string_view Text(const kpi_string_view& s) {
  return std::string_view(s.data, s.size);
}

// A value per key of one KEY input: the state of a record form that keeps
// one entry per customer, as a flat array indexed by code (no hashing: the
// host interned the keys). Every state of a call shares the call's codes, so
// Merge combines entry by entry.
//
//   void Update(const sdk::Chunk& chunk) {
//     const sdk::KeyColumn customers = chunk.Keys(kCustomer);
//     orders_.Track(customers);
//     for (size_t row = 0; row < customers.codes.size(); ++row) {
//       bool added = false;
//       Orders& o = orders_.At(customers.codes[row], added);
//       ...
//     }
//   }
template <typename V>
class PerKey {
 public:
  // Makes room for every key of the call so far and keeps its dictionary
  // for Text(); call once per chunk, before At() on its codes.
  void Track(const KeyColumn& column) {
    if (!column.keys.has_dictionary()) return;
    keys_ = column.keys;
    Grow(keys_.size());
  }
  // The value of `code`, default-constructed (and `added` set) the first
  // time this state sees it. Throws std::out_of_range for a code Track has
  // not made room for.
  V& At(int32_t code, bool& added) {
    if (code < 0 || static_cast<size_t>(code) >= values_.size()) {
      throw std::out_of_range("key code not tracked (call Track first)");
    }
    const size_t i = static_cast<size_t>(code);
    added = !seen_[i];
    if (added) {
      seen_[i] = 1;
      ++count_;
    }
    return values_[i];
  }
  // Keys this state has seen.
  size_t count() const { return count_; }
  // f(code, value) for every key seen, in code order (first appearance in
  // the call).
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      if (seen_[i]) f(static_cast<int32_t>(i), values_[i]);
    }
  }
  // Folds in `other`, a state of the same call: a key only `other` saw is
  // copied; for a key both saw, combine(mine, theirs).
  template <typename Combine>
  void Merge(const PerKey& other, Combine&& combine) {
    if (other.keys_.has_dictionary()) keys_ = other.keys_;
    Grow(other.values_.size());
    for (size_t i = 0; i < other.values_.size(); ++i) {
      if (!other.seen_[i]) continue;
      if (seen_[i]) {
        combine(values_[i], other.values_[i]);
      } else {
        seen_[i] = 1;
        ++count_;
        values_[i] = other.values_[i];
      }
    }
  }
  // The key's text (for result tables and messages).
  std::string_view Text(int32_t code) const { return keys_.Text(code); }

 private:
  void Grow(size_t size) {
    if (size <= values_.size()) return;
    values_.resize(size);
    seen_.resize(size, 0);
  }

  Keys keys_;
  std::vector<V> values_;
  std::vector<uint8_t> seen_;
  size_t count_ = 0;
};

}  // namespace kpi::sdk

#endif  // KPI_PLUGIN_RECORDS_HPP_
