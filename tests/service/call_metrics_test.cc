// CallMetrics: exact counts under concurrency, histogram buckets, bounded
// label values, in-flight calls, and an exposition that promtool accepts.
#include "call_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "plugin_metrics.h"
#include "process_metrics.h"
#include "tests/service/exposition.h"
#include "tests/support/process.h"

namespace kpi {
namespace {

using testing::CountSamples;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::SampleValue;

constexpr int kInvalidArgument = 3;
constexpr int kNotFound = 5;

// A recorder for which exactly `served` are metrics a plugin serves.
CallMetrics ServingOnly(std::set<std::string> served) {
  return CallMetrics([served = std::move(served)](absl::string_view metric) {
    return served.count(std::string(metric)) > 0;
  });
}

std::string Exposition(const CallMetrics& metrics) {
  std::string out;
  metrics.AppendTo(&out);
  return out;
}

std::string Calls(const std::string& method, const std::string& metric,
                  const std::string& code) {
  return absl::StrCat("kpi_calls_total{method=\"", method, "\",metric=\"",
                      metric, "\",code=\"", code, "\"}");
}

std::string Labels(const std::string& method, const std::string& metric) {
  return absl::StrCat("{method=\"", method, "\",metric=\"", metric, "\"}");
}

TEST(CallMetricsTest, CountsCallsFromManyThreadsExactly) {
  CallMetrics metrics = ServingOnly({"nps"});
  constexpr int kThreads = 4;
  constexpr int kCallsPerThread = 20000;
  std::atomic<bool> done{false};
  // Scrapes while calls are recorded (and a series is being created).
  std::thread scraper([&] {
    while (!done) Exposition(metrics);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        CallMetrics::Call call = metrics.Start("ComputeNps", "nps");
        call.AddRows(10);
        call.AddRequestBytes(100);
        call.Finish(i % 4 == 0 ? kInvalidArgument : 0);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  done = true;
  scraper.join();

  const std::string out = Exposition(metrics);
  constexpr int kTotal = kThreads * kCallsPerThread;
  EXPECT_EQ(SampleValue(out, Calls("ComputeNps", "nps", "OK")), kTotal * 3 / 4);
  EXPECT_EQ(SampleValue(out, Calls("ComputeNps", "nps", "INVALID_ARGUMENT")),
            kTotal / 4);
  EXPECT_EQ(SampleValue(out, "kpi_call_duration_seconds_count" +
                                 Labels("ComputeNps", "nps")),
            kTotal);
  EXPECT_EQ(SampleValue(
                out, "kpi_rows_processed_total" + Labels("ComputeNps", "nps")),
            kTotal * 10.0);
  EXPECT_EQ(
      SampleValue(out, "kpi_request_bytes_total" + Labels("ComputeNps", "nps")),
      kTotal * 100.0);
  EXPECT_EQ(
      SampleValue(out, "kpi_calls_in_flight" + Labels("ComputeNps", "nps")), 0);
  // Only codes that happened get a series.
  EXPECT_EQ(CountSamples(out, "kpi_calls_total{"), 2);
}

TEST(CallMetricsTest, PlacesDurationsInCumulativeBuckets) {
  CallMetrics metrics = ServingOnly({"nps"});
  CallMetrics::Series& series = metrics.Find("ComputeNps", "nps");
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  series.Record(0, nanoseconds(0), 0, 0);       // le 5e-05
  series.Record(0, nanoseconds(50'000), 0, 0);  // le 5e-05: bounds include
  series.Record(0, nanoseconds(50'001), 0, 0);  // le 0.0001
  series.Record(0, std::chrono::milliseconds(3), 0, 0);  // le 0.005
  series.Record(0, seconds(1), 0, 0);                    // le 1
  series.Record(0, seconds(60), 0, 0);                   // le 60
  series.Record(0, seconds(61), 0, 0);                   // +Inf only
  series.Record(0, nanoseconds(-5), 0, 0);               // a clock step: 0

  const std::string out = Exposition(metrics);
  const auto bucket = [&](const std::string& le) {
    return SampleValue(out, absl::StrCat("kpi_call_duration_seconds_bucket{"
                                         "method=\"ComputeNps\",metric=\"nps\","
                                         "le=\"",
                                         le, "\"}"));
  };
  EXPECT_EQ(bucket("5e-05"), 3);
  EXPECT_EQ(bucket("0.0001"), 4);
  EXPECT_EQ(bucket("0.0025"), 4);
  EXPECT_EQ(bucket("0.005"), 5);
  EXPECT_EQ(bucket("0.5"), 5);
  EXPECT_EQ(bucket("1"), 6);
  EXPECT_EQ(bucket("30"), 6);
  EXPECT_EQ(bucket("60"), 7);
  EXPECT_EQ(bucket("+Inf"), 8);
  EXPECT_EQ(CountSamples(out, "kpi_call_duration_seconds_bucket{"),
            static_cast<int>(CallMetrics::kBucketBounds.size()) + 1);
  EXPECT_EQ(SampleValue(out, "kpi_call_duration_seconds_count" +
                                 Labels("ComputeNps", "nps")),
            8);
  EXPECT_DOUBLE_EQ(*SampleValue(out, "kpi_call_duration_seconds_sum" +
                                         Labels("ComputeNps", "nps")),
                   0.000050 + 0.000050001 + 0.003 + 1 + 60 + 61);
}

TEST(CallMetricsTest, UnknownMetricNamesAddNoLabelValues) {
  CallMetrics metrics = ServingOnly({"nps", "churn_rate"});
  metrics.Start("Compute", "nps").Finish(0);
  metrics.Start("Compute", "churn_rate").Finish(0);
  for (int i = 0; i < 1000; ++i) {
    metrics.Start("Compute", absl::StrCat("no_such_metric_", i))
        .Finish(kNotFound);
  }
  metrics.Start("Compute", "quote\" and \\ and\nnewline").Finish(kNotFound);
  metrics.Start("ListMetrics").Finish(0);

  const std::string out = Exposition(metrics);
  EXPECT_EQ(SampleValue(out, Calls("Compute", "", "NOT_FOUND")), 1001);
  EXPECT_EQ(SampleValue(out, Calls("Compute", "nps", "OK")), 1);
  EXPECT_EQ(SampleValue(out, Calls("Compute", "churn_rate", "OK")), 1);
  EXPECT_EQ(SampleValue(out, Calls("ListMetrics", "", "OK")), 1);
  EXPECT_THAT(out, Not(HasSubstr("no_such_metric")));
  EXPECT_THAT(out, Not(HasSubstr("quote")));
  // Four series: (Compute, nps), (Compute, churn_rate), (Compute, ""),
  // (ListMetrics, "").
  EXPECT_EQ(CountSamples(out, "kpi_calls_in_flight{"), 4);
}

TEST(CallMetricsTest, InFlightCountsStartedUnfinishedCalls) {
  CallMetrics metrics = ServingOnly({"nps"});
  const std::string in_flight =
      "kpi_calls_in_flight" + Labels("ComputeNps", "nps");
  CallMetrics::Call first = metrics.Start("ComputeNps", "nps");
  {
    CallMetrics::Call second = metrics.Start("ComputeNps", "nps");
    EXPECT_EQ(SampleValue(Exposition(metrics), in_flight), 2);
    CallMetrics::Call moved = std::move(second);
    EXPECT_EQ(SampleValue(Exposition(metrics), in_flight), 2);
  }  // destroyed unfinished: counted as CANCELLED
  std::string out = Exposition(metrics);
  EXPECT_EQ(SampleValue(out, in_flight), 1);
  EXPECT_EQ(SampleValue(out, Calls("ComputeNps", "nps", "CANCELLED")), 1);
  first.Finish(0);
  first.Finish(13);  // only the first Finish counts
  out = Exposition(metrics);
  EXPECT_EQ(SampleValue(out, in_flight), 0);
  EXPECT_EQ(SampleValue(out, Calls("ComputeNps", "nps", "OK")), 1);
  EXPECT_EQ(SampleValue(out, Calls("ComputeNps", "nps", "INTERNAL")),
            std::nullopt);
}

TEST(CallMetricsTest, SetMetricMovesACallToItsMetric) {
  CallMetrics metrics = ServingOnly({"nps"});
  CallMetrics::Call call = metrics.Start("ComputeStream");
  EXPECT_EQ(SampleValue(Exposition(metrics),
                        "kpi_calls_in_flight" + Labels("ComputeStream", "")),
            1);
  call.SetMetric("nps");
  call.AddRows(3);
  std::string out = Exposition(metrics);
  EXPECT_EQ(
      SampleValue(out, "kpi_calls_in_flight" + Labels("ComputeStream", "")), 0);
  EXPECT_EQ(
      SampleValue(out, "kpi_calls_in_flight" + Labels("ComputeStream", "nps")),
      1);
  call.SetMetric("not_served");  // back to metric=""
  call.SetMetric("nps");
  call.Finish(0);
  out = Exposition(metrics);
  EXPECT_EQ(SampleValue(out, Calls("ComputeStream", "nps", "OK")), 1);
  EXPECT_EQ(SampleValue(out, "kpi_rows_processed_total" +
                                 Labels("ComputeStream", "nps")),
            3);
}

TEST(CallMetricsTest, CodesOutOfRangeCountAsUnknown) {
  EXPECT_EQ(CallMetrics::CodeName(0), "OK");
  EXPECT_EQ(CallMetrics::CodeName(8), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(CallMetrics::CodeName(16), "UNAUTHENTICATED");
  EXPECT_EQ(CallMetrics::CodeName(17), "UNKNOWN");
  EXPECT_EQ(CallMetrics::CodeName(-1), "UNKNOWN");
  CallMetrics metrics = ServingOnly({});
  metrics.Start("Compute").Finish(99);
  EXPECT_EQ(SampleValue(Exposition(metrics), Calls("Compute", "", "UNKNOWN")),
            1);
}

TEST(CallMetricsTest, PairsPastTheLimitShareOneSeries) {
  CallMetrics metrics([](absl::string_view) { return true; });
  const int pairs = static_cast<int>(CallMetrics::kMaxSeries) + 10;
  for (int i = 0; i < pairs; ++i) {
    metrics.Start("Compute", absl::StrCat("m", i)).Finish(0);
  }
  const std::string out = Exposition(metrics);
  EXPECT_EQ(CountSamples(out, "kpi_calls_in_flight{"),
            static_cast<int>(CallMetrics::kMaxSeries) + 1);
  EXPECT_EQ(SampleValue(out, Calls("", "", "OK")), 10);
  EXPECT_EQ(SampleValue(out, Calls("Compute", "m0", "OK")), 1);
}

// promtool (Debian's prometheus package) lints the whole exposition the
// metrics listener serves: names, HELP and TYPE, suffixes, escaping.
TEST(CallMetricsTest, ExpositionPassesPromtoolCheckMetrics) {
  if (testing::RunCommand({"sh", "-c", "command -v promtool"}).exit_code != 0) {
    GTEST_SKIP() << "promtool is not installed (scripts/install-deps.sh "
                    "installs the prometheus package)";
  }
  CallMetrics metrics(
      [](absl::string_view metric) { return metric != "unknown"; });
  metrics.Start("ComputeNps", "nps").Finish(0);
  metrics.Start("Compute", "we\"ird\\name\n").Finish(3);
  metrics.Start("Compute", "unknown").Finish(5);
  CallMetrics::Call running = metrics.Start("ComputeStream", "nps");
  std::string out;
  metrics.AppendTo(&out);
  PluginCounters plugins;
  plugins.load_refusals = 2;
  plugins.reloads_ok = 3;
  plugins.worker_restarts = {{"retention", 1}, {"survey", 0}};
  AppendPluginMetrics(plugins, &out);
  AppendProcessMetrics(&out);

  const testing::CommandResult check =
      testing::RunCommand({"promtool", "check", "metrics"}, out);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err << "\n" << out;
  EXPECT_EQ(check.out + check.err, "") << out;
  EXPECT_THAT(out, HasSubstr(R"(metric="we\"ird\\name\n")"));
  EXPECT_THAT(out, HasSubstr("process_resident_memory_bytes "));
  EXPECT_THAT(out, HasSubstr("process_start_time_seconds "));
}

// What recording costs a handler: Start() + Finish() on one pair (the
// server's common case) from one and from two threads. The figure is
// printed; the bound only catches a lock or an allocation gone wrong.
TEST(CallMetricsTest, CostPerRecordedCall) {
  CallMetrics metrics = ServingOnly({"nps"});
  constexpr int kCalls = 500000;
  const auto run = [&metrics] {
    for (int i = 0; i < kCalls; ++i) {
      CallMetrics::Call call = metrics.Start("ComputeNps", "nps");
      call.AddRows(100);
      call.AddRequestBytes(900);
      call.Finish(0);
    }
  };
  run();  // warm: the series exists
  auto start = std::chrono::steady_clock::now();
  run();
  const double one_thread_ns = std::chrono::duration<double, std::nano>(
                                   std::chrono::steady_clock::now() - start)
                                   .count() /
                               kCalls;
  start = std::chrono::steady_clock::now();
  std::thread other(run);
  run();
  other.join();
  const double two_threads_ns = std::chrono::duration<double, std::nano>(
                                    std::chrono::steady_clock::now() - start)
                                    .count() /
                                kCalls;  // wall time per call per thread
  std::printf(
      "CallMetrics Start+Finish: %.0f ns per call on one thread, "
      "%.0f ns per call per thread on two threads at once\n",
      one_thread_ns, two_threads_ns);
  EXPECT_LT(one_thread_ns, 5000);
  EXPECT_LT(two_threads_ns, 10000);
}

}  // namespace
}  // namespace kpi
