// Loading real plugin files: the fixture directory holds one good plugin and
// one of each kind of broken file; each broken one is refused with its
// reason and the good one serves.
#include "metric_registry.h"

#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "metric_call.h"

namespace kpi {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kFixtures = KPI_FIXTURE_PLUGIN_DIR;

std::string Refusal(const MetricRegistry& registry, const std::string& file) {
  for (const PluginChange& change : registry.changes()) {
    if (change.kind == PluginChange::Kind::kRefused &&
        change.path == kFixtures + "/" + file) {
      return change.reason;
    }
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
  EXPECT_THAT(log_[0], StartsWith("loaded plugin fixture_good 0.0.1 from "));
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

v1::ComputeRequest GroupedSum(std::vector<double> values,
                              std::vector<int64_t> region,
                              std::vector<std::string> tier) {
  v1::ComputeRequest request;
  request.set_metric("fixture_sum");
  v1::Column* v = request.add_columns();
  v->set_name("values");
  v->mutable_doubles()->mutable_values()->Add(values.begin(), values.end());
  v1::Column* r = request.add_columns();
  r->set_name("region");
  r->mutable_int64s()->mutable_values()->Add(region.begin(), region.end());
  v1::Column* t = request.add_columns();
  t->set_name("tier");
  for (const std::string& s : tier) t->mutable_strings()->add_values(s);
  return request;
}

TEST_F(MetricRegistryTest, GroupByGivesOneResultPerSegmentInKeyOrder) {
  v1::ComputeRequest request = GroupedSum({1, 2, 4, 8, 16}, {10, 9, 10, 9, 10},
                                          {"a", "a", "b", "a", "a"});
  request.add_group_by("region");
  request.add_group_by("tier");
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(registry_->Find("fixture_sum"), ArgsFromRequest(request));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->value(), 31);  // overall: every row
  ASSERT_EQ(result->segments_size(), 3);
  // Integer keys sort numerically: 9 before 10.
  EXPECT_THAT(result->segments(0).key(), ElementsAre("9", "a"));
  EXPECT_EQ(result->segments(0).result().value(), 10);
  EXPECT_THAT(result->segments(1).key(), ElementsAre("10", "a"));
  EXPECT_EQ(result->segments(1).result().value(), 17);
  EXPECT_THAT(result->segments(2).key(), ElementsAre("10", "b"));
  EXPECT_EQ(result->segments(2).result().value(), 4);
  EXPECT_EQ(result->segments(2).result().sample_size(), 1);
}

TEST_F(MetricRegistryTest, GroupBySegmentsSurviveChunking) {
  v1::ComputeRequest first = GroupedSum({1, 2}, {1, 2}, {"x", "x"});
  first.add_group_by("region");
  first.add_group_by("tier");
  v1::ComputeRequest second = GroupedSum({4, 8}, {2, 3}, {"x", "x"});
  second.clear_metric();
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(registry_->Find("fixture_sum"), ArgsFromRequest(first));
  ASSERT_TRUE(call.ok()) << call.status();
  absl::Status added = call->Add(ArgsFromRequest(first));
  ASSERT_TRUE(added.ok()) << added;
  added = call->Add(ArgsFromRequest(second));
  ASSERT_TRUE(added.ok()) << added;
  absl::StatusOr<v1::MetricResult> result = call->Finish();
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->segments_size(), 3);
  EXPECT_EQ(result->segments(1).result().value(), 6);  // region 2: 2 + 4
}

struct GroupByRefusal {
  std::string name;
  std::vector<std::string> group_by;
  bool drop_region;
  std::string message;
};

void PrintTo(const GroupByRefusal& c, std::ostream* os) { *os << c.name; }

class GroupByRefusalTest
    : public MetricRegistryTest,
      public ::testing::WithParamInterface<GroupByRefusal> {};

TEST_P(GroupByRefusalTest, IsRefusedNamingTheColumn) {
  v1::ComputeRequest request = GroupedSum({1}, {1}, {"a"});
  if (GetParam().drop_region) request.mutable_columns()->DeleteSubrange(1, 1);
  for (const std::string& name : GetParam().group_by) {
    request.add_group_by(name);
  }
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(registry_->Find("fixture_sum"), ArgsFromRequest(request));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Refusals, GroupByRefusalTest,
    ::testing::Values(
        GroupByRefusal{"MissingColumn",
                       {"region"},
                       true,
                       "group_by column 'region' is missing from the chunk"},
        GroupByRefusal{"AnInputOfTheMetric",
                       {"values"},
                       false,
                       "group_by: 'values' is an input of fixture_sum; group "
                       "by a separate column"},
        GroupByRefusal{"NamedTwice",
                       {"tier", "tier"},
                       false,
                       "group_by: column 'tier' named twice"}),
    [](const auto& info) { return info.param.name; });

// A private directory holding a copy of the good fixture plugin.
class WritablePluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/kpi-perm-XXXXXX";
    dir_ = mkdtemp(dir_template);
    file_ = dir_ + "/good.so";
    std::ifstream in(kFixtures + "/a_good.so", std::ios::binary);
    std::ofstream(file_, std::ios::binary) << in.rdbuf();
    chmod(file_.c_str(), 0755);
    chmod(dir_.c_str(), 0755);
  }
  void TearDown() override {
    std::remove(file_.c_str());
    rmdir(dir_.c_str());
  }
  std::shared_ptr<const MetricRegistry> Load(bool allow_writable) {
    MetricRegistry::Options options;
    options.allow_writable = allow_writable;
    absl::StatusOr<std::shared_ptr<const MetricRegistry>> loaded =
        MetricRegistry::Load(
            {dir_}, [](absl::string_view) {}, options);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return *loaded;
  }
  std::string dir_, file_;
};

TEST_F(WritablePluginTest, APluginOnlyItsOwnerCanWriteLoads) {
  EXPECT_NE(Load(false)->Find("fixture_sum"), nullptr);
}

// As sshd's StrictModes: a group is other users (plugin_file_policy.h).
TEST_F(WritablePluginTest, AGroupWritablePluginIsRefused) {
  chmod(file_.c_str(), 0775);
  std::shared_ptr<const MetricRegistry> registry = Load(false);
  EXPECT_EQ(registry->Find("fixture_sum"), nullptr);
  ASSERT_EQ(registry->changes().size(), 1u);
  EXPECT_THAT(
      registry->changes()[0].reason,
      AllOf(StartsWith("plugin file " + file_ + " is writable by its group "),
            HasSubstr("(mode 0775, owner ")));
}

TEST_F(WritablePluginTest, AFileOthersCanWriteIsRefused) {
  chmod(file_.c_str(), 0666);
  std::shared_ptr<const MetricRegistry> registry = Load(false);
  EXPECT_EQ(registry->Find("fixture_sum"), nullptr);
  ASSERT_EQ(registry->changes().size(), 1u);
  EXPECT_EQ(registry->changes()[0].kind, PluginChange::Kind::kRefused);
  EXPECT_EQ(
      registry->changes()[0].reason,
      "plugin file " + file_ + " is writable by every user (mode 0666, owner " +
          getpwuid(geteuid())->pw_name + ":" + getgrgid(getegid())->gr_name +
          "): whoever can write it can change it and run code in "
          "kpi-server; chmod go-w " +
          file_ + ", or pass --allow-writable-plugins");
}

TEST_F(WritablePluginTest, ADirectoryOthersCanWriteRefusesItsPlugins) {
  chmod(dir_.c_str(), 0777);
  std::shared_ptr<const MetricRegistry> registry = Load(false);
  EXPECT_EQ(registry->Find("fixture_sum"), nullptr);
  ASSERT_EQ(registry->changes().size(), 1u);
  EXPECT_EQ(registry->changes()[0].kind, PluginChange::Kind::kRefused);
  EXPECT_THAT(registry->changes()[0].reason,
              StartsWith("plugin directory " + dir_ +
                         " is writable by every user (mode 0777, owner "));
}

TEST_F(WritablePluginTest, TheOperatorCanAllowWritablePlugins) {
  chmod(file_.c_str(), 0666);
  chmod(dir_.c_str(), 0777);
  EXPECT_NE(Load(true)->Find("fixture_sum"), nullptr);
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
