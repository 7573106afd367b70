#include "metric_call.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "bound_chunk.h"
#include "input_form.h"
#include "quoted.h"
#include "worker_aggregation.h"

namespace kpi {
namespace {

constexpr size_t kMaxGroupByColumns = 8;

bool IsDeclaredInput(const kpi_metric_descriptor& metric,
                     absl::string_view name) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    if (name == metric.inputs[i].name) return true;
  }
  return false;
}

absl::Status CheckGroupBy(const kpi_metric_descriptor& metric,
                          const CallArgs& first) {
  if (first.group_by.empty()) return absl::OkStatus();
  if (first.group_by.size() > kMaxGroupByColumns) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_by: at most ", kMaxGroupByColumns, " columns"));
  }
  if (!first.scalars.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "group_by needs row inputs, but scalar input '", first.scalars[0].name,
        "' has no rows to group; send records instead"));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (absl::string_view name : first.group_by) {
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by: column ", Quoted(name), " named twice"));
    }
    if (IsDeclaredInput(metric, name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by: ", Quoted(name), " is an input of ",
                       metric.name, "; group by a separate column"));
    }
  }
  return absl::OkStatus();
}

// Splits `chunk` into the metric's own inputs and the group_by key columns
// (in group_by order), checking that every key column is there, has a key
// type and one value per row.
absl::Status SplitKeys(const std::vector<std::string>& group_by,
                       const CallArgs& chunk, CallArgs& inputs,
                       std::vector<ColumnArg>& keys) {
  inputs.scalars = chunk.scalars;
  inputs.parameters = chunk.parameters;
  keys.assign(group_by.size(), ColumnArg{});
  std::vector<bool> found(group_by.size(), false);
  for (const ColumnArg& column : chunk.columns) {
    size_t k = 0;
    while (k < group_by.size() && group_by[k] != column.name) ++k;
    if (k == group_by.size()) {
      inputs.columns.push_back(column);
      continue;
    }
    if (column.type != KPI_TYPE_STRING && column.type != KPI_TYPE_INT64 &&
        column.type != KPI_TYPE_TIMESTAMP) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by column '", column.name,
                       "' must hold strings, int64s or timestamps"));
    }
    keys[k] = column;
    found[k] = true;
  }
  if (inputs.columns.empty()) return absl::OkStatus();  // a chunk of no rows
  const size_t rows = inputs.columns[0].length;
  for (size_t k = 0; k < group_by.size(); ++k) {
    if (!found[k]) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by column ", Quoted(group_by[k]),
                       " is missing from the chunk"));
    }
    if (keys[k].length != rows) {
      return absl::InvalidArgumentError(
          absl::StrCat("group_by column ", Quoted(group_by[k]), " has ",
                       keys[k].length, " rows but the inputs have ", rows));
    }
  }
  return absl::OkStatus();
}

}  // namespace

MetricCall::MetricCall(std::shared_ptr<const Metric> metric,
                       std::shared_ptr<const BoundParams> params,
                       const char* form, std::vector<std::string> group_by,
                       const Cancellation* cancellation, CallLimits limits)
    : metric_(std::move(metric)),
      params_(std::move(params)),
      form_(form),
      group_by_(std::move(group_by)),
      cancellation_(cancellation),
      keys_(std::make_unique<CallKeys>(metric_->descriptor(),
                                       limits.max_distinct_keys)),
      max_rows_(limits.max_rows) {}

absl::StatusOr<MetricCall> MetricCall::Start(
    std::shared_ptr<const Metric> metric, const CallArgs& first_chunk,
    const Cancellation* cancellation, CallLimits limits) {
  const kpi_metric_descriptor& descriptor = metric->descriptor();
  absl::StatusOr<BoundParams> params = BoundParams::Bind(
      descriptor, first_chunk.parameters, metric->list_params());
  if (!params.ok()) return params.status();
  absl::StatusOr<const char*> form = ChooseInputForm(descriptor, first_chunk);
  if (!form.ok()) return form.status();
  if (absl::Status s = params->CheckRequired(*form); !s.ok()) return s;
  if (absl::Status s = CheckGroupBy(descriptor, first_chunk); !s.ok()) {
    return s;
  }
  auto shared_params = std::make_shared<const BoundParams>(*std::move(params));
  MetricCall call(metric, shared_params, *form,
                  std::vector<std::string>(first_chunk.group_by.begin(),
                                           first_chunk.group_by.end()),
                  cancellation, limits);
  absl::StatusOr<std::unique_ptr<Aggregation>> aggregation =
      metric->library().worker() != nullptr
          ? StartWorkerAggregation(metric, shared_params, call.group_by_,
                                   cancellation)
          : LocalAggregation::Start(metric, shared_params, call.group_by_,
                                    cancellation);
  if (!aggregation.ok()) return aggregation.status();
  call.aggregation_ = *std::move(aggregation);
  return call;
}

absl::Status MetricCall::Prepare(const CallArgs& chunk,
                                 std::optional<BoundChunk>& bound,
                                 std::vector<ColumnArg>& keys) {
  if (cancellation_ != nullptr) {
    if (absl::Status s = cancellation_->Check(); !s.ok()) return s;
  }
  CallArgs inputs;
  const CallArgs* to_bind = &chunk;
  if (!group_by_.empty()) {
    if (absl::Status s = SplitKeys(group_by_, chunk, inputs, keys); !s.ok()) {
      return s;
    }
    to_bind = &inputs;
  }
  absl::StatusOr<BoundChunk> bound_chunk =
      BoundChunk::Bind(metric_->descriptor(), *params_, *to_bind,
                       ChunkPosition{chunks_ == 0, rows_, form_},
                       metric_->input_orders(), keys_.get());
  if (!bound_chunk.ok()) return bound_chunk.status();
  if (bound_chunk->rows() > max_rows_ - rows_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the call passed its limit of ", max_rows_,
        " rows (kpi-server --max-rows-per-call); split it into several "
        "calls, or raise the limit"));
  }
  ++chunks_;
  rows_ += bound_chunk->rows();
  saw_columns_ = saw_columns_ || bound_chunk->has_columns();
  bound.emplace(*std::move(bound_chunk));
  return absl::OkStatus();
}

absl::Status MetricCall::Add(const CallArgs& chunk) {
  if (absl::Status s = Bind(chunk); !s.ok()) return s;
  return SendBound();
}

absl::Status MetricCall::Bind(const CallArgs& chunk) {
  bound_keys_.clear();
  return Prepare(chunk, bound_, bound_keys_);
}

absl::Status MetricCall::SendBound() {
  absl::Status status = aggregation_->Update(bound_->chunk(), bound_keys_);
  bound_.reset();
  return status;
}

absl::Status MetricCall::CheckComplete() const {
  const kpi_metric_descriptor& d = metric_->descriptor();
  for (size_t i = 0; i < d.num_inputs && !saw_columns_; ++i) {
    const kpi_input_spec& spec = d.inputs[i];
    const bool in_form =
        spec.form == nullptr ||
        (form_ != nullptr && absl::string_view(spec.form) == form_);
    if (spec.kind == KPI_INPUT_COLUMN && (spec.flags & KPI_INPUT_REQUIRED) &&
        in_form) {
      return absl::InvalidArgumentError(absl::StrCat(
          "input '", spec.name, "': required by ", d.name, " but missing"));
    }
  }
  if (cancellation_ != nullptr) return cancellation_->Check();
  return absl::OkStatus();
}

absl::StatusOr<v1::MetricResult> MetricCall::Finish() {
  if (absl::Status s = CheckComplete(); !s.ok()) return s;
  return aggregation_->Finish();
}

void MetricCall::FinishThen(Done done) {
  if (absl::Status s = CheckComplete(); !s.ok()) {
    std::move(done)(s, rows_);
    return;
  }
  aggregation_->FinishThen(
      [rows = rows_, done = std::move(done)](
          absl::StatusOr<v1::MetricResult> result) mutable {
        std::move(done)(std::move(result), rows);
      });
}

absl::StatusOr<v1::MetricResult> MetricCall::AddLastAndFinish(
    const CallArgs& chunk) {
  std::optional<BoundChunk> bound;
  std::vector<ColumnArg> keys;
  if (absl::Status s = Prepare(chunk, bound, keys); !s.ok()) return s;
  if (absl::Status s = CheckComplete(); !s.ok()) return s;
  return aggregation_->UpdateAndFinish(bound->chunk(), keys);
}

void MetricCall::AddLastAndFinishThen(const CallArgs& chunk, Done done) {
  std::optional<BoundChunk> bound;
  std::vector<ColumnArg> keys;
  absl::Status status = Prepare(chunk, bound, keys);
  if (status.ok()) status = CheckComplete();
  if (!status.ok()) {
    std::move(done)(status, rows_);
    return;
  }
  aggregation_->UpdateAndFinishThen(
      bound->chunk(), keys,
      [rows = rows_, done = std::move(done)](
          absl::StatusOr<v1::MetricResult> result) mutable {
        std::move(done)(std::move(result), rows);
      });
}

absl::StatusOr<v1::MetricResult> ComputeOnce(
    std::shared_ptr<const Metric> metric, const CallArgs& args,
    const Cancellation* cancellation) {
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(std::move(metric), args, cancellation);
  if (!call.ok()) return call.status();
  return call->AddLastAndFinish(args);
}

}  // namespace kpi
