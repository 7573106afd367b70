#include "metric_state.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "result_sink.h"

namespace kpi {
namespace {

absl::Status FromPlugin(const Metric& metric, const char* call,
                        kpi_status status, kpi_error& error) {
  if (status == KPI_STATUS_OK) return absl::OkStatus();
  error.message[sizeof(error.message) - 1] = '\0';
  if (status == KPI_STATUS_INVALID_ARGUMENT) {
    return absl::InvalidArgumentError(
        absl::StrCat(metric.name(), ": ", error.message));
  }
  return absl::InternalError(absl::StrCat(
      "plugin '", metric.library().descriptor().name, "' failed in ",
      metric.name(), " ", call, ": ", error.message));
}

}  // namespace

absl::StatusOr<MetricState> MetricState::Create(
    std::shared_ptr<const Metric> metric, const BoundParams& params) {
  if (metric->library().worker() != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        metric->name(), ": plugin '", metric->library().descriptor().name,
        "' runs in a worker process; its states live there (use MetricCall)"));
  }
  kpi_error error{};
  void* state = nullptr;
  kpi_status status =
      metric->descriptor().create(params.data(), params.size(), &state, &error);
  if (absl::Status s = FromPlugin(*metric, "create", status, error); !s.ok()) {
    return s;
  }
  if (state == nullptr) {
    return absl::InternalError(absl::StrCat(
        metric->name(), " create returned success without a state"));
  }
  return MetricState(std::move(metric), state);
}

MetricState::MetricState(MetricState&& other) noexcept
    : metric_(std::move(other.metric_)),
      state_(std::exchange(other.state_, nullptr)) {}

MetricState& MetricState::operator=(MetricState&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) metric_->descriptor().destroy(state_);
    metric_ = std::move(other.metric_);
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

MetricState::~MetricState() {
  if (state_ != nullptr) metric_->descriptor().destroy(state_);
}

absl::Status MetricState::Update(const kpi_chunk& chunk) {
  kpi_error error{};
  return FromPlugin(*metric_, "update",
                    metric_->descriptor().update(state_, &chunk, &error),
                    error);
}

absl::Status MetricState::Merge(const MetricState& other) {
  kpi_error error{};
  return FromPlugin(*metric_, "merge",
                    metric_->descriptor().merge(state_, other.state_, &error),
                    error);
}

absl::StatusOr<v1::MetricResult> MetricState::Finalize() const {
  v1::MetricResult result;
  ResultSink sink(&result);
  kpi_error error{};
  kpi_status status =
      metric_->descriptor().finalize(state_, &sink.c_sink(), &error);
  if (absl::Status s = FromPlugin(*metric_, "finalize", status, error);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = sink.Finish(); !s.ok()) {
    return absl::InternalError(absl::StrCat(
        "plugin '", metric_->library().descriptor().name, "' returned a bad ",
        metric_->name(), " result: ", s.message()));
  }
  result.set_metric(std::string(metric_->name()));
  if (result.unit().empty()) result.set_unit(metric_->descriptor().unit);
  result.set_plugin(metric_->library().descriptor().name);
  result.set_plugin_version(metric_->library().descriptor().version);
  return result;
}

}  // namespace kpi
