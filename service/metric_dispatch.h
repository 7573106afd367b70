// MetricDispatch: what each kpi.v1.MetricService method computes, with no
// transport in it -- the requests are parsed messages, the answers values
// or absl::Status. The gRPC service (metric_service.h) is glue around it;
// the benchmarks call it directly to measure the compute path alone.
//
// Every computing method -- generic, streamed or typed -- goes through
// MetricCall, so validation and dispatch are one path. Each call takes one
// snapshot of the live configuration (plugins and profiles) and keeps it to
// its end, so a reload never changes a running call.
//
// Thread-safe; a Stream is used by one thread at a time.
#ifndef KPI_SERVICE_METRIC_DISPATCH_H_
#define KPI_SERVICE_METRIC_DISPATCH_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "cancellation.h"
#include "kpi/v1/metric_service.pb.h"
#include "live_config.h"
#include "metric_call.h"

namespace kpi {

class MetricDispatch {
 public:
  // `config` must outlive the dispatch. A call passing one of `limits`
  // fails RESOURCE_EXHAUSTED (MetricCall::Start).
  explicit MetricDispatch(const LiveConfig* config, CallLimits limits = {})
      : config_(config), limits_(limits) {}

  v1::ListMetricsResponse ListMetrics() const;
  // Whether `metric` is served by a plugin in this process (not in a
  // worker); false if no plugin serves it.
  bool InProcess(absl::string_view metric) const;
  absl::StatusOr<v1::DescribeMetricResponse> DescribeMetric(
      const v1::DescribeMetricRequest& request) const;
  // The .proto files of the plugins `request` names (every loaded plugin
  // when it names none); NOT_FOUND naming a plugin that is not loaded.
  absl::StatusOr<v1::GetMetricProtosResponse> GetMetricProtos(
      const v1::GetMetricProtosRequest& request) const;

  // `cancellation` (may be null: never cancelled) must outlive the call.
  // `*rows` (if not null) is set to the rows the call bound.
  absl::StatusOr<v1::MetricResult> Compute(const v1::ComputeRequest& request,
                                           const Cancellation* cancellation,
                                           uint64_t* rows = nullptr) const;
  // A typed request: its fields are the inputs and parameters of `metric`
  // (call_args.h).
  absl::StatusOr<v1::MetricResult> ComputeTyped(
      absl::string_view metric, const google::protobuf::Message& request,
      const Cancellation* cancellation, uint64_t* rows = nullptr) const;

  // Compute and ComputeTyped without waiting for a plugin worker: `done`
  // gets the result and the rows bound, exactly once -- before these
  // return when the plugin runs in this process or the request is refused;
  // otherwise on the reply thread once the worker answers (so `done` must
  // be quick). `request` may be destroyed once these return;
  // `cancellation` must outlive `done`'s run.
  using Done = MetricCall::Done;
  void ComputeThen(const v1::ComputeRequest& request,
                   const Cancellation* cancellation, Done done) const;
  void ComputeTypedThen(absl::string_view metric,
                        const google::protobuf::Message& request,
                        const Cancellation* cancellation, Done done) const;

  // One ComputeStream call, fed chunk by chunk. The first chunk names the
  // metric and carries parameters, profile and group_by; later chunks carry
  // rows only. Add() consumes the chunk: it may be reused afterwards.
  class Stream {
   public:
    absl::Status Add(const v1::ComputeStreamRequest& chunk);
    // Add in two steps (MetricCall::Bind): Bind checks and binds `chunk`
    // -- while the chunk before may still be in a plugin worker -- and
    // SendBound, once the stream has settled, folds it in. `chunk` must
    // stay alive, unchanged, until SendBound returns.
    absl::Status Bind(const v1::ComputeStreamRequest& chunk);
    absl::Status SendBound() { return call_->SendBound(); }
    // The result over every chunk added, to `done` as ComputeThen's;
    // INVALID_ARGUMENT if there was none.
    void FinishThen(Done done);
    // True if plugin work of the stream is in flight; `resume` runs (on the
    // reply thread) once it is done. Add and FinishThen come after that,
    // and the call's context may end only then.
    bool DeferUntilSettled(Aggregation::Resume resume) {
      return call_ && call_->DeferUntilSettled(std::move(resume));
    }
    uint64_t chunks() const { return chunks_; }
    // Rows added so far.
    uint64_t rows() const { return call_ ? call_->rows() : 0; }
    // The metric the first chunk named; empty before it.
    const std::string& metric() const { return metric_; }

   private:
    friend class MetricDispatch;
    Stream(const LiveConfig* config, const Cancellation* cancellation,
           CallLimits limits)
        : config_(config), cancellation_(cancellation), limits_(limits) {}

    const LiveConfig* config_;
    const Cancellation* cancellation_;
    CallLimits limits_;
    std::string metric_;
    std::optional<ServingConfig> serving_;
    std::optional<MetricCall> call_;
    uint64_t chunks_ = 0;
  };
  Stream StartStream(const Cancellation* cancellation) const {
    return Stream(config_, cancellation, limits_);
  }

 private:
  const LiveConfig* config_;
  CallLimits limits_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_METRIC_DISPATCH_H_
