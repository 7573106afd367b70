// ParameterProfiles: named parameter sets per metric, from the profiles file
// an operator gives kpi-server (--profiles), so a team changes, say, its
// health score's signals and weights in one place instead of in every
// caller. A call names a profile (ComputeRequest.profile); the profile's
// parameters apply unless the call sets them itself.
//
// The file is one JSON object: metric name -> profile name -> parameter name
// -> value, each value in the JSON type of the parameter's declared type
// (string, number, whole number, true/false; a TIMESTAMP as an RFC 3339
// string):
//
//   {"health_score": {"enterprise": {"signals": "usage:2:higher,...",
//                                    "bands": "red<40,yellow<70,green"}}}
//
// Values are checked against the metric as it is served when a call uses
// them (plugins may be reloaded), and against the metrics loaded at start
// and at every reload (Check), so a mistake shows in the log early.
//
// Thread-safe: immutable after Parse().
#ifndef KPI_HOST_PARAMETER_PROFILES_H_
#define KPI_HOST_PARAMETER_PROFILES_H_

#include <google/protobuf/struct.pb.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "call_args.h"
#include "metric_registry.h"

namespace kpi {

class ParameterProfiles {
 public:
  // No profiles at all.
  ParameterProfiles() = default;

  // Parses profiles from `json`; `source` (the file name) starts every
  // error. INVALID_ARGUMENT naming where the text is wrong, e.g.
  // "profiles.json: health_score.enterprise: must be a JSON object of
  // parameters".
  static absl::StatusOr<std::shared_ptr<const ParameterProfiles>> Parse(
      absl::string_view json, absl::string_view source);
  // Parse() of a file's contents; INVALID_ARGUMENT if it cannot be read.
  static absl::StatusOr<std::shared_ptr<const ParameterProfiles>> Load(
      const std::string& path);

  // Adds to `args->parameters` the parameters of `metric`'s profile
  // `args->profile` that the call does not set itself. No-op when the call
  // names no profile. INVALID_ARGUMENT when the metric has no such profile,
  // or the profile sets a parameter the metric does not declare or a value
  // its type cannot hold. `args` then points into this object, which must
  // outlive it.
  absl::Status Apply(const kpi_metric_descriptor& metric, CallArgs* args) const;

  // One line per profile that does not fit the metrics `registry` serves:
  // a metric it does not serve, an undeclared parameter, a mistyped value.
  std::vector<std::string> Check(const MetricRegistry& registry) const;

  // The number of profiles, over all metrics.
  int size() const;

 private:
  using Profile = std::map<std::string, google::protobuf::Value>;
  // Each parameter of `profile` as a value of the type `metric` declares.
  static absl::StatusOr<std::vector<std::pair<absl::string_view, v1::Value>>>
  Resolve(const kpi_metric_descriptor& metric, absl::string_view name,
          const Profile& profile);

  // metric -> profile -> parameter -> JSON value; ordered, so messages and
  // checks list them in a stable order.
  std::map<std::string, std::map<std::string, Profile>> profiles_;
};

}  // namespace kpi

#endif  // KPI_HOST_PARAMETER_PROFILES_H_
