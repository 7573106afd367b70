// A streamed call: the input is a sequence of kpi.v1.ComputeStreamRequest
// messages, each preceded by its size as a varint (protobuf's delimited
// format), folded in chunk by chunk as ComputeStream does. The corpus holds
// the bundled metrics' declared examples cut into one to three chunks.
#include <google/protobuf/io/coded_stream.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz_support.h"

namespace {
constexpr size_t kMaxChunks = 16;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  google::protobuf::io::CodedInputStream in(data, static_cast<int>(size));
  std::vector<kpi::v1::ComputeStreamRequest> chunks;
  uint32_t length = 0;
  while (chunks.size() < kMaxChunks && in.ReadVarint32(&length)) {
    // Each chunk parsed from its own bytes: a parser that does not know
    // where its input ends (a CodedInputStream; the server's
    // ZeroCopyInputStream too) reserves up to 50 MB for a string whose
    // declared length says so (protobuf's kSafeStringSize), 0.1 s each
    // under the sanitizers.
    const size_t at = static_cast<size_t>(in.CurrentPosition());
    if (length > size - at) return 0;
    kpi::v1::ComputeStreamRequest& chunk = chunks.emplace_back();
    // A chunk that does not parse fails the stream (the server refuses
    // it), so nothing after it is computed.
    if (!chunk.ParseFromArray(data + at, static_cast<int>(length))) return 0;
    in.Skip(static_cast<int>(length));
  }
  kpi::fuzz::CheckOutcome(kpi::fuzz::ComputeStream(chunks));
  return 0;
}
