// A bounded soak (issue 10): for KPI_SOAK_SECONDS (default 60) a real
// kpi-server on loopback takes, all at once, valid calls of several metrics
// (unary, generic, streamed, grouped) whose answers are checked exactly, bad
// inputs, cancelled and expiring calls, stalled streams and reloads. It
// passes with no failed valid call, no crash, and the server's memory (with
// its plugin workers') flat after warm-up. The figures go to stdout and the
// test's XML properties; docs/reliability.md records a run.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kpi/v1/admin_service.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/raw_calls.h"

namespace kpi {
namespace {

using Clock = std::chrono::steady_clock;
using testing::Context;
using testing::NpsChunk;
using testing::RawStream;
using testing::RawUnary;
using testing::Serialized;
using testing::ServerProcess;

int SoakSeconds() {
  const char* text = std::getenv("KPI_SOAK_SECONDS");
  return text != nullptr && std::atoi(text) > 0 ? std::atoi(text) : 60;
}

// Resident memory of `pid` and its children (the plugin workers), in KiB.
long TreeRssKb(pid_t pid) {
  auto field = [](const std::string& path, const std::string& name) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(name, 0) == 0)
        return std::atol(line.c_str() + name.size());
    }
    return 0L;
  };
  long total = field(absl::StrCat("/proc/", pid, "/status"), "VmRSS:");
  std::ifstream children(
      absl::StrCat("/proc/", pid, "/task/", pid, "/children"));
  pid_t child = 0;
  while (children >> child) {
    total += field(absl::StrCat("/proc/", child, "/status"), "VmRSS:");
  }
  return total;
}

// What the load did, by kind; valid calls that failed are the defect.
struct Tally {
  std::atomic<uint64_t> valid{0}, bad{0}, cancelled{0}, stalled{0}, reloads{0};
  std::atomic<uint64_t> failures{0};
  std::mutex mutex;
  std::string first_failure;

  void Fail(const std::string& what) {
    if (failures.fetch_add(1) == 0) {
      std::lock_guard<std::mutex> lock(mutex);
      first_failure = what;
    }
  }
};

// One valid call of each kind in turn, each answer checked exactly.
void ValidCall(v1::MetricService::Stub& stub,
               const std::shared_ptr<grpc::Channel>& channel, int turn,
               Tally& tally) {
  auto expect = [&](const grpc::Status& status, double value, double want,
                    const char* what) {
    if (!status.ok()) {
      tally.Fail(absl::StrCat(what, ": ", status.error_message()));
    } else if (std::fabs(value - want) > 1e-9) {
      tally.Fail(absl::StrCat(what, ": ", value, " instead of ", want));
    } else {
      ++tally.valid;
    }
  };
  switch (turn % 5) {
    case 0: {
      v1::ComputeNpsRequest request;
      for (double s : {10, 10, 0, 8}) request.add_scores(s);
      v1::ComputeNpsResponse response;
      grpc::Status status =
          stub.ComputeNps(Context().get(), request, &response);
      expect(status, response.result().value(), 25, "typed nps");
      break;
    }
    case 1: {
      v1::ComputeChurnRateRequest request;
      request.set_customers_at_start(1000);
      request.set_customers_lost(50);
      v1::ComputeChurnRateResponse response;
      grpc::Status status =
          stub.ComputeChurnRate(Context().get(), request, &response);
      expect(status, response.result().value(), 5, "typed churn_rate");
      break;
    }
    case 2: {
      v1::ComputeRequest request;
      request.set_metric("health_score");
      (*request.mutable_parameters())["signals"].set_string_value(
          "usage:1:higher,tickets:1:lower");
      const char* customers[] = {"a", "a"};
      const char* signals[] = {"usage", "tickets"};
      v1::Column* customer = request.add_columns();
      customer->set_name("customer");
      v1::Column* signal = request.add_columns();
      signal->set_name("signal");
      v1::Column* value = request.add_columns();
      value->set_name("value");
      for (int i = 0; i < 2; ++i) {
        customer->mutable_strings()->add_values(customers[i]);
        signal->mutable_strings()->add_values(signals[i]);
        value->mutable_doubles()->add_values(i == 0 ? 80 : 40);
      }
      v1::ComputeResponse response;
      grpc::Status status = stub.Compute(Context().get(), request, &response);
      // usage 80, tickets 40 (lower is better: 60) -> 70.
      expect(status, response.result().value(), 70, "generic health_score");
      break;
    }
    case 3: {
      RawStream stream(channel);
      stream.Write(Serialized(NpsChunk({0, 10}, true)));
      stream.Write(Serialized(NpsChunk({5, 0})));
      stream.Write(Serialized(NpsChunk({9, 3})));
      v1::ComputeStreamResponse response;
      grpc::Status status = stream.Finish(&response);
      expect(status, response.result().value(), -100.0 / 3, "nps stream");
      break;
    }
    default: {
      // Grouped: segment 1 all promoters, segment 2 all detractors.
      v1::ComputeStreamRequest chunk = NpsChunk({10, 10, 0, 0}, true);
      chunk.add_group_by("segment");
      v1::Column* segment = chunk.add_columns();
      segment->set_name("segment");
      for (int64_t s : {1, 1, 2, 2}) segment->mutable_int64s()->add_values(s);
      RawStream stream(channel);
      stream.Write(Serialized(chunk));
      v1::ComputeStreamResponse response;
      grpc::Status status = stream.Finish(&response);
      const bool segments_right =
          response.result().segments_size() == 2 &&
          response.result().segments(0).result().value() == 100 &&
          response.result().segments(1).result().value() == -100;
      if (status.ok() && !segments_right) {
        tally.Fail("grouped nps: wrong segments " +
                   response.result().ShortDebugString());
      } else {
        expect(status, response.result().value(), 0, "grouped nps stream");
      }
      break;
    }
  }
}

// One bad input of each kind in turn: every one INVALID_ARGUMENT.
void BadCall(v1::MetricService::Stub& stub,
             const std::shared_ptr<grpc::Channel>& channel, int turn,
             Tally& tally) {
  grpc::Status status;
  switch (turn % 4) {
    case 0:
      status = RawUnary(channel, "/kpi.v1.MetricService/ComputeNps",
                        "\x0a\xff\xff\xff\xff\xff");
      break;
    case 1: {
      RawStream stream(channel);
      stream.Write(Serialized(NpsChunk({10}, true)));
      stream.Write("\xff garbage");
      status = stream.Finish();
      break;
    }
    case 2: {
      v1::ComputeNpsRequest request;
      request.add_scores(11);
      v1::ComputeNpsResponse response;
      status = stub.ComputeNps(Context().get(), request, &response);
      break;
    }
    default: {
      v1::ComputeMrrRequest request;
      request.add_customer("a");
      request.add_amount(10);
      request.add_billing_months(1);
      request.add_start(0);
      request.mutable_parameters()->mutable_as_of()->set_seconds(int64_t{1}
                                                                 << 62);
      v1::ComputeMrrResponse response;
      status = stub.ComputeMrr(Context().get(), request, &response);
    }
  }
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    ++tally.bad;
  } else {
    tally.Fail(absl::StrCat("bad input ", turn % 4, " answered ",
                            status.error_code(), " ", status.error_message()));
  }
}

TEST(SoakTest, MixedLoadWithFaultsLosesNothingAndStaysFlat) {
  const int seconds = SoakSeconds();
  absl::StatusOr<std::unique_ptr<ServerProcess>> started = ServerProcess::Start(
      KPI_SERVER_BINARY,
      {"--stream-idle-timeout-ms", "1000", "--max-calls-in-flight", "100000"});
  ASSERT_TRUE(started.ok()) << started.status();
  std::unique_ptr<ServerProcess> server = *std::move(started);
  auto channel = grpc::CreateChannel(server->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::MetricService::NewStub(channel);
  auto admin = v1::AdminService::NewStub(channel);

  Tally tally;
  const Clock::time_point start = Clock::now();
  const Clock::time_point stop = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  auto loop = [&](std::function<void(int)> body) {
    threads.emplace_back([&, body] {
      for (int turn = 0; Clock::now() < stop; ++turn) body(turn);
    });
  };
  for (int t = 0; t < 6; ++t) {
    // Each on a channel of its own: many connections, as real callers.
    auto own = grpc::CreateCustomChannel(
        server->address(), grpc::InsecureChannelCredentials(), [t] {
          grpc::ChannelArguments args;
          args.SetInt("kpi.soak.channel", t);
          return args;
        }());
    auto own_stub = std::shared_ptr<v1::MetricService::Stub>(
        v1::MetricService::NewStub(own));
    loop([&, own, own_stub](int turn) {
      ValidCall(*own_stub, own, turn, tally);
    });
  }
  loop([&](int turn) { BadCall(*stub, channel, turn, tally); });
  loop([&](int turn) {
    // Cancelled mid-stream, and unary calls whose deadline passes.
    if (turn % 2 == 0) {
      RawStream stream(channel);
      stream.Write(Serialized(NpsChunk({10, 9}, true)));
      stream.context().TryCancel();
      stream.Finish();
    } else {
      v1::ComputeNpsRequest request;
      double promoters = 0, detractors = 0;
      for (int i = 0; i < 100000; ++i) {
        request.add_scores(i % 11);
        promoters += i % 11 >= 9;
        detractors += i % 11 <= 6;
      }
      const double want = (promoters - detractors) / 1000;  // % of 100,000
      v1::ComputeNpsResponse response;
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::microseconds(500));
      grpc::Status status = stub->ComputeNps(&context, request, &response);
      if (status.ok() && std::fabs(response.result().value() - want) > 1e-9) {
        tally.Fail(absl::StrCat("a deadline call answered ",
                                response.result().value(), " not ", want));
      }
    }
    ++tally.cancelled;
  });
  loop([&](int) {
    // A stream that stalls until the server ends it (1 s idle).
    RawStream stream(channel);
    stream.Write(Serialized(NpsChunk({10}, true)));
    grpc::Status status = stream.Finish(nullptr, /*writes_done=*/false);
    if (status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      tally.Fail(absl::StrCat("a stalled stream ended ", status.error_code()));
    }
    ++tally.stalled;
  });
  loop([&](int) {
    v1::ReloadResponse response;
    grpc::Status status =
        admin->Reload(Context().get(), v1::ReloadRequest(), &response);
    if (!status.ok()) tally.Fail("reload: " + status.error_message());
    ++tally.reloads;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  });

  // Memory after warm-up (a third of the run), then every second: the
  // peak of the middle third, and that of the last. Under CPU starvation
  // (other tests beside this one, or two `yes` hogs) the allocator's
  // retention plateaus at 250-320 MiB, before or after the first third
  // depending on the run -- measured alike on the code before and after
  // the worker mailbox (session 24) -- so the last third is what must stay
  // flat: a leak keeps growing there, a plateau does not.
  std::this_thread::sleep_for(std::chrono::seconds(seconds) / 3);
  const long warm_kb = TreeRssKb(server->pid());
  const Clock::time_point late_from =
      start + std::chrono::seconds(seconds) * 2 / 3;
  long middle_kb = warm_kb;
  long peak_kb = 0;  // of the last third
  while (Clock::now() < stop) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const long rss_kb = TreeRssKb(server->pid());
    long& peak = Clock::now() < late_from ? middle_kb : peak_kb;
    peak = std::max(peak, rss_kb);
  }
  for (std::thread& thread : threads) thread.join();
  const long end_kb = TreeRssKb(server->pid());

  EXPECT_EQ(kill(server->pid(), 0), 0) << "the server died";
  EXPECT_EQ(tally.failures.load(), 0u) << tally.first_failure;
  EXPECT_GT(tally.valid.load(), 100u);
  EXPECT_GT(tally.bad.load(), 10u);
  EXPECT_GT(tally.stalled.load(), 2u);
  EXPECT_GT(tally.reloads.load(), 2u);
  // Flat: the last third within a fifth of the middle third's peak (plus
  // allocator slack). Not under AddressSanitizer, whose quarantine of freed
  // memory (256 MiB in each of the server and its workers) fills over the
  // whole run.
#ifndef __SANITIZE_ADDRESS__
  EXPECT_LE(peak_kb, middle_kb + middle_kb / 5 + 32 * 1024)
      << "RSS " << warm_kb << " KiB after warm-up, " << middle_kb
      << " at most in the middle third, " << peak_kb << " in the last";
#endif

  const std::string figures = absl::StrCat(
      seconds, " s: ", tally.valid.load(), " valid calls (",
      tally.failures.load(), " failed), ", tally.bad.load(),
      " bad inputs refused, ", tally.cancelled.load(),
      " cancelled or expired calls, ", tally.stalled.load(),
      " stalled streams ended, ", tally.reloads.load(),
      " reloads; server+workers RSS ", warm_kb / 1024, " MiB after warm-up, ",
      middle_kb / 1024, " MiB peak in the middle third, ", peak_kb / 1024,
      " MiB in the last, ", end_kb / 1024, " MiB at the end");
  std::cout << "soak: " << figures << std::endl;
  ::testing::Test::RecordProperty("figures", figures);
}

}  // namespace
}  // namespace kpi
