// Reloading a registry from real plugin files: two versions of one fixture
// plugin (reload_v1.so, reload_v2.so: plugin fixture_reload, metric
// fixture_reload_sum, versions 1.0.0 and 2.0.0) copied over each other in a
// private plugin directory, plus broken files as failed replacements.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/match.h"
#include "live_config.h"
#include "metric_call.h"
#include "metric_registry.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using Kind = PluginChange::Kind;
using testing::ReadFile;

const std::string kReloadFixtures = KPI_RELOAD_FIXTURE_DIR;
const std::string kLoaderFixtures = KPI_FIXTURE_PLUGIN_DIR;
const std::string kConformanceFixtures = KPI_CONFORMANCE_FIXTURE_DIR;

// The plugin version that computed fixture_reload_sum over {1, 2}.
std::string ComputedBy(std::shared_ptr<const Metric> metric) {
  v1::ComputeRequest request;
  v1::Column* column = request.add_columns();
  column->set_name("values");
  column->mutable_doubles()->add_values(1);
  column->mutable_doubles()->add_values(2);
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(std::move(metric), ArgsFromRequest(request));
  if (!result.ok()) return std::string(result.status().message());
  EXPECT_EQ(result->value(), 3.0);
  return result->plugin_version();
}

// The distinct files named `name` mapped into this process.
std::set<std::string> MappedFiles(absl::string_view name) {
  std::set<std::string> files;
  std::istringstream maps(ReadFile("/proc/self/maps"));
  for (std::string line; std::getline(maps, line);) {
    const size_t slash = line.find('/');
    if (slash != std::string::npos && absl::StrContains(line, name)) {
      files.insert(line.substr(slash));
    }
  }
  return files;
}

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = directory_.path();
    Install(kReloadFixtures + "/reload_v1.so", "reload.so");
    Load(Isolation::kProcess);
  }
  void LoadInProcess() { Load(Isolation::kNone); }
  void Load(Isolation isolation) {
    MetricRegistry::Options options;
    options.isolation = isolation;
    absl::StatusOr<std::shared_ptr<const MetricRegistry>> loaded =
        MetricRegistry::Load(
            {dir_}, [this](absl::string_view line) { log_.emplace_back(line); },
            options);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    registry_ = *loaded;
  }

  // Puts a copy of `source` at `name` the way install(1) does.
  void Install(const std::string& source, const std::string& name) {
    directory_.Install(name, ReadFile(source));
  }
  std::shared_ptr<const MetricRegistry> Reload() {
    absl::StatusOr<std::shared_ptr<const MetricRegistry>> reloaded =
        registry_->Reload(
            [this](absl::string_view line) { log_.emplace_back(line); });
    EXPECT_TRUE(reloaded.ok()) << reloaded.status();
    return reloaded.ok() ? *reloaded : registry_;
  }
  std::string Version(const MetricRegistry& registry) {
    std::shared_ptr<const Metric> metric = registry.Find("fixture_reload_sum");
    return metric == nullptr ? "(none)" : metric->info().plugin_version();
  }

  testing::TempDir directory_;
  std::string dir_;
  std::shared_ptr<const MetricRegistry> registry_;
  std::vector<std::string> log_;
};

TEST_F(ReloadTest, UnchangedFilesKeepTheirLoadedLibrary) {
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  EXPECT_TRUE(reloaded->changes().empty());
  ASSERT_EQ(reloaded->plugins().size(), 1u);
  EXPECT_EQ(reloaded->plugins()[0], registry_->plugins()[0]);
}

TEST_F(ReloadTest, AReplacedFileServesItsNewVersionToNewCalls) {
  std::shared_ptr<const Metric> running = registry_->Find("fixture_reload_sum");
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();

  ASSERT_EQ(reloaded->changes().size(), 1u);
  const PluginChange& change = reloaded->changes()[0];
  EXPECT_EQ(change.kind, Kind::kReplaced);
  EXPECT_EQ(change.path, dir_ + "/reload.so");
  EXPECT_EQ(change.plugin, "fixture_reload");
  EXPECT_EQ(change.version, "2.0.0");
  EXPECT_EQ(log_.back(),
            "replaced plugin fixture_reload 2.0.0 from " + dir_ + "/reload.so");
  EXPECT_EQ(ComputedBy(reloaded->Find("fixture_reload_sum")), "2.0.0");
  // A call that started before the reload finishes on the old version.
  EXPECT_EQ(ComputedBy(running), "1.0.0");
  EXPECT_EQ(reloaded->Find("fixture_reload_sum")->info().plugin_file(),
            dir_ + "/reload.so");
}

TEST_F(ReloadTest, AFileRewrittenInPlaceNeverDisturbsTheLoadedVersion) {
  // `cp` over a mapped library would change the running code's pages; the
  // server maps a private copy, so the old version keeps computing.
  directory_.WriteInPlace("reload.so",
                          ReadFile(kReloadFixtures + "/reload_v2.so"));
  EXPECT_EQ(ComputedBy(registry_->Find("fixture_reload_sum")), "1.0.0");
  EXPECT_EQ(Version(*Reload()), "2.0.0");
}

TEST_F(ReloadTest, TheOldWorkerStopsWhenItsLastUserGoes) {
  std::shared_ptr<const Metric> running = registry_->Find("fixture_reload_sum");
  const pid_t old_worker = running->library().worker()->pid();
  ASSERT_GT(old_worker, 0);
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  registry_.reset();
  EXPECT_EQ(kill(old_worker, 0), 0) << "stopped under a running call";
  EXPECT_NE(reloaded->plugins()[0]->worker()->pid(), old_worker);

  running.reset();
  EXPECT_EQ(kill(old_worker, 0), -1) << "the old version's worker still runs";
  registry_ = reloaded;
}

TEST_F(ReloadTest, TheOldLibraryIsUnloadedWhenItsLastUserGoes) {
  // In process, the old version's code is unmapped when its last user goes.
  LoadInProcess();
  std::shared_ptr<const Metric> running = registry_->Find("fixture_reload_sum");
  std::weak_ptr<const PluginLibrary> old_library = registry_->plugins()[0];
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  registry_.reset();
  EXPECT_FALSE(old_library.expired()) << "unloaded under a running call";
  EXPECT_EQ(MappedFiles("/reload.so").size(), 2u);

  running.reset();
  EXPECT_TRUE(old_library.expired());
  EXPECT_EQ(MappedFiles("/reload.so").size(), 1u)
      << "the old version is still mapped";
  registry_ = reloaded;
}

TEST_F(ReloadTest, AReplacementThatDoesNotLoadKeepsThePreviousVersion) {
  Install(kLoaderFixtures + "/f_not_a_library.so", "reload.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 1u);
  const PluginChange& change = reloaded->changes()[0];
  EXPECT_EQ(change.kind, Kind::kKeptPrevious);
  EXPECT_EQ(change.version, "1.0.0");
  EXPECT_THAT(change.reason, HasSubstr("not a loadable shared library: "));
  EXPECT_THAT(change.reason, HasSubstr(dir_ + "/reload.so"))
      << "the reason names the operator's file, not the private copy";
  EXPECT_THAT(log_.back(), HasSubstr("; version 1.0.0 keeps serving"));
  EXPECT_EQ(ComputedBy(reloaded->Find("fixture_reload_sum")), "1.0.0");

  // Fixing the file later replaces the previous version as usual.
  registry_ = reloaded;
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  EXPECT_EQ(Version(*Reload()), "2.0.0");
}

TEST_F(ReloadTest, AReplacementThatFailsAConformanceCheckKeepsThePrevious) {
  Install(kConformanceFixtures + "/conf_merge_average.so", "reload.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 1u);
  EXPECT_EQ(reloaded->changes()[0].kind, Kind::kKeptPrevious);
  EXPECT_THAT(reloaded->changes()[0].reason,
              HasSubstr("conformance check 'merge is associative' failed"));
  EXPECT_EQ(Version(*reloaded), "1.0.0");
}

TEST_F(ReloadTest, ANewFileLoadsAndARemovedFileStopsServing) {
  Install(kLoaderFixtures + "/a_good.so", "sum.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 1u);
  EXPECT_EQ(reloaded->changes()[0].kind, Kind::kLoaded);
  EXPECT_NE(reloaded->Find("fixture_sum"), nullptr);
  EXPECT_EQ(Version(*reloaded), "1.0.0");

  registry_ = reloaded;
  directory_.Remove("reload.so");
  reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 1u);
  EXPECT_EQ(reloaded->changes()[0].kind, Kind::kRemoved);
  EXPECT_EQ(reloaded->changes()[0].plugin, "fixture_reload");
  EXPECT_EQ(reloaded->Find("fixture_reload_sum"), nullptr);
  EXPECT_NE(reloaded->Find("fixture_sum"), nullptr);
}

TEST_F(ReloadTest, TheServingPluginWinsANameClashWithANewFile) {
  // "a_copy.so" sorts before "reload.so": at a fresh start it would win.
  Install(kReloadFixtures + "/reload_v2.so", "a_copy.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 1u);
  EXPECT_EQ(reloaded->changes()[0].kind, Kind::kRefused);
  EXPECT_EQ(reloaded->changes()[0].reason,
            "plugin name 'fixture_reload' is already loaded from " + dir_ +
                "/reload.so");
  EXPECT_EQ(Version(*reloaded), "1.0.0");
}

TEST_F(ReloadTest, AServingFileWinsOverANewFileWhenBothChange) {
  // "a_copy.so" (new, same plugin name) sorts before "reload.so" (changed):
  // the file that served keeps its names.
  Install(kReloadFixtures + "/reload_v1.so", "a_copy.so");
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 2u);
  EXPECT_EQ(reloaded->changes()[0].kind, Kind::kReplaced);
  EXPECT_EQ(reloaded->changes()[0].path, dir_ + "/reload.so");
  EXPECT_EQ(reloaded->changes()[1].kind, Kind::kRefused);
  EXPECT_EQ(reloaded->changes()[1].path, dir_ + "/a_copy.so");
  EXPECT_EQ(Version(*reloaded), "2.0.0");
}

TEST_F(ReloadTest, ARefusalIsReportedOnceUntilTheFileChanges) {
  directory_.Install("junk.so", "not a library\n");
  Install(kLoaderFixtures + "/f_not_a_library.so", "reload.so");
  std::shared_ptr<const MetricRegistry> first = Reload();
  ASSERT_EQ(first->changes().size(), 2u);
  EXPECT_EQ(first->changes()[0].kind, Kind::kKeptPrevious);
  EXPECT_EQ(first->changes()[1].kind, Kind::kRefused);

  registry_ = first;
  std::shared_ptr<const MetricRegistry> again = Reload();
  EXPECT_TRUE(again->changes().empty());
  EXPECT_EQ(Version(*again), "1.0.0");

  registry_ = again;
  directory_.Install("junk.so", "still not a library\n");
  std::shared_ptr<const MetricRegistry> changed = Reload();
  ASSERT_EQ(changed->changes().size(), 1u);
  EXPECT_EQ(changed->changes()[0].kind, Kind::kRefused);
  EXPECT_EQ(changed->changes()[0].path, dir_ + "/junk.so");
}

TEST_F(ReloadTest, AFileMadeWritableByEveryoneIsNotLoaded) {
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  chmod((dir_ + "/reload.so").c_str(), 0666);
  std::shared_ptr<const MetricRegistry> reloaded = Reload();
  ASSERT_EQ(reloaded->changes().size(), 1u);
  EXPECT_EQ(reloaded->changes()[0].kind, Kind::kKeptPrevious);
  EXPECT_THAT(reloaded->changes()[0].reason,
              HasSubstr("is writable by every user (mode 0666, owner"));
  EXPECT_EQ(Version(*reloaded), "1.0.0");
}

TEST_F(ReloadTest, LiveConfigSwapsWholeConfigurationsAndKeepsOneOnError) {
  absl::StatusOr<std::unique_ptr<LiveConfig>> live =
      LiveConfig::Load({dir_}, {}, "", [](absl::string_view) {});
  ASSERT_TRUE(live.ok()) << live.status();
  const ServingConfig before = (*live)->Current();
  Install(kReloadFixtures + "/reload_v2.so", "reload.so");
  absl::StatusOr<ServingConfig> after = (*live)->Reload();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ((*live)->Current().registry, after->registry);
  EXPECT_EQ(Version(*(*live)->Current().registry), "2.0.0");
  EXPECT_EQ(Version(*before.registry), "1.0.0");

  // The directory disappears: the reload fails and nothing changes.
  const std::string moved = dir_ + ".moved";
  ASSERT_EQ(std::rename(dir_.c_str(), moved.c_str()), 0);
  absl::StatusOr<ServingConfig> failed = (*live)->Reload();
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ((*live)->Current().registry, after->registry);
  ASSERT_EQ(std::rename(moved.c_str(), dir_.c_str()), 0);
}

}  // namespace
}  // namespace kpi
