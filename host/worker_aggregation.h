// WorkerAggregation: an Aggregation whose plugin states live in the plugin's
// worker process (plugin_worker.h). The call opens with its first chunk (so
// a unary call costs one round trip), each later chunk is sent without
// waiting -- the worker folds chunk k in while this process reads and
// validates chunk k + 1, and the worker's status for chunk k comes with
// chunk k + 1 or the result -- and the worker runs a LocalAggregation on
// exactly the values this process validated.
#ifndef KPI_HOST_WORKER_AGGREGATION_H_
#define KPI_HOST_WORKER_AGGREGATION_H_

#include <memory>
#include <string>
#include <vector>

#include "aggregation.h"
#include "bound_params.h"
#include "cancellation.h"
#include "metric.h"

namespace kpi {

// REQUIRES: metric->library().worker() is not null.
absl::StatusOr<std::unique_ptr<Aggregation>> StartWorkerAggregation(
    std::shared_ptr<const Metric> metric,
    std::shared_ptr<const BoundParams> params,
    std::vector<std::string> group_by, const Cancellation* cancellation);

}  // namespace kpi

#endif  // KPI_HOST_WORKER_AGGREGATION_H_
