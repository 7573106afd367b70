// MetricCall: one metric computation from start to result, fed one chunk at
// a time. Compute is a MetricCall with one chunk; ComputeStream feeds each
// message as a chunk; typed calls are Compute with their fields mapped to
// inputs. So every path validates and dispatches the same way, grouped
// (group_by) or not.
//
// Memory is flat in the number of chunks: each chunk is validated, folded
// into the plugin's state (or its segments' states) and released.
#ifndef KPI_HOST_METRIC_CALL_H_
#define KPI_HOST_METRIC_CALL_H_

#include <cstdint>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "aggregation.h"
#include "bound_chunk.h"
#include "bound_params.h"
#include "call_args.h"
#include "call_keys.h"
#include "cancellation.h"
#include "kpi/v1/result.pb.h"
#include "metric.h"

namespace kpi {

// What one call may hold; past a limit the call fails RESOURCE_EXHAUSTED
// naming it and the server flag that raises it.
struct CallLimits {
  // Rows (kpi-server --max-rows-per-call).
  uint64_t max_rows = 2147483647;  // 2^31 - 1
  // Distinct keys of one KEY input (kpi-server --max-distinct-keys).
  uint64_t max_distinct_keys = CallKeys::kDefaultMaxKeys;
};

class MetricCall {
 public:
  // Binds the first chunk's parameters, chooses the input form from the
  // inputs it carries, checks the required parameters of that form and
  // group_by, and creates the plugin state. INVALID_ARGUMENT naming what is
  // wrong. Does not consume the chunk's rows: pass it to Add() next.
  //
  // `cancellation` (may be null: never cancelled) is asked before every
  // chunk and between segments, and handed to the plugin; it must outlive
  // the call. The plugin's code runs where its library does: in this
  // process, or in its worker (plugin_worker.h).
  //
  // A call that passes one of `limits` fails RESOURCE_EXHAUSTED naming it.
  static absl::StatusOr<MetricCall> Start(
      std::shared_ptr<const Metric> metric, const CallArgs& first_chunk,
      const Cancellation* cancellation = nullptr, CallLimits limits = {});

  // Validates one chunk and folds it into the state. The first chunk may
  // carry scalars; later ones may not. CANCELLED or DEADLINE_EXCEEDED once
  // the call's cancellation says so.
  absl::Status Add(const CallArgs& chunk);
  // Add in two steps, so a stream can check and bind its next chunk while
  // the chunk before is still in a plugin worker: Bind validates `chunk`
  // and holds it bound (its request must stay alive, unchanged, until
  // SendBound); SendBound folds it in. REQUIRES for Bind: no chunk is held
  // bound; for SendBound: one is, and no plugin work is in flight
  // (DeferUntilSettled said so).
  absl::Status Bind(const CallArgs& chunk);
  absl::Status SendBound();

  // The result. INVALID_ARGUMENT if a required column never arrived.
  absl::StatusOr<v1::MetricResult> Finish();
  // True if plugin work of the call is in flight; `resume` runs once it is
  // done (Aggregation::DeferUntilSettled).
  bool DeferUntilSettled(Aggregation::Resume resume) {
    return aggregation_->DeferUntilSettled(std::move(resume));
  }

  // Add(last_chunk) then Finish(), in one exchange with a plugin worker.
  absl::StatusOr<v1::MetricResult> AddLastAndFinish(const CallArgs& chunk);
  // The same, with the result and the call's rows passed to `done`
  // (exactly once): before this returns for a plugin in this process or a
  // refused chunk; later, on the reply thread, from a plugin worker
  // (Aggregation::UpdateAndFinishThen). The call may be destroyed as soon
  // as this returns.
  using Done = absl::AnyInvocable<void(absl::StatusOr<v1::MetricResult> result,
                                       uint64_t rows) &&>;
  void AddLastAndFinishThen(const CallArgs& chunk, Done done);
  // Finish, with the result passed to `done` as AddLastAndFinishThen does.
  void FinishThen(Done done);

  // Rows added so far (bound and validated).
  uint64_t rows() const { return rows_; }

 private:
  MetricCall(std::shared_ptr<const Metric> metric,
             std::shared_ptr<const BoundParams> params, const char* form,
             std::vector<std::string> group_by,
             const Cancellation* cancellation, CallLimits limits);

  // Checks `chunk` and binds it (into `bound`), with its group_by key
  // columns in `keys`.
  absl::Status Prepare(const CallArgs& chunk, std::optional<BoundChunk>& bound,
                       std::vector<ColumnArg>& keys);
  // INVALID_ARGUMENT naming a required column that never arrived.
  absl::Status CheckComplete() const;

  std::shared_ptr<const Metric> metric_;
  std::shared_ptr<const BoundParams> params_;
  const char* form_;  // owned by the plugin descriptor; may be null
  std::vector<std::string> group_by_;
  const Cancellation* cancellation_;
  // Declared before aggregation_: the plugin states it holds may keep
  // pointers to these dictionaries until they are destroyed.
  std::unique_ptr<CallKeys> keys_;
  std::unique_ptr<Aggregation> aggregation_;
  // The chunk Bind holds until SendBound, and its group_by key columns.
  std::optional<BoundChunk> bound_;
  std::vector<ColumnArg> bound_keys_;
  uint64_t chunks_ = 0;
  uint64_t rows_ = 0;
  uint64_t max_rows_;
  bool saw_columns_ = false;
};

// Start, one Add, Finish: the whole of a unary call.
absl::StatusOr<v1::MetricResult> ComputeOnce(
    std::shared_ptr<const Metric> metric, const CallArgs& args,
    const Cancellation* cancellation = nullptr);

}  // namespace kpi

#endif  // KPI_HOST_METRIC_CALL_H_
