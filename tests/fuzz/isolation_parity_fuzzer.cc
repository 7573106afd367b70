// The two isolation modes agree. The input is a kpi.v1.ComputeRequest, as
// for compute_request, computed with the bundled plugins in this process
// and in their worker processes (the server's default): the chunks, keys
// and parameters cross to the worker through its shared memory and wire
// format (worker_protocol.h, wire.h), the result comes back the same way.
// Both must end with the same status code and, when they succeed,
// byte-identical results. A worker that dies on an input (a sanitizer
// report in the worker, which is built like this target) answers
// UNAVAILABLE: a finding.
//
// The workers' own coverage does not guide the fuzzer (another process);
// the host's side of the exchange does.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_support.h"

namespace {

std::string Describe(const absl::StatusOr<kpi::v1::MetricResult>& outcome) {
  return outcome.ok() ? outcome->ShortDebugString()
                      : outcome.status().ToString();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  kpi::fuzz::BundledInWorkers();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kpi::v1::ComputeRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  const absl::StatusOr<kpi::v1::MetricResult> here =
      kpi::fuzz::Compute(request);
  kpi::fuzz::CheckOutcome(here);
  const absl::StatusOr<kpi::v1::MetricResult> there =
      kpi::fuzz::Compute(request, kpi::fuzz::BundledInWorkers());
  kpi::fuzz::CheckOutcome(there);
  const bool same = here.ok() ? there.ok() && here->SerializeAsString() ==
                                                  there->SerializeAsString()
                              : here.status().code() == there.status().code();
  if (!same) {
    std::fprintf(stderr,
                 "the isolation modes disagree\nrequest: %s\n"
                 "in process: %s\nin its worker: %s\n",
                 request.ShortDebugString().c_str(), Describe(here).c_str(),
                 Describe(there).c_str());
    std::abort();
  }
  return 0;
}
