// What every fuzz target shares: the bundled plugins loaded into the fuzzing
// process, the calls made the way kpi-server makes them, the oracle that
// tells a finding from a refusal, and the bundled metrics' declared examples
// as requests (the seeds of the corpora, and the base the structured
// targets mutate).
//
// The plugins run in this process (Isolation::kNone), so a fault in plugin
// code is a fault of the fuzzer, and its coverage guides the fuzzer like the
// host's.
#ifndef KPI_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define KPI_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "kpi/v1/metric_service.pb.h"
#include "kpi/v1/result.pb.h"
#include "live_config.h"
#include "metric.h"
#include "parameter_profiles.h"

namespace kpi::fuzz {

// The bundled plugins (KPI_PLUGIN_DIR) loaded in this process, without the
// conformance checks, and the profiles of kFuzzProfiles. Loaded on first
// use; aborts if a plugin is refused (the fuzzer would silently test less).
const ServingConfig& Bundled();
// The same plugins as the server runs them by default, each in its worker
// process (kpi-plugin-worker of this build): the other isolation mode.
const ServingConfig& BundledInWorkers();

// The profiles every target serves with: a few per metric family, so a
// request naming one reaches ParameterProfiles::Apply.
extern const char kFuzzProfiles[];

// The metrics of Bundled(), sorted by name.
const std::vector<std::shared_ptr<const Metric>>& Metrics();

// A call as kpi-server's dispatch (service/metric_dispatch.cc) makes it,
// without gRPC: look the metric up in `config`, apply the call's profile,
// start the call, add the chunk(s), finish.
absl::StatusOr<v1::MetricResult> Compute(
    const v1::ComputeRequest& request, const ServingConfig& config = Bundled());
absl::StatusOr<v1::MetricResult> ComputeTyped(
    absl::string_view metric, const google::protobuf::Message& request,
    const ServingConfig& config = Bundled());
absl::StatusOr<v1::MetricResult> ComputeStream(
    absl::Span<const v1::ComputeStreamRequest> chunks,
    const ServingConfig& config = Bundled());

// The oracle. A caller's input may be refused (INVALID_ARGUMENT,
// NOT_FOUND, ...) but never reach INTERNAL or UNKNOWN, which the API
// reserves for plugin and host defects; and no error message may grow with
// the caller's input (they travel in a header). Aborts with the status
// otherwise, which libFuzzer reports as a crash.
void CheckOutcome(const absl::StatusOr<v1::MetricResult>& outcome);

// The typed RPCs of kpi.v1.MetricService (service/typed_rpcs.h) in that
// list's order: the metric each computes and its request's default
// instance.
struct TypedRpc {
  const char* metric;
  const google::protobuf::Message* prototype;
};
absl::Span<const TypedRpc> TypedRpcs();

// One declared example of a bundled metric, as a generic request.
struct Example {
  std::shared_ptr<const Metric> metric;
  std::string name;
  v1::ComputeRequest request;
};
// Every declared example of every bundled metric, in metric order.
const std::vector<Example>& Examples();
// The examples of `metric`.
std::vector<const Example*> ExamplesOf(absl::string_view metric);

// The stream chunks of a generic request split at `cuts` (row indices,
// ascending): the first chunk carries the metric, parameters, scalars,
// profile and group_by; every chunk carries its rows of every column.
std::vector<v1::ComputeStreamRequest> SplitIntoChunks(
    const v1::ComputeRequest& request, const std::vector<size_t>& cuts);

// The number of rows of a request's first column (0 without columns).
size_t Rows(const v1::ComputeRequest& request);

}  // namespace kpi::fuzz

#endif  // KPI_TESTS_FUZZ_FUZZ_SUPPORT_H_
