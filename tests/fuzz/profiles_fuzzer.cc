// Parameter profiles: the input is the text of a profiles file (JSON).
// ParameterProfiles::Parse it; check it against the bundled metrics (what
// kpi-server logs at start and reload); then apply each profile it names to
// its metric's declared examples and compute them, as a call naming the
// profile would. The corpus holds valid profiles for several metrics.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "fuzz_support.h"
#include "parameter_profiles.h"

namespace {
// Bounds the work per input: profiles applied, examples per profile.
constexpr int kMaxProfiles = 8;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::shared_ptr<const kpi::ParameterProfiles>> profiles =
      kpi::ParameterProfiles::Parse(json, "fuzz.json");
  if (!profiles.ok()) return 0;
  (*profiles)->Check(*kpi::fuzz::Bundled().registry);
  (*profiles)->size();
  // The profile names, which ParameterProfiles keeps to itself.
  google::protobuf::Struct root;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(json.data(), json.size()), &root)
           .ok()) {
    return 0;
  }
  const kpi::ServingConfig config{kpi::fuzz::Bundled().registry, *profiles};
  int applied = 0;
  for (const auto& [metric, by_name] : root.fields()) {
    for (const auto& [name, unused] : by_name.struct_value().fields()) {
      if (++applied > kMaxProfiles) return 0;
      std::vector<const kpi::fuzz::Example*> examples =
          kpi::fuzz::ExamplesOf(metric);
      if (examples.empty()) continue;
      kpi::v1::ComputeRequest request = examples[0]->request;
      request.set_profile(name);
      // With the example's parameters, which win over the profile's...
      kpi::fuzz::CheckOutcome(kpi::fuzz::Compute(request, config));
      // ... and without, so the profile's values are the ones used.
      request.clear_parameters();
      kpi::fuzz::CheckOutcome(kpi::fuzz::Compute(request, config));
    }
  }
  return 0;
}
