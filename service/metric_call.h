// MetricCall: one metric computation from start to result, fed one chunk at
// a time. Compute is a MetricCall with one chunk; ComputeStream feeds each
// message as a chunk; typed calls are Compute with their fields mapped to
// inputs. So every path validates and dispatches the same way.
//
// Memory is flat in the number of chunks: each chunk is validated, folded
// into the plugin's state and released.
#ifndef KPI_SERVICE_METRIC_CALL_H_
#define KPI_SERVICE_METRIC_CALL_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "bound_params.h"
#include "call_args.h"
#include "kpi/v1/result.pb.h"
#include "metric.h"
#include "metric_state.h"

namespace kpi {

class MetricCall {
 public:
  // Binds `parameters` and creates the plugin state. INVALID_ARGUMENT for bad
  // parameters.
  static absl::StatusOr<MetricCall> Start(
      std::shared_ptr<const Metric> metric,
      const std::vector<NamedValue>& parameters);

  // Validates one chunk and folds it into the state. The first chunk may
  // carry scalars; later ones may not.
  absl::Status Add(const CallArgs& chunk);

  // The result. INVALID_ARGUMENT if a required column never arrived.
  absl::StatusOr<v1::MetricResult> Finish();

  uint64_t rows() const { return rows_; }

 private:
  MetricCall(std::shared_ptr<const Metric> metric, BoundParams params,
             MetricState state)
      : metric_(std::move(metric)),
        params_(std::move(params)),
        state_(std::move(state)) {}

  std::shared_ptr<const Metric> metric_;
  BoundParams params_;
  MetricState state_;
  uint64_t chunks_ = 0;
  uint64_t rows_ = 0;
  bool saw_columns_ = false;
};

// Start, one Add, Finish: the whole of a unary call.
absl::StatusOr<v1::MetricResult> ComputeOnce(
    std::shared_ptr<const Metric> metric, const CallArgs& args);

}  // namespace kpi

#endif  // KPI_SERVICE_METRIC_CALL_H_
