// Parameter profiles: parsing the profiles file, applying a profile to a
// call (the call's own parameters win), and the errors for each mistake.
#include "parameter_profiles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_metric.h"

namespace kpi {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using testing::RowCounterDescriptor;
using testing::TwoFormsDescriptor;

std::shared_ptr<const ParameterProfiles> ParseOrDie(absl::string_view json) {
  absl::StatusOr<std::shared_ptr<const ParameterProfiles>> profiles =
      ParameterProfiles::Parse(json, "profiles.json");
  EXPECT_TRUE(profiles.ok()) << profiles.status();
  return profiles.ok() ? *profiles : std::make_shared<ParameterProfiles>();
}

constexpr absl::string_view kProfiles = R"({
  "row_counter": {
    "wide": {"scale_max": 10, "mode": "mean", "strict": true},
    "narrow": {"scale_max": 3}
  },
  "two_forms": {"january": {"period_start": "2024-01-01T00:00:00Z"}}
})";

// The parameters `args` ends with, as name=value text.
std::vector<std::pair<std::string, std::string>> Parameters(
    const CallArgs& args) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const NamedValue& p : args.parameters) {
    out.emplace_back(std::string(p.name), p.value->ShortDebugString());
  }
  return out;
}

TEST(ParameterProfilesTest, AProfileSetsTheParametersTheCallLeavesUnset) {
  std::shared_ptr<const ParameterProfiles> profiles = ParseOrDie(kProfiles);
  EXPECT_EQ(profiles->size(), 3);
  v1::ComputeRequest request;
  (*request.mutable_parameters())["mode"].set_string_value("percent");
  request.set_profile("wide");
  CallArgs args = ArgsFromRequest(request);
  ASSERT_TRUE(profiles->Apply(RowCounterDescriptor(), &args).ok());
  EXPECT_THAT(Parameters(args),
              ElementsAre(Pair("mode", "string_value: \"percent\""),
                          Pair("scale_max", "int64_value: 10"),
                          Pair("strict", "bool_value: true")));
}

TEST(ParameterProfilesTest, TimestampsAreRfc3339Strings) {
  std::shared_ptr<const ParameterProfiles> profiles = ParseOrDie(kProfiles);
  v1::ComputeRequest request;
  request.set_profile("january");
  CallArgs args = ArgsFromRequest(request);
  ASSERT_TRUE(profiles->Apply(TwoFormsDescriptor(), &args).ok());
  EXPECT_THAT(Parameters(args),
              ElementsAre(Pair("period_start",
                               "timestamp_value { seconds: 1704067200 }")));
}

TEST(ParameterProfilesTest, NoProfileNamedChangesNothing) {
  std::shared_ptr<const ParameterProfiles> profiles = ParseOrDie(kProfiles);
  v1::ComputeRequest request;
  CallArgs args = ArgsFromRequest(request);
  ASSERT_TRUE(profiles->Apply(RowCounterDescriptor(), &args).ok());
  EXPECT_TRUE(args.parameters.empty());
}

struct ApplyError {
  std::string name;
  std::string json;
  std::string profile;
  std::string message;
};

class ApplyErrorTest : public ::testing::TestWithParam<ApplyError> {};

TEST_P(ApplyErrorTest, NamesTheProfileAndTheParameter) {
  std::shared_ptr<const ParameterProfiles> profiles =
      ParseOrDie(GetParam().json);
  v1::ComputeRequest request;
  request.set_profile(GetParam().profile);
  CallArgs args = ArgsFromRequest(request);
  absl::Status status = profiles->Apply(RowCounterDescriptor(), &args);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Profiles, ApplyErrorTest,
    ::testing::Values(
        ApplyError{"UnknownProfile", std::string(kProfiles), "huge",
                   "profile: row_counter has no profile 'huge' (profiles: "
                   "narrow, wide)"},
        ApplyError{"NoProfilesForTheMetric", "{}", "wide",
                   "profile: row_counter has no profile 'wide' (the server "
                   "has none for it; see kpi-server --profiles)"},
        ApplyError{"UndeclaredParameter",
                   R"({"row_counter": {"p": {"colour": "red"}}})", "p",
                   "profile 'p' of row_counter: parameter 'colour': is not a "
                   "parameter of row_counter; see DescribeMetric"},
        ApplyError{"NotWhole", R"({"row_counter": {"p": {"scale_max": 2.5}}})",
                   "p",
                   "profile 'p' of row_counter: parameter 'scale_max': must "
                   "be a whole JSON number"},
        ApplyError{"NumberForAString", R"({"row_counter": {"p": {"mode": 1}}})",
                   "p",
                   "profile 'p' of row_counter: parameter 'mode': must be a "
                   "JSON string"},
        ApplyError{"StringForABool",
                   R"({"row_counter": {"p": {"strict": "yes"}}})", "p",
                   "profile 'p' of row_counter: parameter 'strict': must be "
                   "true or false"}),
    [](const auto& info) { return info.param.name; });

struct ParseError {
  std::string name;
  std::string json;
  std::string message;
};

class ParseErrorTest : public ::testing::TestWithParam<ParseError> {};

TEST_P(ParseErrorTest, NamesTheFileAndWhere) {
  absl::StatusOr<std::shared_ptr<const ParameterProfiles>> profiles =
      ParameterProfiles::Parse(GetParam().json, "profiles.json");
  EXPECT_EQ(profiles.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(profiles.status().message()),
              ::testing::StartsWith(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Files, ParseErrorTest,
    ::testing::Values(
        ParseError{"NotJson", "{\"row_counter\": ",
                   "profiles.json: not a JSON object of metrics: "},
        ParseError{"MetricNotAnObject", R"({"row_counter": 3})",
                   "profiles.json: row_counter: must be a JSON object of "
                   "profiles by name"},
        ParseError{"ProfileNotAnObject", R"({"row_counter": {"wide": []}})",
                   "profiles.json: row_counter.wide: must be a JSON object of "
                   "parameters"}),
    [](const auto& info) { return info.param.name; });

TEST(ParameterProfilesTest, AMissingFileIsAnErrorNamingIt) {
  absl::StatusOr<std::shared_ptr<const ParameterProfiles>> profiles =
      ParameterProfiles::Load("/nonexistent/profiles.json");
  EXPECT_EQ(profiles.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(profiles.status().message(),
            "/nonexistent/profiles.json: cannot open: No such file or "
            "directory");
}

}  // namespace
}  // namespace kpi
