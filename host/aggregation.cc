#include "aggregation.h"

#include <utility>

namespace kpi {

absl::StatusOr<std::unique_ptr<LocalAggregation>> LocalAggregation::Start(
    std::shared_ptr<const Metric> metric,
    std::shared_ptr<const BoundParams> params,
    std::vector<std::string> group_by, const Cancellation* cancellation) {
  std::unique_ptr<LocalAggregation> aggregation(
      new LocalAggregation(cancellation));
  if (group_by.empty()) {
    absl::StatusOr<MetricState> state =
        MetricState::Create(std::move(metric), *params);
    if (!state.ok()) return state.status();
    aggregation->state_.emplace(*std::move(state));
  } else {
    aggregation->segments_.emplace(std::move(metric), std::move(params),
                                   std::move(group_by), cancellation);
  }
  return aggregation;
}

absl::Status LocalAggregation::Update(const kpi_chunk& chunk,
                                      const std::vector<ColumnArg>& keys) {
  kpi_chunk with_cancellation = chunk;
  Cancellation::Attach(cancellation_, with_cancellation);
  if (segments_) return segments_->Update(with_cancellation, keys);
  return state_->Update(with_cancellation);
}

absl::StatusOr<v1::MetricResult> LocalAggregation::Finish() {
  if (segments_) return segments_->Finish();
  return state_->Finalize();
}

}  // namespace kpi
