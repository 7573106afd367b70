#include "result_sink.h"

#include <cmath>
#include <initializer_list>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

bool AllFinite(std::initializer_list<double> values) {
  for (double v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

ResultSink& Self(void* context) { return *static_cast<ResultSink*>(context); }

}  // namespace

ResultSink::ResultSink(v1::MetricResult* result) : result_(result) {
  sink_.abi_major = KPI_ABI_VERSION_MAJOR;
  sink_.abi_minor = KPI_ABI_VERSION_MINOR;
  sink_.context = this;
  sink_.set_value = &SetValue;
  sink_.set_undefined = &SetUndefined;
  sink_.set_ratio = &SetRatio;
  sink_.set_interval = &SetInterval;
  sink_.add_warning = &AddWarning;
  sink_.set_sample_size = &SetSampleSize;
  sink_.set_unit = &SetUnit;
}

void ResultSink::NoteDefect(std::string defect) {
  if (defect_.empty()) defect_ = std::move(defect);
}

void ResultSink::SetValue(void* context, double value) {
  ResultSink& self = Self(context);
  if (!std::isfinite(value)) {
    self.NoteDefect(absl::StrCat("value ", value, " is not finite"));
    return;
  }
  self.result_->set_value(value);
}

void ResultSink::SetUndefined(void* context, const char* reason, size_t size) {
  ResultSink& self = Self(context);
  self.undefined_ = true;
  self.result_->set_undefined_reason(reason ? std::string(reason, size) : "");
}

void ResultSink::SetRatio(void* context, double numerator, double denominator) {
  ResultSink& self = Self(context);
  if (!AllFinite({numerator, denominator})) {
    self.NoteDefect("ratio is not finite");
    return;
  }
  self.result_->mutable_ratio()->set_numerator(numerator);
  self.result_->mutable_ratio()->set_denominator(denominator);
}

void ResultSink::SetInterval(void* context, double lower, double upper,
                             double margin, double standard_error,
                             double confidence_level) {
  ResultSink& self = Self(context);
  if (!AllFinite({lower, upper, margin, standard_error, confidence_level})) {
    self.NoteDefect("interval is not finite");
    return;
  }
  v1::ConfidenceInterval* interval = self.result_->mutable_interval();
  interval->set_lower(lower);
  interval->set_upper(upper);
  interval->set_margin(margin);
  interval->set_standard_error(standard_error);
  interval->set_confidence_level(confidence_level);
}

void ResultSink::AddWarning(void* context, const char* message, size_t size) {
  if (message != nullptr) Self(context).result_->add_warnings(message, size);
}

void ResultSink::SetSampleSize(void* context, double sample_size) {
  ResultSink& self = Self(context);
  if (!std::isfinite(sample_size) || sample_size < 0) {
    self.NoteDefect("sample size is not a finite count");
    return;
  }
  self.result_->set_sample_size(sample_size);
}

void ResultSink::SetUnit(void* context, const char* unit, size_t size) {
  if (unit != nullptr) Self(context).result_->set_unit(std::string(unit, size));
}

absl::Status ResultSink::Check() const {
  if (!defect_.empty()) return absl::InternalError(defect_);
  const bool has_value = result_->has_value();
  if (has_value && undefined_) {
    return absl::InternalError("both a value and an undefined reason");
  }
  if (!has_value && !undefined_) {
    return absl::InternalError("neither a value nor an undefined reason");
  }
  if (undefined_ && result_->undefined_reason().empty()) {
    return absl::InternalError("undefined without a reason");
  }
  return absl::OkStatus();
}

}  // namespace kpi
