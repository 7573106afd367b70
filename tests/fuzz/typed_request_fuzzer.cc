// The typed calls: the first byte picks one of kpi.v1.MetricService's typed
// RPCs (service/typed_rpcs.h), the rest is its request message, mapped onto
// the metric's inputs by reflection (ArgsFromTypedRequest) and computed.
// The corpus holds the declared examples as typed requests.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "fuzz_support.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::Span<const kpi::fuzz::TypedRpc> rpcs = kpi::fuzz::TypedRpcs();
  const kpi::fuzz::TypedRpc& rpc = rpcs[data[0] % rpcs.size()];
  std::unique_ptr<google::protobuf::Message> request(rpc.prototype->New());
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  kpi::fuzz::CheckOutcome(kpi::fuzz::ComputeTyped(rpc.metric, *request));
  return 0;
}
