// Request decoding and validation: bytes -> kpi.v1.ComputeRequest -> CallArgs
// -> profile, parameters and input form -> every chunk bound against the
// metric's declared inputs (group_by included) -> the plugin, in process.
// The corpus holds every bundled metric's declared examples.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kpi::v1::ComputeRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  kpi::fuzz::CheckOutcome(kpi::fuzz::Compute(request));
  return 0;
}
