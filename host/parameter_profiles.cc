#include "parameter_profiles.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "quoted.h"
#include "schema_check.h"

namespace kpi {
namespace {

using JsonValue = google::protobuf::Value;

absl::Status Invalid(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// `json` as a value of a parameter declared `type`, or what is wrong with it
// (the end of a sentence about the parameter).
absl::StatusOr<v1::Value> ToParameterValue(const JsonValue& json,
                                           kpi_value_type type) {
  v1::Value value;
  switch (type) {
    case KPI_TYPE_DOUBLE:
      if (json.kind_case() != JsonValue::kNumberValue) {
        return absl::InvalidArgumentError("must be a JSON number");
      }
      value.set_double_value(json.number_value());
      return value;
    case KPI_TYPE_INT64: {
      const double number = json.number_value();
      // 2^63 is exact as a double; every whole double below it fits.
      if (json.kind_case() != JsonValue::kNumberValue ||
          number != std::trunc(number) || std::abs(number) >= 0x1p63) {
        return absl::InvalidArgumentError("must be a whole JSON number");
      }
      value.set_int64_value(static_cast<int64_t>(number));
      return value;
    }
    case KPI_TYPE_STRING:
      if (json.kind_case() != JsonValue::kStringValue) {
        return absl::InvalidArgumentError("must be a JSON string");
      }
      value.set_string_value(json.string_value());
      return value;
    case KPI_TYPE_BOOL:
      if (json.kind_case() != JsonValue::kBoolValue) {
        return absl::InvalidArgumentError("must be true or false");
      }
      value.set_bool_value(json.bool_value());
      return value;
    case KPI_TYPE_TIMESTAMP:
      if (json.kind_case() != JsonValue::kStringValue ||
          !google::protobuf::util::TimeUtil::FromString(
              json.string_value(), value.mutable_timestamp_value())) {
        return absl::InvalidArgumentError(
            "must be an RFC 3339 timestamp string like "
            "\"2024-01-31T00:00:00Z\"");
      }
      return value;
  }
  return absl::InvalidArgumentError("has a type profiles cannot set");
}

}  // namespace

absl::StatusOr<std::shared_ptr<const ParameterProfiles>>
ParameterProfiles::Parse(absl::string_view json, absl::string_view source) {
  google::protobuf::Struct root;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &root);
  if (!parsed.ok()) {
    return Invalid(source, absl::StrCat("not a JSON object of metrics: ",
                                        std::string(parsed.message())));
  }
  auto profiles = std::make_shared<ParameterProfiles>();
  for (const auto& [metric, by_name] : root.fields()) {
    if (by_name.kind_case() != JsonValue::kStructValue) {
      return Invalid(source, absl::StrCat(metric,
                                          ": must be a JSON object of "
                                          "profiles by name"));
    }
    for (const auto& [name, parameters] : by_name.struct_value().fields()) {
      if (parameters.kind_case() != JsonValue::kStructValue) {
        return Invalid(source, absl::StrCat(metric, ".", name,
                                            ": must be a JSON object of "
                                            "parameters"));
      }
      Profile& profile = profiles->profiles_[metric][name];
      for (const auto& [parameter, value] :
           parameters.struct_value().fields()) {
        profile.emplace(parameter, value);
      }
    }
  }
  return std::shared_ptr<const ParameterProfiles>(std::move(profiles));
}

absl::StatusOr<std::shared_ptr<const ParameterProfiles>>
ParameterProfiles::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Invalid(path, absl::StrCat("cannot open: ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str(), path);
}

absl::StatusOr<std::vector<std::pair<absl::string_view, v1::Value>>>
ParameterProfiles::Resolve(const kpi_metric_descriptor& metric,
                           absl::string_view name, const Profile& profile) {
  std::vector<std::pair<absl::string_view, v1::Value>> values;
  for (const auto& [parameter, json] : profile) {
    const std::string where =
        absl::StrCat("profile '", name, "' of ", metric.name, ": parameter '",
                     parameter, "'");
    const kpi_param_spec* spec = FindParam(metric, parameter);
    if (spec == nullptr) {
      return Invalid(where, absl::StrCat("is not a parameter of ", metric.name,
                                         "; see DescribeMetric"));
    }
    absl::StatusOr<v1::Value> value =
        ToParameterValue(json, spec->default_value.type);
    if (!value.ok()) return Invalid(where, value.status().message());
    values.emplace_back(parameter, *std::move(value));
  }
  return values;
}

absl::Status ParameterProfiles::Apply(const kpi_metric_descriptor& metric,
                                      CallArgs* args) const {
  if (args->profile.empty()) return absl::OkStatus();
  auto of_metric = profiles_.find(metric.name);
  const Profile* profile = nullptr;
  if (of_metric != profiles_.end()) {
    auto found = of_metric->second.find(std::string(args->profile));
    if (found != of_metric->second.end()) profile = &found->second;
  }
  if (profile == nullptr) {
    std::vector<absl::string_view> known;
    if (of_metric != profiles_.end()) {
      for (const auto& [name, unused] : of_metric->second)
        known.push_back(name);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "profile: ", metric.name, " has no profile ", Quoted(args->profile),
        " (",
        known.empty() ? "the server has none for it; see kpi-server --profiles"
                      : absl::StrCat("profiles: ", absl::StrJoin(known, ", ")),
        ")"));
  }
  absl::StatusOr<std::vector<std::pair<absl::string_view, v1::Value>>> values =
      Resolve(metric, args->profile, *profile);
  if (!values.ok()) return values.status();
  const auto set_by_call = [&](absl::string_view name) {
    return std::any_of(args->parameters.begin(), args->parameters.end(),
                       [&](const NamedValue& p) { return p.name == name; });
  };
  for (auto& [name, value] : *values) {
    if (set_by_call(name)) continue;
    args->owned_values.push_back(std::move(value));
    args->parameters.push_back({name, &args->owned_values.back()});
  }
  std::sort(
      args->parameters.begin(), args->parameters.end(),
      [](const NamedValue& a, const NamedValue& b) { return a.name < b.name; });
  return absl::OkStatus();
}

std::vector<std::string> ParameterProfiles::Check(
    const MetricRegistry& registry) const {
  std::vector<std::string> problems;
  for (const auto& [metric_name, by_name] : profiles_) {
    const std::shared_ptr<const Metric> metric = registry.Find(metric_name);
    for (const auto& [name, profile] : by_name) {
      absl::Status status =
          metric == nullptr
              ? absl::NotFoundError(
                    absl::StrCat("profile '", name, "' of ", metric_name,
                                 ": no loaded plugin provides ", metric_name))
              : Resolve(metric->descriptor(), name, profile).status();
      if (!status.ok()) problems.emplace_back(status.message());
    }
  }
  return problems;
}

int ParameterProfiles::size() const {
  int count = 0;
  for (const auto& [metric, by_name] : profiles_) count += by_name.size();
  return count;
}

}  // namespace kpi
