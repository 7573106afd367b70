// Aggregation: where a call's validated chunks are folded into plugin states
// and its result is made. LocalAggregation runs the plugin's code in this
// process -- one MetricState, or one per segment for group_by -- and is what
// a plugin worker runs for the server; WorkerAggregation
// (worker_aggregation.h) sends the same chunks to the plugin's worker.
// MetricCall validates, then hands every chunk to one of them, so both
// isolation modes compute with the same code on the same values and give
// bit-identical results.
#ifndef KPI_HOST_AGGREGATION_H_
#define KPI_HOST_AGGREGATION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "bound_params.h"
#include "call_args.h"
#include "cancellation.h"
#include "kpi/plugin_abi.h"
#include "kpi/v1/result.pb.h"
#include "metric.h"
#include "metric_state.h"
#include "segmented_state.h"

namespace kpi {

class Aggregation {
 public:
  virtual ~Aggregation() = default;
  // Folds one validated chunk in. `keys` are the chunk's group_by columns,
  // in group_by order (empty when the call is not grouped). May return
  // before the chunk is folded in (a worker computes it meanwhile); a
  // failure to fold it in then comes back from the next call on this
  // aggregation. `chunk` and `keys` need not outlive the call.
  virtual absl::Status Update(const kpi_chunk& chunk,
                              const std::vector<ColumnArg>& keys) = 0;
  // The result: the metric of every row, with one segment result per
  // segment when grouped.
  virtual absl::StatusOr<v1::MetricResult> Finish() = 0;
  // Update with the call's last chunk, then Finish: what a unary call does,
  // which a worker does in one round trip.
  virtual absl::StatusOr<v1::MetricResult> UpdateAndFinish(
      const kpi_chunk& chunk, const std::vector<ColumnArg>& keys) {
    if (absl::Status s = Update(chunk, keys); !s.ok()) return s;
    return Finish();
  }
  // What runs once an aggregation has settled (DeferUntilSettled).
  using Resume = absl::AnyInvocable<void() &&>;
  // True if plugin work of this aggregation is in flight (a chunk Update
  // sent to a worker): `resume` then runs once it is done, on the reply
  // thread (so it must be quick), and until then the aggregation's
  // cancellation may still be asked. False (and `resume` is dropped) if
  // nothing is in flight. A failure of that work comes back from the next
  // Update or Finish. So a caller waits for a worker without holding a
  // thread.
  virtual bool DeferUntilSettled(Resume /*resume*/) { return false; }
  // UpdateAndFinish, with the result passed to `done` (exactly once) rather
  // than returned: in this process, before this returns; from a worker,
  // later, on the reply thread (plugin_worker.h, SendThen), so the calling
  // thread is not held while the plugin computes. The aggregation may be
  // destroyed as soon as this returns.
  using ResultCallback =
      absl::AnyInvocable<void(absl::StatusOr<v1::MetricResult>) &&>;
  virtual void UpdateAndFinishThen(const kpi_chunk& chunk,
                                   const std::vector<ColumnArg>& keys,
                                   ResultCallback done) {
    std::move(done)(UpdateAndFinish(chunk, keys));
  }
  // Finish, with the result passed to `done` as UpdateAndFinishThen does.
  virtual void FinishThen(ResultCallback done) { std::move(done)(Finish()); }
};

class LocalAggregation final : public Aggregation {
 public:
  // Creates no state yet: the state is created with the first chunk, or
  // at Finish for a call with none (grouped: one per segment as segments
  // appear); the plugin's create() errors come back from that Update or
  // Finish, as MetricState::Create reports them. By then the host has bound
  // the first chunk, so an error in its rows wins over a parameter the
  // plugin refuses in both isolation modes alike (a worker creates its
  // state when the first chunk reaches it). `cancellation` (may be null) is
  // asked between segments and given to the plugin with every chunk; it
  // must outlive the aggregation.
  static absl::StatusOr<std::unique_ptr<LocalAggregation>> Start(
      std::shared_ptr<const Metric> metric,
      std::shared_ptr<const BoundParams> params,
      std::vector<std::string> group_by, const Cancellation* cancellation);

  absl::Status Update(const kpi_chunk& chunk,
                      const std::vector<ColumnArg>& keys) override;
  absl::StatusOr<v1::MetricResult> Finish() override;

 private:
  LocalAggregation(std::shared_ptr<const Metric> metric,
                   std::shared_ptr<const BoundParams> params,
                   const Cancellation* cancellation)
      : metric_(std::move(metric)),
        params_(std::move(params)),
        cancellation_(cancellation) {}
  // OK, or why the call must stop.
  absl::Status Cancelled() const;
  // Creates the single state if the call is not grouped and has none yet.
  absl::Status EnsureState();

  std::shared_ptr<const Metric> metric_;
  std::shared_ptr<const BoundParams> params_;
  const Cancellation* cancellation_;
  // At most one is set: the single state (from the first chunk on), or one
  // per segment.
  std::optional<MetricState> state_;
  std::optional<SegmentedState> segments_;
};

}  // namespace kpi

#endif  // KPI_HOST_AGGREGATION_H_
