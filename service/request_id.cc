#include "request_id.h"

#include <atomic>
#include <cstdint>
#include <iterator>
#include <random>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

uint32_t RandomWord() {
  std::random_device device;
  return static_cast<uint32_t>(device());
}

}  // namespace

bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdBytes) return false;
  for (const char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string NewRequestId() {
  static const uint32_t prefix = RandomWord();
  // Starting at random too: two servers that drew the same prefix still
  // do not begin with the same ids.
  static std::atomic<uint32_t> counter{RandomWord()};
  const uint32_t count = counter.fetch_add(1, std::memory_order_relaxed);
  return absl::StrCat(absl::Hex(prefix, absl::kZeroPad8),
                      absl::Hex(count, absl::kZeroPad8));
}

std::string RequestIdOf(const grpc::ServerContextBase& context) {
  const auto sent = context.client_metadata().equal_range(kRequestIdMetadata);
  if (sent.first != sent.second && std::next(sent.first) == sent.second) {
    const absl::string_view id(sent.first->second.data(),
                               sent.first->second.size());
    if (IsAcceptableRequestId(id)) return std::string(id);
  }
  return NewRequestId();
}

}  // namespace kpi
