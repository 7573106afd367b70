#include "inprocess_load.h"

#include <chrono>
#include <functional>
#include <future>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "call_args.h"
#include "metric_call.h"
#include "metric_dispatch.h"

namespace kpi::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

void RecordError(const absl::Status& status, RunResult& result) {
  ++result.errors;
  if (result.first_error.empty()) result.first_error = status.ToString();
}

// Blocks until `stream`'s plugin work in flight, if any, is done.
void Settle(MetricDispatch::Stream& stream) {
  std::promise<void> settled;
  if (stream.DeferUntilSettled([&settled] { settled.set_value(); })) {
    settled.get_future().wait();
  }
}

// One streamed call, as the service's ComputeStream makes it (blocking
// where the service gives its thread back).
absl::StatusOr<v1::MetricResult> StreamCall(const MetricDispatch& dispatch,
                                            const StreamPayload& payload) {
  MetricDispatch::Stream stream = dispatch.StartStream(nullptr);
  for (size_t i = 0; i < payload.chunks(); ++i) {
    Settle(stream);
    if (absl::Status s = stream.Add(payload.chunk(i)); !s.ok()) return s;
  }
  Settle(stream);
  std::promise<absl::StatusOr<v1::MetricResult>> finished;
  stream.FinishThen(
      [&finished](absl::StatusOr<v1::MetricResult> result, uint64_t /*rows*/) {
        finished.set_value(std::move(result));
      });
  return finished.get_future().get();
}

}  // namespace

RunResult RunUnaryInProcess(const LiveConfig& config,
                            const std::string& case_name, int threads,
                            double warmup_seconds, double seconds) {
  const MetricDispatch dispatch(&config);
  const v1::ComputeNpsRequest nps = SmallNpsRequest();
  const v1::ComputeChurnRateRequest churn = SmallChurnRequest();
  const bool is_nps = case_name == "small_nps";
  // One typed call, as the service computes it; the result lands in `out`.
  auto call = [&](v1::MetricResult& out) {
    absl::StatusOr<v1::MetricResult> result =
        is_nps ? dispatch.ComputeTyped("nps", nps, nullptr)
               : dispatch.ComputeTyped("churn_rate", churn, nullptr);
    if (!result.ok()) return result.status();
    out = *std::move(result);
    return absl::OkStatus();
  };

  const Clock::time_point measure_from =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(warmup_seconds));
  const Clock::time_point stop_at =
      measure_from + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(seconds));
  std::vector<RunResult> per_thread(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (RunResult& result : per_thread) {
    workers.emplace_back([&] {
      v1::MetricResult out;
      for (Clock::time_point start = Clock::now(); start < stop_at;
           start = Clock::now()) {
        const absl::Status status = call(out);
        const Clock::time_point end = Clock::now();
        if (start < measure_from || end > stop_at) continue;
        if (!status.ok()) {
          RecordError(status, result);
          continue;
        }
        ++result.calls;
        result.latency_us.push_back(Seconds(end - start) * 1e6);
        if (out.has_value()) result.value = out.value();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  RunResult total;
  total.case_name = case_name;
  total.seconds = Seconds(stop_at - measure_from);
  for (RunResult& result : per_thread) total.Absorb(std::move(result));
  return total;
}

RunResult RunStreamInProcess(const LiveConfig& config,
                             const std::string& case_name,
                             const StreamPayload& payload, double min_seconds) {
  const MetricDispatch dispatch(&config);
  RunResult result;
  result.case_name = case_name;
  const Clock::time_point start = Clock::now();
  do {
    const Clock::time_point call_start = Clock::now();
    absl::StatusOr<v1::MetricResult> answer = StreamCall(dispatch, payload);
    if (!answer.ok()) {
      RecordError(answer.status(), result);
      break;
    }
    ++result.calls;
    result.rows += payload.rows();
    result.latency_us.push_back(Seconds(Clock::now() - call_start) * 1e6);
    if (answer->has_value()) result.value = answer->value();
  } while (Seconds(Clock::now() - start) < min_seconds);
  result.seconds = Seconds(Clock::now() - start);
  return result;
}

}  // namespace kpi::bench
