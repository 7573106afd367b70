// The plugin host under concurrency, with no gRPC: calls (unary and
// streamed, grouped and not) on many threads through plugin workers while a
// faulty plugin's worker crashes and restarts and the configuration is
// reloaded over and over. Healthy calls must all succeed with exact
// answers. scripts/test.sh also runs this under ThreadSanitizer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "call_args.h"
#include "cancellation.h"
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

// A Cancellation a test sets.
class Flag final : public Cancellation {
 public:
  void Set() { set_ = true; }
  absl::Status Check() const override {
    return set_ ? absl::CancelledError("the test cancelled the call")
                : absl::OkStatus();
  }

 private:
  std::atomic<bool> set_{false};
};

// Unary calls that do not wait on their own thread (AddLastAndFinishThen):
// hundreds in flight at once, from two threads, all finished on the one
// reply thread -- healthy calls exact, a crashing plugin's calls
// UNAVAILABLE naming it, a looping plugin's cancelled call CANCELLED once
// its worker is stopped after the grace.
TEST(WorkerConcurrencyTest, CallsInFlightWaitOnTheReplyThread) {
  testing::TempDir faulty;
  for (const char* fault : {"fault_segv.so", "fault_loop.so"}) {
    faulty.Install(fault, testing::ReadFile(
                              absl::StrCat(KPI_FAULT_FIXTURE_DIR, "/", fault)));
  }
  MetricRegistry::Options options;
  options.worker.cancel_grace = std::chrono::milliseconds(200);
  absl::StatusOr<std::unique_ptr<LiveConfig>> config = LiveConfig::Load(
      {KPI_PLUGIN_DIR, faulty.path()}, options, "", [](absl::string_view) {});
  ASSERT_TRUE(config.ok()) << config.status();
  const ServingConfig serving = (*config)->Current();
  std::shared_ptr<const Metric> nps = serving.registry->Find("nps");
  std::shared_ptr<const Metric> segv = serving.registry->Find("segv_sum");
  std::shared_ptr<const Metric> loop = serving.registry->Find("loop_sum");
  ASSERT_TRUE(nps && segv && loop);

  constexpr int kCallsPerThread = 400;
  std::mutex mutex;
  std::condition_variable all_done;
  int done = 0;
  std::vector<std::string> failures;
  auto finished = [&](std::string failure) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!failure.empty()) failures.push_back(std::move(failure));
    ++done;
    all_done.notify_all();
  };
  auto start = [&](std::shared_ptr<const Metric> metric,
                   const v1::ComputeRequest& request,
                   const Cancellation* cancellation, MetricCall::Done then) {
    absl::StatusOr<MetricCall> call =
        MetricCall::Start(metric, ArgsFromRequest(request), cancellation);
    ASSERT_TRUE(call.ok()) << call.status();
    call->AddLastAndFinishThen(ArgsFromRequest(request), std::move(then));
  };

  Flag cancel_the_loop;
  start(
      loop,
      [] {
        v1::ComputeRequest request = Scores({kTrigger});
        request.mutable_columns(0)->set_name("values");
        return request;
      }(),
      &cancel_the_loop,
      [&](absl::StatusOr<v1::MetricResult> result, uint64_t) {
        finished(result.status().code() == absl::StatusCode::kCancelled &&
                         absl::StrContains(result.status().message(),
                                           "so its worker was stopped")
                     ? ""
                     : absl::StrCat("loop: ", result.status().ToString()));
      });
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (t == 1 && i % 100 == 50) {
          v1::ComputeRequest request = Scores({1, kTrigger});
          request.mutable_columns(0)->set_name("values");
          start(
              segv, request, nullptr,
              [&](absl::StatusOr<v1::MetricResult> result, uint64_t) {
                const bool named = absl::StrContains(result.status().message(),
                                                     "plugin 'fault_segv'");
                finished(
                    result.status().code() == absl::StatusCode::kUnavailable &&
                            named
                        ? ""
                        : absl::StrCat("segv: ", result.status().ToString()));
              });
          continue;
        }
        start(nps, Scores({10, 9, 0, 10}), nullptr,
              [&](absl::StatusOr<v1::MetricResult> result, uint64_t rows) {
                if (!result.ok()) {
                  finished(absl::StrCat("nps: ", result.status().ToString()));
                } else if (result->value() != 50 || rows != 4) {
                  finished(absl::StrCat("nps: ", result->DebugString(),
                                        " rows ", rows));
                } else {
                  finished("");
                }
              });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  cancel_the_loop.Set();
  std::unique_lock<std::mutex> lock(mutex);
  ASSERT_TRUE(
      all_done.wait_for(lock, std::chrono::seconds(60),
                        [&] { return done == 2 * kCallsPerThread + 1; }))
      << done << " of " << 2 * kCallsPerThread + 1 << " calls finished";
  EXPECT_THAT(failures, ::testing::IsEmpty());
}

// More calls than the worker has channels: the rest wait written aside,
// holding no thread (starting them returns at once), and go in order as
// channels free. One waiting when its worker dies gets the death; one
// whose call ended while it waited is never sent.
TEST(WorkerConcurrencyTest, CallsBeyondTheChannelsWaitWithoutAThread) {
  testing::TempDir faulty;
  for (const char* fault : {"fault_slow.so", "fault_segv.so"}) {
    faulty.Install(fault, testing::ReadFile(
                              absl::StrCat(KPI_FAULT_FIXTURE_DIR, "/", fault)));
  }
  MetricRegistry::Options options;
  options.worker.max_channels = 2;
  absl::StatusOr<std::unique_ptr<LiveConfig>> config =
      LiveConfig::Load({faulty.path()}, options, "", [](absl::string_view) {});
  ASSERT_TRUE(config.ok()) << config.status();
  const ServingConfig serving = (*config)->Current();
  std::shared_ptr<const Metric> slow = serving.registry->Find("slow_sum");
  std::shared_ptr<const Metric> segv = serving.registry->Find("segv_sum");
  ASSERT_TRUE(slow && segv);

  std::mutex mutex;
  std::condition_variable answered;
  std::vector<absl::StatusOr<double>> answers;
  auto start = [&](std::shared_ptr<const Metric> metric,
                   std::vector<double> values,
                   const Cancellation* cancellation) {
    v1::ComputeRequest request = Scores(values);
    request.mutable_columns(0)->set_name("values");
    absl::StatusOr<MetricCall> call =
        MetricCall::Start(metric, ArgsFromRequest(request), cancellation);
    ASSERT_TRUE(call.ok()) << call.status();
    call->AddLastAndFinishThen(
        ArgsFromRequest(request),
        [&](absl::StatusOr<v1::MetricResult> result, uint64_t) {
          std::lock_guard<std::mutex> lock(mutex);
          answers.push_back(result.ok()
                                ? absl::StatusOr<double>(result->value())
                                : result.status());
          answered.notify_all();
        });
  };
  auto await = [&](size_t count) {
    std::unique_lock<std::mutex> lock(mutex);
    return answered.wait_for(lock, std::chrono::seconds(20),
                             [&] { return answers.size() >= count; });
  };

  // Six calls of 400 ms on two channels: three rounds, started at once.
  const auto started = std::chrono::steady_clock::now();
  for (int i = 1; i <= 6; ++i) start(slow, {kTrigger, double(i)}, nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::milliseconds(300));
  ASSERT_TRUE(await(6));
  EXPECT_GE(std::chrono::steady_clock::now() - started,
            std::chrono::milliseconds(1200));
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(answers[i].ok()) << answers[i].status();
    // In order of arrival, two at a time.
    const double added = *answers[i] - kTrigger;
    EXPECT_TRUE(added == i + 1 || added == (i ^ 1) + 1) << i << ": " << added;
  }

  // A call that ended while it waited is answered with its cancellation
  // once its turn comes, and is not sent.
  answers.clear();
  Flag ended;
  start(slow, {kTrigger}, nullptr);
  start(slow, {kTrigger}, nullptr);
  start(slow, {5}, &ended);
  ended.Set();
  ASSERT_TRUE(await(3));
  int cancelled = 0;
  for (const absl::StatusOr<double>& answer : answers) {
    if (answer.ok()) {
      EXPECT_EQ(*answer, kTrigger);
    } else {
      EXPECT_EQ(answer.status().code(), absl::StatusCode::kCancelled)
          << answer.status();
      ++cancelled;
    }
  }
  EXPECT_EQ(cancelled, 1);

  // Calls waiting when their worker dies get its death.
  answers.clear();
  for (double value : {kTrigger, kTrigger, 3.0, 4.0}) {
    start(segv, {value}, nullptr);
  }
  ASSERT_TRUE(await(4));
  for (const absl::StatusOr<double>& answer : answers) {
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable)
        << answer.status();
    EXPECT_THAT(answer.status().message(), HasSubstr("plugin 'fault_segv'"));
  }
}

// A worker runs its calls on as few threads as keep up, adding one when
// requests wait behind calls that run long: a slow call (400 ms) holds up
// the same worker's other calls by about a millisecond, not by its run.
TEST(WorkerConcurrencyTest, ASlowCallDoesNotHoldUpItsWorkersOtherCalls) {
  testing::TempDir faulty;
  faulty.Install(
      "fault_slow.so",
      testing::ReadFile(absl::StrCat(KPI_FAULT_FIXTURE_DIR, "/fault_slow.so")));
  absl::StatusOr<std::unique_ptr<LiveConfig>> config =
      LiveConfig::Load({faulty.path()}, {}, "", [](absl::string_view) {});
  ASSERT_TRUE(config.ok()) << config.status();
  const ServingConfig serving = (*config)->Current();
  std::shared_ptr<const Metric> slow = serving.registry->Find("slow_sum");
  ASSERT_NE(slow, nullptr);
  auto sum = [&](std::vector<double> values) {
    v1::ComputeRequest request = Scores(values);
    request.mutable_columns(0)->set_name("values");
    absl::StatusOr<MetricCall> call =
        MetricCall::Start(slow, ArgsFromRequest(request), nullptr);
    if (!call.ok()) return absl::StatusOr<double>(call.status());
    absl::StatusOr<v1::MetricResult> result =
        call->AddLastAndFinish(ArgsFromRequest(request));
    if (!result.ok()) return absl::StatusOr<double>(result.status());
    return absl::StatusOr<double>(result->value());
  };
  ASSERT_EQ(sum({1}).value_or(-1), 1);  // the worker is up

  const auto started = std::chrono::steady_clock::now();
  std::thread slow_call(
      [&] { EXPECT_EQ(sum({kTrigger}).value_or(-1), kTrigger); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto fast_from = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(sum({double(i), 2}).value_or(-1), i + 2);
  }
  const auto fast_took_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - fast_from)
          .count();
  slow_call.join();
  EXPECT_GE(std::chrono::steady_clock::now() - started,
            std::chrono::milliseconds(400));
  EXPECT_LT(fast_took_ms, 250) << "20 calls beside a slow one";
}

}  // namespace
}  // namespace kpi
