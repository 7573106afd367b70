// Loading real plugin files: the fixture directory holds one good plugin and
// one of each kind of broken file; each broken one is refused with its
// reason and the good one serves.
#include "metric_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "metric_call.h"

namespace kpi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kFixtures = KPI_FIXTURE_PLUGIN_DIR;

std::string Refusal(const MetricRegistry& registry, const std::string& file) {
  for (const RefusedPlugin& refused : registry.refused()) {
    if (refused.path == kFixtures + "/" + file) return refused.reason;
  }
  return "(not refused)";
}

class MetricRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const MetricRegistry>> loaded =
        MetricRegistry::Load({kFixtures}, [this](absl::string_view line) {
          log_.emplace_back(line);
        });
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    registry_ = *loaded;
  }
  std::shared_ptr<const MetricRegistry> registry_;
  std::vector<std::string> log_;
};

TEST_F(MetricRegistryTest, ServesOnlyTheGoodPlugin) {
  ASSERT_EQ(registry_->metrics().size(), 1u);
  EXPECT_EQ(registry_->metrics()[0]->name(), "fixture_sum");
  EXPECT_EQ(registry_->metrics()[0]->library().path(),
            kFixtures + "/a_good.so");
  EXPECT_EQ(registry_->Find("fixture_future"), nullptr);
  EXPECT_EQ(registry_->Find("fixture_malformed"), nullptr);
}

TEST_F(MetricRegistryTest, RefusesADuplicateMetricName) {
  EXPECT_EQ(Refusal(*registry_, "b_duplicate_metric.so"),
            absl::StrCat("metric 'fixture_sum' is already provided by plugin "
                         "'fixture_good' (",
                         kFixtures, "/a_good.so)"));
}

TEST_F(MetricRegistryTest, RefusesAnotherMajorAbiVersion) {
  EXPECT_EQ(Refusal(*registry_, "c_wrong_abi.so"),
            absl::StrCat("speaks plugin ABI ", KPI_ABI_VERSION_MAJOR + 1,
                         ".0, this server speaks ", KPI_ABI_VERSION_MAJOR, ".",
                         KPI_ABI_VERSION_MINOR));
}

TEST_F(MetricRegistryTest, RefusesALibraryWithoutTheEntrySymbol) {
  EXPECT_EQ(Refusal(*registry_, "d_no_entry.so"),
            "no entry symbol kpi_plugin_entry");
}

TEST_F(MetricRegistryTest, RefusesAMalformedSchema) {
  EXPECT_EQ(Refusal(*registry_, "e_malformed_schema.so"),
            "malformed schema: metric 'fixture_malformed': input 'values': "
            "min 10 > max 0");
}

TEST_F(MetricRegistryTest, RefusesAFileThatIsNotALibrary) {
  EXPECT_THAT(Refusal(*registry_, "f_not_a_library.so"),
              StartsWith("not a loadable shared library: "));
  EXPECT_THAT(Refusal(*registry_, "f_not_a_library.so"),
              HasSubstr("f_not_a_library.so"));
}

TEST_F(MetricRegistryTest, LogsOneLinePerFileNamingFileAndReason) {
  ASSERT_EQ(log_.size(), 6u);
  EXPECT_THAT(log_[0],
              StartsWith("loaded plugin fixture_good 0.0.1 (1 metrics) from "));
  for (size_t i = 1; i < log_.size(); ++i) {
    EXPECT_THAT(log_[i], StartsWith("refused plugin " + kFixtures + "/"));
  }
}

TEST_F(MetricRegistryTest, TheGoodPluginComputes) {
  v1::ComputeRequest request;
  v1::Column* column = request.add_columns();
  column->set_name("values");
  for (double v : {1.5, 2.5, 3.0}) column->mutable_doubles()->add_values(v);
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(registry_->Find("fixture_sum"), ArgsFromRequest(request));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->value(), 7.0);
  EXPECT_EQ(result->sample_size(), 3.0);
  EXPECT_EQ(result->plugin(), "fixture_good");
}

TEST_F(MetricRegistryTest, AMetricKeepsItsLibraryLoadedAfterTheRegistryIsGone) {
  std::shared_ptr<const Metric> metric = registry_->Find("fixture_sum");
  registry_.reset();
  v1::ComputeRequest request;
  v1::Column* column = request.add_columns();
  column->set_name("values");
  column->mutable_doubles()->add_values(4);
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(metric, ArgsFromRequest(request));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->value(), 4.0);
}

TEST(MetricRegistryLoadTest, AMissingDirectoryIsAnError) {
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> loaded =
      MetricRegistry::Load({"/nonexistent/plugins"}, [](absl::string_view) {});
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(loaded.status().message(),
            "plugin directory /nonexistent/plugins does not exist");
}

}  // namespace
}  // namespace kpi
