// plugins/retention/customer_map.h -- a flat hash map from customer id to a
// small per-customer value: the state of a record form that keeps one entry
// per customer.
//
// Record forms look up a customer for every row. std::unordered_map pays a
// node allocation per customer, dependent cache misses per lookup, a walk of
// every node on each rehash and a free per node when the state goes -- most
// of the time of a records call at a few hundred thousand customers. Here the
// entries sit in one array in insertion order, found through an
// open-addressing index (linear probing, at most half full) of 8-byte slots
// that keep 32 bits of the hash, so a lookup reads one slot and, on a hash
// match, one entry; ids of up to 15 bytes live inside the entry (std::string's
// small-string buffer). Header-only: plugins link no hash-table library.
//
// Not thread-safe, like the metric states that hold it.
#ifndef KPI_PLUGINS_RETENTION_CUSTOMER_MAP_H_
#define KPI_PLUGINS_RETENTION_CUSTOMER_MAP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kpi::retention {

template <typename V>
class CustomerMap {
 public:
  using Entry = std::pair<std::string, V>;

  // The value of `id`; when `id` is new, it is added with `value` and
  // `added` is set. The reference is valid until the next Add.
  V& Add(std::string_view id, const V& value, bool& added) {
    if (2 * (entries_.size() + 1) > slots_.size()) {
      Rehash(slots_.empty() ? kMinSlots : 2 * slots_.size());
    }
    const size_t hash = std::hash<std::string_view>{}(id);
    const uint32_t tag = Tag(hash);
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.entry == 0) {
        entries_.emplace_back(std::string(id), value);
        slot = {tag, static_cast<uint32_t>(entries_.size())};
        added = true;
        return entries_.back().second;
      }
      Entry& entry = entries_[slot.entry - 1];
      if (slot.tag == tag && entry.first == id) {
        added = false;
        return entry.second;
      }
    }
  }

  size_t size() const { return entries_.size(); }
  // Every (id, value), in the order the ids were added.
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  static constexpr size_t kMinSlots = 16;

  struct Slot {
    uint32_t tag;    // the high half of the id's hash
    uint32_t entry;  // index into entries_ plus one; 0 for an empty slot
  };

  static uint32_t Tag(size_t hash) {
    return static_cast<uint32_t>(static_cast<uint64_t>(hash) >> 32);
  }

  // Rebuilds the index with `capacity` slots (a power of two).
  void Rehash(size_t capacity) {
    slots_.assign(capacity, Slot{0, 0});
    const size_t mask = capacity - 1;
    for (size_t e = 0; e < entries_.size(); ++e) {
      const size_t hash = std::hash<std::string_view>{}(entries_[e].first);
      size_t i = hash & mask;
      while (slots_[i].entry != 0) i = (i + 1) & mask;
      slots_[i] = {Tag(hash), static_cast<uint32_t>(e + 1)};
    }
  }

  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_CUSTOMER_MAP_H_
