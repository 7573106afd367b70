#include "result_sink.h"

#include <cmath>
#include <initializer_list>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

bool AllFinite(std::initializer_list<double> values) {
  for (double v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

constexpr char kNonFiniteReason[] =
    " is not finite: the inputs are too large in magnitude for "
    "double-precision arithmetic (a sum or product passed 1.8e308)";

ResultSink& Self(void* context) { return *static_cast<ResultSink*>(context); }

}  // namespace

size_t ColumnLength(const v1::Column& column) {
  switch (column.values_case()) {
    case v1::Column::kDoubles:
      return column.doubles().values_size();
    case v1::Column::kInt64S:
      return column.int64s().values_size();
    case v1::Column::kStrings:
      return column.strings().values_size();
    case v1::Column::kTimestamps:
      return column.timestamps().unix_micros_size();
    case v1::Column::kKeys:
      return column.keys().codes_size();
    case v1::Column::VALUES_NOT_SET:
      break;
  }
  return 0;
}

bool IsNonFiniteResult(const v1::MetricResult& result) {
  return !result.has_value() &&
         absl::EndsWith(result.undefined_reason(), kNonFiniteReason);
}

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
  sink_.add_table_column = &AddTableColumn;
}

void ResultSink::NoteDefect(std::string defect) {
  if (defect_.empty()) defect_ = std::move(defect);
}

void ResultSink::SetValue(void* context, double value) {
  ResultSink& self = Self(context);
  if (!std::isfinite(value)) {
    self.NoteNonFinite(absl::StrCat("the value (", value, ")"));
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
    self.NoteNonFinite("the ratio");
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
    self.NoteNonFinite("the confidence interval");
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
  if (!std::isfinite(sample_size)) {
    self.NoteNonFinite("the sample size");
    return;
  }
  if (sample_size < 0) {
    self.NoteDefect("sample size is negative");
    return;
  }
  self.result_->set_sample_size(sample_size);
}

void ResultSink::SetUnit(void* context, const char* unit, size_t size) {
  if (unit != nullptr) Self(context).result_->set_unit(std::string(unit, size));
}

void ResultSink::AddTableColumn(void* context, const char* table,
                                size_t table_size, const char* column,
                                size_t column_size, kpi_value_type type,
                                size_t rows, const double* f64,
                                const int64_t* i64,
                                const kpi_string_view* str) {
  ResultSink& self = Self(context);
  if (table == nullptr || column == nullptr || table_size == 0 ||
      column_size == 0) {
    self.NoteDefect("a table column without a table or column name");
    return;
  }
  const std::string table_name(table, table_size);
  const std::string column_name(column, column_size);
  v1::ResultTable* target = nullptr;
  for (v1::ResultTable& t : *self.result_->mutable_tables()) {
    if (t.name() == table_name) target = &t;
  }
  if (target == nullptr) {
    target = self.result_->add_tables();
    target->set_name(table_name);
  }
  const std::string where =
      absl::StrCat("table '", table_name, "' column '", column_name, "'");
  for (const v1::Column& existing : target->columns()) {
    if (existing.name() == column_name) {
      self.NoteDefect(absl::StrCat(where, " added twice"));
      return;
    }
  }
  if (target->columns_size() > 0 && ColumnLength(target->columns(0)) != rows) {
    self.NoteDefect(absl::StrCat(where, " has ", rows, " rows, the table ",
                                 ColumnLength(target->columns(0))));
    return;
  }
  v1::Column* out = target->add_columns();
  out->set_name(column_name);
  const bool has_values =
      rows == 0 || (type == KPI_TYPE_DOUBLE && f64) ||
      ((type == KPI_TYPE_INT64 || type == KPI_TYPE_TIMESTAMP) && i64) ||
      (type == KPI_TYPE_STRING && str);
  if (!has_values) {
    self.NoteDefect(absl::StrCat(where, " has no values of its type"));
    return;
  }
  switch (type) {
    case KPI_TYPE_DOUBLE:
      for (size_t i = 0; i < rows; ++i) {
        if (!std::isfinite(f64[i])) {
          self.NoteNonFinite(absl::StrCat(where, " row ", i));
          return;
        }
      }
      out->mutable_doubles()->mutable_values()->Add(f64, f64 + rows);
      break;
    case KPI_TYPE_INT64:
      out->mutable_int64s()->mutable_values()->Add(i64, i64 + rows);
      break;
    case KPI_TYPE_TIMESTAMP:
      out->mutable_timestamps()->mutable_unix_micros()->Add(i64, i64 + rows);
      break;
    case KPI_TYPE_STRING:
      for (size_t i = 0; i < rows; ++i) {
        out->mutable_strings()->add_values(str[i].data, str[i].size);
      }
      break;
    default:
      self.NoteDefect(absl::StrCat(where, " has unknown type ", type));
  }
}

void ResultSink::NoteNonFinite(std::string what) {
  if (non_finite_.empty()) non_finite_ = std::move(what);
}

absl::Status ResultSink::Finish() {
  if (!defect_.empty()) return absl::InternalError(defect_);
  if (!non_finite_.empty()) {
    result_->Clear();
    result_->set_undefined_reason(absl::StrCat(non_finite_, kNonFiniteReason));
    return absl::OkStatus();
  }
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
