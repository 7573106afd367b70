#include "metric_call.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bound_chunk.h"

namespace kpi {

absl::StatusOr<MetricCall> MetricCall::Start(
    std::shared_ptr<const Metric> metric,
    const std::vector<NamedValue>& parameters) {
  absl::StatusOr<BoundParams> params =
      BoundParams::Bind(metric->descriptor(), parameters);
  if (!params.ok()) return params.status();
  absl::StatusOr<MetricState> state = MetricState::Create(metric, *params);
  if (!state.ok()) return state.status();
  return MetricCall(std::move(metric), *std::move(params), *std::move(state));
}

absl::Status MetricCall::Add(const CallArgs& chunk) {
  absl::StatusOr<BoundChunk> bound =
      BoundChunk::Bind(metric_->descriptor(), params_, chunk,
                       ChunkPosition{chunks_ == 0, rows_});
  if (!bound.ok()) return bound.status();
  ++chunks_;
  rows_ += bound->rows();
  saw_columns_ = saw_columns_ || bound->has_columns();
  return state_.Update(bound->chunk());
}

absl::StatusOr<v1::MetricResult> MetricCall::Finish() {
  const kpi_metric_descriptor& d = metric_->descriptor();
  for (size_t i = 0; i < d.num_inputs && !saw_columns_; ++i) {
    const kpi_input_spec& spec = d.inputs[i];
    if (spec.kind == KPI_INPUT_COLUMN && (spec.flags & KPI_INPUT_REQUIRED)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", spec.name, "': required by ", d.name, " but missing"));
    }
  }
  return state_.Finalize();
}

absl::StatusOr<v1::MetricResult> ComputeOnce(
    std::shared_ptr<const Metric> metric, const CallArgs& args) {
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(std::move(metric), args.parameters);
  if (!call.ok()) return call.status();
  if (absl::Status s = call->Add(args); !s.ok()) return s;
  return call->Finish();
}

}  // namespace kpi
