// MetricState: a plugin's aggregate state for one call (or one segment), with
// its lifecycle -- create, update, merge, finalize, destroy -- behind a
// value-semantics C++ type. Plugin failures come back as absl::Status:
// KPI_STATUS_INVALID_ARGUMENT as INVALID_ARGUMENT, anything else as INTERNAL
// naming the plugin and the call.
//
// A MetricState holds its Metric (and so its library) alive. Not thread-safe:
// one thread at a time per state, as the ABI requires.
#ifndef KPI_HOST_METRIC_STATE_H_
#define KPI_HOST_METRIC_STATE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "bound_params.h"
#include "kpi/plugin_abi.h"
#include "kpi/v1/result.pb.h"
#include "metric.h"

namespace kpi {

class MetricState {
 public:
  // FAILED_PRECONDITION for a metric whose plugin runs in a worker
  // (plugin_worker.h): only the worker holds its states.
  static absl::StatusOr<MetricState> Create(
      std::shared_ptr<const Metric> metric, const BoundParams& params);

  MetricState(MetricState&& other) noexcept;
  MetricState& operator=(MetricState&& other) noexcept;
  MetricState(const MetricState&) = delete;
  MetricState& operator=(const MetricState&) = delete;
  ~MetricState();

  // REQUIRES: `chunk` was bound against this state's metric.
  absl::Status Update(const kpi_chunk& chunk);
  // Folds `other` into this state. REQUIRES: same metric.
  absl::Status Merge(const MetricState& other);
  // The result; INTERNAL if the plugin reports NaN, infinity, or neither a
  // value nor a reason (a plugin defect, not the caller's fault).
  absl::StatusOr<v1::MetricResult> Finalize() const;

  const Metric& metric() const { return *metric_; }

 private:
  MetricState(std::shared_ptr<const Metric> metric, void* state)
      : metric_(std::move(metric)), state_(state) {}

  std::shared_ptr<const Metric> metric_;
  void* state_;  // owned; destroyed through the plugin
};

}  // namespace kpi

#endif  // KPI_HOST_METRIC_STATE_H_
