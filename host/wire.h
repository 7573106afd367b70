// Wire: the byte encoding of the messages kpi-server and its plugin workers
// exchange (worker_protocol.h). Fixed-width little-endian values as the
// machine lays them out (both ends are the same build on the same machine),
// 8-byte aligned blocks so arrays of doubles and int64s can be used where
// they lie, and strings as a length and their bytes.
//
// A WireReader never trusts what it reads: a worker runs plugin code, so
// every length is checked against the bytes there are, and a short or
// malformed message is an error, never a read past the end.
#ifndef KPI_HOST_WIRE_H_
#define KPI_HOST_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kpi {

class WireWriter {
 public:
  // Makes room for `size` bytes in total and returns the start of the
  // buffer; earlier bytes stay where they were written (relative to it).
  using Grow = std::function<char*(size_t size)>;

  explicit WireWriter(Grow grow) : grow_(std::move(grow)) {}

  // `size` bytes at the current end, to be filled by the caller. When the
  // buffer cannot grow, the writer fails (ok() turns false) and the bytes
  // go to a scratch area.
  char* Reserve(size_t size) {
    char* base = failed_ ? nullptr : grow_(size_ + size);
    if (base == nullptr) {
      failed_ = true;
      scratch_.resize(size);
      return scratch_.data();
    }
    char* at = base + size_;
    size_ += size;
    return at;
  }
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::memcpy(Reserve(sizeof(T)), &value, sizeof(T));
  }
  void PutString(absl::string_view text) {
    Put<uint64_t>(text.size());
    if (!text.empty())
      std::memcpy(Reserve(text.size()), text.data(), text.size());
  }
  // A NUL-terminated C string; nullptr is written apart from "".
  void PutCString(const char* text);
  // Pads with zeros to a multiple of 8 bytes.
  void Align();
  // `count` values of T, 8-byte aligned.
  template <typename T>
  void PutArray(const T* values, size_t count) {
    static_assert(std::is_trivially_copyable_v<T>);
    Align();
    Put<uint64_t>(count);
    if (count > 0)
      std::memcpy(Reserve(count * sizeof(T)), values, count * sizeof(T));
  }

  size_t size() const { return size_; }
  // False once the buffer could not grow: the message is incomplete.
  bool ok() const { return !failed_; }

 private:
  Grow grow_;
  size_t size_ = 0;
  bool failed_ = false;
  std::string scratch_;
};

// A WireWriter into a std::string.
class StringWireWriter : public WireWriter {
 public:
  explicit StringWireWriter(std::string* out)
      : WireWriter([out](size_t size) {
          if (out->size() < size) out->resize(size);
          return out->data();
        }) {
    out->clear();
  }
};

class WireReader {
 public:
  WireReader(const char* data, size_t size) : data_(data), size_(size) {}
  explicit WireReader(absl::string_view bytes)
      : WireReader(bytes.data(), bytes.size()) {}

  // All Get* calls after the first failure fail too; status() says why.
  template <typename T>
  bool Get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const char* at = Take(sizeof(T));
    if (at == nullptr) return false;
    std::memcpy(&value, at, sizeof(T));
    return true;
  }
  bool GetString(absl::string_view& text);
  // A C string written by PutCString; nullptr stays nullptr.
  bool GetCString(std::string& text, bool& is_null);
  // A PutArray block: a pointer to its `count` values, in place.
  template <typename T>
  bool GetArray(const T*& values, size_t& count) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t n = 0;
    if (!Align() || !Get(n)) return false;
    if (n > (size_ - offset_) / sizeof(T))
      return Fail("array longer than the message");
    values = reinterpret_cast<const T*>(Take(n * sizeof(T)));
    count = n;
    return true;
  }
  // `size` bytes in place.
  const char* Take(size_t size);
  bool Align();

  // A count of items that follow, each at least one byte: refused when
  // more than the bytes left could hold.
  bool GetCount(size_t& count) {
    uint64_t n = 0;
    if (!Get(n)) return false;
    if (n > size_ - offset_) return Fail("count larger than the message");
    count = n;
    return true;
  }
  bool at_end() const { return offset_ == size_; }
  const absl::Status& status() const { return status_; }
  bool Fail(absl::string_view why);

 private:
  const char* data_;
  size_t size_;
  size_t offset_ = 0;
  absl::Status status_;
};

}  // namespace kpi

#endif  // KPI_HOST_WIRE_H_
