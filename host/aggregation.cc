#include "aggregation.h"

#include <utility>

namespace kpi {

absl::StatusOr<std::unique_ptr<LocalAggregation>> LocalAggregation::Start(
    std::shared_ptr<const Metric> metric,
    std::shared_ptr<const BoundParams> params,
    std::vector<std::string> group_by, const Cancellation* cancellation) {
  std::unique_ptr<LocalAggregation> aggregation(
      new LocalAggregation(metric, params, cancellation));
  if (!group_by.empty()) {
    aggregation->segments_.emplace(std::move(metric), std::move(params),
                                   std::move(group_by), cancellation);
  }
  return aggregation;
}

absl::Status LocalAggregation::EnsureState() {
  if (segments_ || state_) return absl::OkStatus();
  absl::StatusOr<MetricState> state = MetricState::Create(metric_, *params_);
  if (!state.ok()) return state.status();
  state_.emplace(*std::move(state));
  return absl::OkStatus();
}

absl::Status LocalAggregation::Update(const kpi_chunk& chunk,
                                      const std::vector<ColumnArg>& keys) {
  if (absl::Status s = EnsureState(); !s.ok()) return s;
  kpi_chunk with_cancellation = chunk;
  Cancellation::Attach(cancellation_, with_cancellation);
  const absl::Status status = segments_
                                  ? segments_->Update(with_cancellation, keys)
                                  : state_->Update(with_cancellation);
  if (!status.ok()) return status;
  // A plugin that saw the cancellation may have returned early, leaving its
  // state partial: such a call must not answer.
  return Cancelled();
}

absl::StatusOr<v1::MetricResult> LocalAggregation::Finish() {
  if (absl::Status s = Cancelled(); !s.ok()) return s;
  if (absl::Status s = EnsureState(); !s.ok()) return s;
  if (segments_) return segments_->Finish();
  return state_->Finalize();
}

absl::Status LocalAggregation::Cancelled() const {
  return cancellation_ ? cancellation_->Check() : absl::OkStatus();
}

}  // namespace kpi
