#include "inprocess_load.h"

#include <chrono>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "call_args.h"
#include "metric_call.h"
#include "metric_service.h"

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

// One streamed call, as MetricServiceImpl::ComputeStream makes it.
absl::StatusOr<v1::MetricResult> StreamCall(const MetricRegistry& registry,
                                            const StreamPayload& payload) {
  const v1::ComputeStreamRequest& first_chunk = payload.chunk(0);
  std::shared_ptr<const Metric> metric = registry.Find(first_chunk.metric());
  if (metric == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no metric '", first_chunk.metric(), "'"));
  }
  const CallArgs first = ArgsFromRequest(first_chunk);
  absl::StatusOr<MetricCall> call = MetricCall::Start(metric, first);
  if (!call.ok()) return call.status();
  if (absl::Status s = call->Add(first); !s.ok()) return s;
  for (size_t i = 1; i < payload.chunks(); ++i) {
    if (absl::Status s = call->Add(ArgsFromRequest(payload.chunk(i)));
        !s.ok()) {
      return s;
    }
  }
  return call->Finish();
}

}  // namespace

RunResult RunUnaryInProcess(const LiveConfig& config,
                            const std::string& case_name, int threads,
                            double warmup_seconds, double seconds) {
  MetricServiceImpl service(&config);
  const v1::ComputeNpsRequest nps = SmallNpsRequest();
  const v1::ComputeChurnRateRequest churn = SmallChurnRequest();
  // One handler call; the result lands in `out`.
  std::function<grpc::Status(v1::MetricResult&)> call;
  if (case_name == "small_nps") {
    call = [&](v1::MetricResult& out) {
      v1::ComputeNpsResponse response;
      grpc::Status status = service.ComputeNps(nullptr, &nps, &response);
      out = std::move(*response.mutable_result());
      return status;
    };
  } else {
    call = [&](v1::MetricResult& out) {
      v1::ComputeChurnRateResponse response;
      grpc::Status status =
          service.ComputeChurnRate(nullptr, &churn, &response);
      out = std::move(*response.mutable_result());
      return status;
    };
  }

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
        const grpc::Status status = call(out);
        const Clock::time_point end = Clock::now();
        if (start < measure_from || end > stop_at) continue;
        if (!status.ok()) {
          RecordError(absl::UnknownError(status.error_message()), result);
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
  const std::shared_ptr<const MetricRegistry> registry =
      config.Current().registry;
  RunResult result;
  result.case_name = case_name;
  const Clock::time_point start = Clock::now();
  do {
    const Clock::time_point call_start = Clock::now();
    absl::StatusOr<v1::MetricResult> answer = StreamCall(*registry, payload);
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
