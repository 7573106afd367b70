#include "worker_aggregation.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "plugin_worker.h"
#include "worker_protocol.h"

namespace kpi {
namespace {

class WorkerAggregation final : public Aggregation {
 public:
  WorkerAggregation(std::shared_ptr<const Metric> metric,
                    std::shared_ptr<const BoundParams> params,
                    std::vector<std::string> group_by,
                    const Cancellation* cancellation)
      : metric_(std::move(metric)),
        params_(std::move(params)),
        group_by_(std::move(group_by)),
        cancellation_(cancellation),
        worker_(*metric_->library().worker()),
        call_(worker_.NewCall()) {}

  ~WorkerAggregation() override {
    if (generation_ != 0 && !closed_) worker_.Drop(generation_, call_);
  }

  absl::Status Update(const kpi_chunk& chunk,
                      const std::vector<ColumnArg>& keys) override {
    absl::Status status = Send(&chunk, &keys, /*finish=*/false, nullptr);
    // The worker forgets a call at its first failure.
    if (!status.ok()) closed_ = true;
    return status;
  }

  absl::StatusOr<v1::MetricResult> Finish() override {
    return Result(nullptr, nullptr);
  }

  absl::StatusOr<v1::MetricResult> UpdateAndFinish(
      const kpi_chunk& chunk, const std::vector<ColumnArg>& keys) override {
    return Result(&chunk, &keys);
  }

 private:
  // One exchange: the call's kOpen if not sent yet, then kUpdate with
  // `chunk` (if any), then kFinish (if `finish`).
  absl::Status Send(const kpi_chunk* chunk, const std::vector<ColumnArg>* keys,
                    bool finish, std::string* result) {
    const bool opening = generation_ == 0;
    return worker_.Exchange(
        generation_,
        [&](WireWriter& out) {
          if (opening) {
            WriteOpen(out, call_, MetricIndex(), *params_, group_by_);
          }
          if (chunk != nullptr) WriteUpdate(out, call_, *chunk, *keys);
          if (finish) WriteCallOp(out, WorkerOp::kFinish, call_);
        },
        result, cancellation_);
  }

  absl::StatusOr<v1::MetricResult> Result(const kpi_chunk* chunk,
                                          const std::vector<ColumnArg>* keys) {
    std::string bytes;
    absl::Status status = Send(chunk, keys, /*finish=*/true, &bytes);
    closed_ = true;
    if (!status.ok()) return status;
    v1::MetricResult result;
    if (!result.ParseFromString(bytes)) {
      return absl::InternalError(
          absl::StrCat("plugin '", metric_->library().descriptor().name,
                       "': its worker sent a result that does not parse"));
    }
    return result;
  }

  uint32_t MetricIndex() const {
    return static_cast<uint32_t>(&metric_->descriptor() -
                                 metric_->library().descriptor().metrics);
  }

  std::shared_ptr<const Metric> metric_;
  std::shared_ptr<const BoundParams> params_;
  std::vector<std::string> group_by_;
  const Cancellation* cancellation_;
  PluginWorker& worker_;  // kept alive by metric_'s library
  const uint64_t call_;
  uint64_t generation_ = 0;  // the worker process that holds the call
  bool closed_ = false;
  std::unique_ptr<PluginWorker::Pending> pending_;  // the chunk last sent
};

}  // namespace

absl::StatusOr<std::unique_ptr<Aggregation>> StartWorkerAggregation(
    std::shared_ptr<const Metric> metric,
    std::shared_ptr<const BoundParams> params,
    std::vector<std::string> group_by, const Cancellation* cancellation) {
  return std::unique_ptr<Aggregation>(new WorkerAggregation(
      std::move(metric), std::move(params), std::move(group_by), cancellation));
}

}  // namespace kpi
