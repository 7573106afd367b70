// The plugin host's counters as Prometheus reads them: refusals and reloads
// counted by LiveConfig, worker restarts by each plugin's PluginWorker.
#include "plugin_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "call_args.h"
#include "live_config.h"
#include "metric_call.h"
#include "tests/service/exposition.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using testing::SampleValue;

std::string Exposition(const LiveConfig& config) {
  std::string out;
  AppendPluginMetrics(ReadPluginCounters(config), &out);
  return out;
}

void Quiet(absl::string_view) {}

TEST(PluginMetricsTest, CountsRefusedFilesAndReloadsByResult) {
  testing::TempDir plugins;
  testing::TempDir profiles;
  plugins.Install("a_good.so",
                  testing::ReadFile(KPI_RELOAD_FIXTURE_DIR "/reload_v1.so"));
  plugins.Install("b_text.so", "not a library\n");
  const std::string profiles_file = profiles.Install("profiles.json", "{}");
  MetricRegistry::Options options;
  options.check_plugins = false;
  absl::StatusOr<std::unique_ptr<LiveConfig>> config =
      LiveConfig::Load({plugins.path()}, options, profiles_file, Quiet);
  ASSERT_TRUE(config.ok()) << config.status();
  std::string out = Exposition(**config);
  EXPECT_EQ(SampleValue(out, "kpi_plugin_load_refusals_total"), 1);
  EXPECT_EQ(SampleValue(out, R"(kpi_reloads_total{result="ok"})"), 0);
  EXPECT_EQ(SampleValue(out, R"(kpi_reloads_total{result="failed"})"), 0);

  // The same refusal again is not a new one; a new bad file is.
  ASSERT_TRUE((*config)->Reload().ok());
  EXPECT_EQ(SampleValue(Exposition(**config), "kpi_plugin_load_refusals_total"),
            1);
  plugins.Install("c_text.so", "not a library either\n");
  ASSERT_TRUE((*config)->Reload().ok());
  // A profiles file that does not parse fails the reload as a whole.
  profiles.Install("profiles.json", "{");
  ASSERT_FALSE((*config)->Reload().ok());

  out = Exposition(**config);
  EXPECT_EQ(SampleValue(out, "kpi_plugin_load_refusals_total"), 2);
  EXPECT_EQ(SampleValue(out, R"(kpi_reloads_total{result="ok"})"), 2);
  EXPECT_EQ(SampleValue(out, R"(kpi_reloads_total{result="failed"})"), 1);
  // The plugin runs in a worker that never died.
  EXPECT_EQ(
      SampleValue(
          out, R"(kpi_plugin_worker_restarts_total{plugin="fixture_reload"})"),
      0);
}

TEST(PluginMetricsTest, CountsWorkerRestartsPerPlugin) {
  testing::TempDir plugins;
  plugins.Install("fault_segv.so",
                  testing::ReadFile(KPI_FAULT_FIXTURE_DIR "/fault_segv.so"));
  plugins.Install("a_good.so",
                  testing::ReadFile(KPI_RELOAD_FIXTURE_DIR "/reload_v1.so"));
  MetricRegistry::Options options;
  options.check_plugins = false;
  absl::StatusOr<std::unique_ptr<LiveConfig>> config =
      LiveConfig::Load({plugins.path()}, options, "", Quiet);
  ASSERT_TRUE(config.ok()) << config.status();
  std::shared_ptr<const Metric> segv =
      (*config)->Current().registry->Find("segv_sum");
  ASSERT_NE(segv, nullptr);
  const auto compute = [&](double value) {
    v1::ComputeRequest request;
    v1::Column* column = request.add_columns();
    column->set_name("values");
    column->mutable_doubles()->add_values(value);
    return ComputeOnce(segv, ArgsFromRequest(request)).status();
  };

  // 31337 makes the fixture crash its worker; the next call after the
  // 100 ms backoff restarts it.
  EXPECT_EQ(compute(31337).code(), absl::StatusCode::kUnavailable);
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_TRUE(compute(1).ok());

  const std::string out = Exposition(**config);
  EXPECT_EQ(
      SampleValue(out,
                  R"(kpi_plugin_worker_restarts_total{plugin="fault_segv"})"),
      1)
      << out;
  EXPECT_EQ(
      SampleValue(
          out, R"(kpi_plugin_worker_restarts_total{plugin="fixture_reload"})"),
      0);
}

TEST(PluginMetricsTest, PluginsInProcessHaveNoWorkerRestarts) {
  testing::TempDir plugins;
  plugins.Install("a_good.so",
                  testing::ReadFile(KPI_RELOAD_FIXTURE_DIR "/reload_v1.so"));
  MetricRegistry::Options options;
  options.check_plugins = false;
  options.isolation = Isolation::kNone;
  absl::StatusOr<std::unique_ptr<LiveConfig>> config =
      LiveConfig::Load({plugins.path()}, options, "", Quiet);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_THAT(ReadPluginCounters(**config).worker_restarts,
              ::testing::IsEmpty());
  EXPECT_THAT(Exposition(**config),
              ::testing::HasSubstr(
                  "# TYPE kpi_plugin_worker_restarts_total counter\n"));
}

}  // namespace
}  // namespace kpi
