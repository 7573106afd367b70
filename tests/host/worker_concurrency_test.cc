// The plugin host under concurrency, with no gRPC: calls (unary and
// streamed, grouped and not) on many threads through plugin workers while a
// faulty plugin's worker crashes and restarts and the configuration is
// reloaded over and over. Healthy calls must all succeed with exact
// answers. scripts/test.sh also runs this under ThreadSanitizer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "call_args.h"
#include "live_config.h"
#include "metric_call.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;

constexpr double kTrigger = 31337;

v1::ComputeRequest Scores(const std::vector<double>& scores,
                          const std::string& metric = "") {
  v1::ComputeRequest request;
  request.set_metric(metric);
  v1::Column* column = request.add_columns();
  column->set_name("scores");
  for (double s : scores) column->mutable_doubles()->add_values(s);
  return request;
}

TEST(WorkerConcurrencyTest, CallsCrashesAndReloadsAtOnce) {
  testing::TempDir faulty;
  const std::string fixture =
      testing::ReadFile(absl::StrCat(KPI_FAULT_FIXTURE_DIR, "/fault_segv.so"));
  faulty.Install("fault_segv.so", fixture);
  MetricRegistry::Options options;
  options.worker.cancel_grace = std::chrono::milliseconds(300);
  absl::StatusOr<std::unique_ptr<LiveConfig>> config = LiveConfig::Load(
      {KPI_PLUGIN_DIR, faulty.path()}, options, "", [](absl::string_view) {});
  ASSERT_TRUE(config.ok()) << config.status();

  std::atomic<bool> stop{false};
  std::atomic<int> healthy_calls{0};
  std::vector<std::string> failures[3];
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      while (!stop) {
        const ServingConfig serving = (*config)->Current();
        std::shared_ptr<const Metric> nps = serving.registry->Find("nps");
        if (nps == nullptr) {
          failures[t].push_back("nps is not served");
          return;
        }
        // 10, 9, 0: NPS 100 / 3, whether in one chunk or three, grouped by
        // a column that puts every row in segment "a".
        v1::ComputeRequest request = Scores({10, 9, 0});
        if (t == 2) {
          v1::Column* key = request.add_columns();
          key->set_name("key");
          for (int i = 0; i < 3; ++i) key->mutable_strings()->add_values("a");
          request.add_group_by("key");
        }
        absl::StatusOr<v1::MetricResult> result;
        if (t == 1) {
          absl::StatusOr<MetricCall> call =
              MetricCall::Start(nps, ArgsFromRequest(request));
          absl::Status status = call.status();
          for (int chunk = 0; chunk < 3 && status.ok(); ++chunk) {
            status = call->Add(ArgsFromRequest(Scores({10, 9, 0})));
          }
          result = status.ok() ? call->Finish() : status;
        } else {
          result = ComputeOnce(nps, ArgsFromRequest(request));
        }
        ++healthy_calls;
        if (!result.ok()) {
          failures[t].push_back(std::string(result.status().message()));
        } else if (std::abs(result->value() - 100.0 / 3) > 1e-9 ||
                   (t == 2 && result->segments_size() != 1)) {
          failures[t].push_back(result->DebugString());
        }
      }
    });
  }
  std::thread crasher([&] {
    while (!stop) {
      const ServingConfig serving = (*config)->Current();
      std::shared_ptr<const Metric> segv = serving.registry->Find("segv_sum");
      if (segv == nullptr) continue;
      v1::ComputeRequest request = Scores({1, kTrigger});
      request.mutable_columns(0)->set_name("values");
      const absl::StatusOr<v1::MetricResult> result =
          ComputeOnce(segv, ArgsFromRequest(request));
      EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
      EXPECT_THAT(result.status().message(), HasSubstr("plugin 'fault_segv'"));
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
  });
  for (int reload = 0; reload < 20; ++reload) {
    if (reload % 5 == 4) faulty.Install("fault_segv.so", fixture);
    EXPECT_TRUE((*config)->Reload().ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (std::thread& thread : threads) thread.join();
  crasher.join();
  EXPECT_GT(healthy_calls.load(), 30);
  for (const auto& thread_failures : failures) {
    EXPECT_THAT(thread_failures, ::testing::IsEmpty());
  }
}

}  // namespace
}  // namespace kpi
