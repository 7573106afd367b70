// List parameters (ABI 1.2): the host's check of each item against the
// declared fields, the sample the conformance checks generate, and what
// DescribeMetric shows for the bundled plugins' declarations.
#include "list_param.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "metric.h"
#include "plugin_library.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;

const char* const kDirections[] = {"higher", "lower"};
const kpi_list_field kSignalFields[] = {
    {"name", "", KPI_TYPE_STRING, 0u, 0, 0, nullptr, 0},
    {"weight", "", KPI_TYPE_DOUBLE, KPI_PARAM_HAS_MIN, 0, 0, nullptr, 0},
    {"direction", "", KPI_TYPE_STRING, 0u, 0, 0, kDirections, 2},
    {"min", "", KPI_TYPE_DOUBLE, KPI_LIST_FIELD_OPTIONAL, 0, 0, nullptr, 0},
    {"max", "", KPI_TYPE_DOUBLE, 0u, 0, 0, nullptr, 0}};
const kpi_list_param kSignals = {"signals", kSignalFields, 5};

std::string Problem(const char* text) {
  const absl::Status status = CheckListValue(kSignals, text);
  if (!status.ok()) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  }
  return std::string(status.message());
}

TEST(ListParamTest, AcceptsItemsWithOrWithoutTheOptionalGroup) {
  EXPECT_EQ(Problem("usage:2:higher"), "");
  EXPECT_EQ(Problem(" usage : 2 : higher , tickets:1:lower:0:20 "), "");
  EXPECT_EQ(Problem("x:0.5:lower:-3.5:1e3"), "");
}

TEST(ListParamTest, RefusesNamingParameterItemAndField) {
  EXPECT_EQ(Problem(""),
            "parameter 'signals': is empty; give items "
            "name:weight:direction[:min:max], separated by commas");
  EXPECT_EQ(Problem("usage:2:higher,,b:1:lower"),
            "parameter 'signals' item 2 (''): is empty");
  EXPECT_EQ(Problem("usage:2"),
            "parameter 'signals' item 1 ('usage:2'): has 2 fields; an item "
            "is name:weight:direction[:min:max]");
  // The optional group is given whole or not at all.
  EXPECT_EQ(Problem("usage:2:higher:0"),
            "parameter 'signals' item 1 ('usage:2:higher:0'): has 4 fields; "
            "an item is name:weight:direction[:min:max]");
  EXPECT_EQ(Problem("a:1:higher,b:heavy:lower"),
            "parameter 'signals' item 2 ('b:heavy:lower') field 'weight': "
            "'heavy' is not a finite number");
  EXPECT_EQ(Problem("a:nan:higher"),
            "parameter 'signals' item 1 ('a:nan:higher') field 'weight': "
            "'nan' is not a finite number");
  EXPECT_EQ(Problem("a:-1:higher"),
            "parameter 'signals' item 1 ('a:-1:higher') field 'weight': -1 "
            "is below the minimum 0");
  EXPECT_EQ(Problem("a:1:up"),
            "parameter 'signals' item 1 ('a:1:up') field 'direction': 'up' "
            "is not one of: higher, lower");
  EXPECT_EQ(Problem(":1:higher"),
            "parameter 'signals' item 1 (':1:higher') field 'name': is empty");
}

TEST(ListParamTest, TheGeneratedSampleIsValid) {
  EXPECT_EQ(ListSample(kSignals), "name:1:higher");
  EXPECT_TRUE(CheckListValue(kSignals, ListSample(kSignals)).ok());
}

std::shared_ptr<const Metric> BundledMetric(const std::string& plugin,
                                            const std::string& name) {
  auto library = PluginLibrary::Load(
      absl::StrCat(KPI_PLUGIN_DIR, "/kpi_plugin_", plugin, ".so"));
  EXPECT_TRUE(library.ok()) << library.status();
  if (!library.ok()) return nullptr;
  const kpi_plugin_descriptor& d = (*library)->descriptor();
  for (size_t i = 0; i < d.num_metrics; ++i) {
    if (name == d.metrics[i].name) {
      return std::make_shared<Metric>(*library, &d.metrics[i]);
    }
  }
  ADD_FAILURE() << "no metric " << name;
  return nullptr;
}

TEST(ListParamTest, DescribeMetricShowsListFieldsAndInputOrders) {
  std::shared_ptr<const Metric> health =
      BundledMetric("journey", "health_score");
  ASSERT_NE(health, nullptr);
  const v1::ParameterSpec* signals = nullptr;
  for (const v1::ParameterSpec& p : health->info().parameters()) {
    if (p.name() == "signals") signals = &p;
  }
  ASSERT_NE(signals, nullptr);
  ASSERT_EQ(signals->list_fields_size(), 5);
  EXPECT_EQ(signals->list_fields(1).name(), "weight");
  EXPECT_EQ(signals->list_fields(1).type(), v1::VALUE_TYPE_DOUBLE);
  EXPECT_EQ(signals->list_fields(1).min(), 0);
  EXPECT_THAT(signals->list_fields(2).allowed_values(),
              ::testing::ElementsAre("higher", "lower"));
  EXPECT_FALSE(signals->list_fields(2).optional());
  EXPECT_TRUE(signals->list_fields(3).optional());
  EXPECT_TRUE(signals->list_fields(4).optional());

  std::shared_ptr<const Metric> resolution =
      BundledMetric("support", "ticket_resolution_rate");
  ASSERT_NE(resolution, nullptr);
  std::string resolved_not_before = "(no input 'resolved')";
  for (const v1::InputSpec& input : resolution->info().inputs()) {
    if (input.name() == "resolved") resolved_not_before = input.not_before();
  }
  EXPECT_EQ(resolved_not_before, "opened");
}

}  // namespace
}  // namespace kpi
