#include "metric_dispatch.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "call_args.h"
#include "metric_protos.h"
#include "quoted.h"

namespace kpi {
namespace {

// The metric in `config`, or NOT_FOUND naming it.
absl::StatusOr<std::shared_ptr<const Metric>> Lookup(
    const ServingConfig& config, absl::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("metric: a metric name is required");
  }
  std::shared_ptr<const Metric> metric = config.registry->Find(name);
  if (metric == nullptr) {
    return absl::NotFoundError(absl::StrCat("no loaded plugin provides metric ",
                                            Quoted(name), "; see ListMetrics"));
  }
  return metric;
}

// Looks the metric up, applies the call's profile to `first_chunk` and
// starts the call; the caller adds the chunk (the last, for unary calls:
// MetricCall::AddLastAndFinish).
absl::StatusOr<MetricCall> Start(const ServingConfig& config,
                                 absl::string_view metric_name,
                                 CallArgs* first_chunk,
                                 const Cancellation* cancellation,
                                 CallLimits limits) {
  absl::StatusOr<std::shared_ptr<const Metric>> metric =
      Lookup(config, metric_name);
  if (!metric.ok()) return metric.status();
  if (absl::Status s =
          config.profiles->Apply((*metric)->descriptor(), first_chunk);
      !s.ok()) {
    return s;
  }
  return MetricCall::Start(*std::move(metric), *first_chunk, cancellation,
                           limits);
}

void ComputeOnce(const ServingConfig& config, absl::string_view metric,
                 CallArgs& args, const Cancellation* cancellation,
                 CallLimits limits, MetricDispatch::Done done) {
  absl::StatusOr<MetricCall> call =
      Start(config, metric, &args, cancellation, limits);
  if (!call.ok()) {
    std::move(done)(call.status(), 0);
    return;
  }
  call->AddLastAndFinishThen(args, std::move(done));
}

// Runs `start(done)` and waits for its `done`.
absl::StatusOr<v1::MetricResult> Wait(
    absl::FunctionRef<void(MetricDispatch::Done)> start, uint64_t* rows) {
  absl::Notification finished;
  absl::StatusOr<v1::MetricResult> answer;
  start([&](absl::StatusOr<v1::MetricResult> result, uint64_t bound) {
    answer = std::move(result);
    if (rows != nullptr) *rows = bound;
    finished.Notify();
  });
  finished.WaitForNotification();
  return answer;
}

}  // namespace

bool MetricDispatch::InProcess(absl::string_view metric) const {
  std::shared_ptr<const Metric> found =
      config_->Current().registry->Find(metric);
  return found != nullptr && found->library().worker() == nullptr;
}

v1::ListMetricsResponse MetricDispatch::ListMetrics() const {
  v1::ListMetricsResponse response;
  for (const auto& metric : config_->Current().registry->metrics()) {
    *response.add_metrics() = metric->info();
  }
  return response;
}

absl::StatusOr<v1::DescribeMetricResponse> MetricDispatch::DescribeMetric(
    const v1::DescribeMetricRequest& request) const {
  absl::StatusOr<std::shared_ptr<const Metric>> metric =
      Lookup(config_->Current(), request.metric());
  if (!metric.ok()) return metric.status();
  v1::DescribeMetricResponse response;
  *response.mutable_metric() = (*metric)->info();
  return response;
}

absl::StatusOr<v1::GetMetricProtosResponse> MetricDispatch::GetMetricProtos(
    const v1::GetMetricProtosRequest& request) const {
  const std::shared_ptr<const MetricRegistry> registry =
      config_->Current().registry;
  absl::flat_hash_set<absl::string_view> loaded;
  for (const auto& library : registry->plugins()) {
    loaded.insert(library->descriptor().name);
  }
  for (const std::string& name : request.plugins()) {
    if (!loaded.contains(name)) {
      return absl::NotFoundError(
          absl::StrCat("no loaded plugin is named ", Quoted(name),
                       "; ListMetrics gives each metric's plugin"));
    }
  }
  const absl::flat_hash_set<absl::string_view> wanted(request.plugins().begin(),
                                                      request.plugins().end());
  v1::GetMetricProtosResponse response;
  for (const auto& library : registry->plugins()) {
    if (!wanted.empty() && !wanted.contains(library->descriptor().name)) {
      continue;
    }
    absl::StatusOr<v1::ProtoFile> file =
        PluginProtoSource(library->descriptor());
    if (!file.ok()) return file.status();
    *response.add_files() = *std::move(file);
  }
  // What the plugins' files import, so protoc needs nothing else.
  if (response.files_size() > 0) {
    for (v1::ProtoFile& imported : ImportedApiProtoFiles()) {
      *response.add_files() = std::move(imported);
    }
  }
  std::sort(response.mutable_files()->begin(), response.mutable_files()->end(),
            [](const v1::ProtoFile& a, const v1::ProtoFile& b) {
              return a.path() < b.path();
            });
  return response;
}

void MetricDispatch::ComputeThen(const v1::ComputeRequest& request,
                                 const Cancellation* cancellation,
                                 Done done) const {
  CallArgs args = ArgsFromRequest(request);
  ComputeOnce(config_->Current(), request.metric(), args, cancellation, limits_,
              std::move(done));
}

void MetricDispatch::ComputeTypedThen(absl::string_view metric,
                                      const google::protobuf::Message& request,
                                      const Cancellation* cancellation,
                                      Done done) const {
  absl::StatusOr<CallArgs> args = ArgsFromTypedRequest(request);
  if (!args.ok()) {
    std::move(done)(args.status(), 0);
    return;
  }
  ComputeOnce(config_->Current(), metric, *args, cancellation, limits_,
              std::move(done));
}

absl::StatusOr<v1::MetricResult> MetricDispatch::Compute(
    const v1::ComputeRequest& request, const Cancellation* cancellation,
    uint64_t* rows) const {
  return Wait(
      [&](Done done) { ComputeThen(request, cancellation, std::move(done)); },
      rows);
}

absl::StatusOr<v1::MetricResult> MetricDispatch::ComputeTyped(
    absl::string_view metric, const google::protobuf::Message& request,
    const Cancellation* cancellation, uint64_t* rows) const {
  return Wait(
      [&](Done done) {
        ComputeTypedThen(metric, request, cancellation, std::move(done));
      },
      rows);
}

absl::Status MetricDispatch::Stream::Add(
    const v1::ComputeStreamRequest& chunk) {
  if (absl::Status s = Bind(chunk); !s.ok()) return s;
  return SendBound();
}

absl::Status MetricDispatch::Stream::Bind(
    const v1::ComputeStreamRequest& chunk) {
  ++chunks_;
  if (!call_.has_value()) {
    metric_ = chunk.metric();
    serving_ = config_->Current();
    CallArgs first = ArgsFromRequest(chunk);
    absl::StatusOr<MetricCall> call =
        Start(*serving_, metric_, &first, cancellation_, limits_);
    if (!call.ok()) return call.status();
    call_.emplace(*std::move(call));
    return call_->Bind(first);
  }
  if (!chunk.metric().empty() && chunk.metric() != metric_) {
    return absl::InvalidArgumentError(
        absl::StrCat("chunk ", chunks_ - 1, ": metric ", Quoted(chunk.metric()),
                     " differs from the first chunk's ", Quoted(metric_)));
  }
  if (!chunk.parameters().empty() || !chunk.group_by().empty() ||
      !chunk.profile().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("chunk ", chunks_ - 1,
                     ": parameters, profile and group_by belong in the "
                     "first chunk of a stream"));
  }
  return call_->Bind(ArgsFromRequest(chunk));
}

void MetricDispatch::Stream::FinishThen(Done done) {
  if (!call_.has_value()) {
    std::move(done)(absl::InvalidArgumentError(
                        "the stream carried no chunks; the first names the "
                        "metric"),
                    0);
    return;
  }
  call_->FinishThen(std::move(done));
}

}  // namespace kpi
