// ResultSink: the host side of kpi_result_sink. A plugin's finalize() calls
// the C callbacks; they write into a MetricResult and note anything a
// correct plugin must not do (both or neither of a value and an undefined
// reason, a malformed table), which Finish() then reports.
//
// A NaN or infinity is not taken for a defect: finite inputs can overflow
// double arithmetic (two amounts of 1e308 sum to infinity), and a caller's
// input must never read as a plugin defect. Finish() makes such a result
// undefined, with a reason naming the part that was not finite.
#ifndef KPI_HOST_RESULT_SINK_H_
#define KPI_HOST_RESULT_SINK_H_

#include <string>

#include "absl/status/status.h"
#include "kpi/plugin_abi.h"
#include "kpi/v1/result.pb.h"

namespace kpi {

// Whether `result` is undefined because a part of it was not finite (the
// reason Finish() gives). The conformance checks, whose generated inputs
// are moderate, count that as a plugin defect.
bool IsNonFiniteResult(const v1::MetricResult& result);

// The number of rows of `column`, whatever its type.
size_t ColumnLength(const v1::Column& column);

class ResultSink {
 public:
  // Does not take ownership of `result`, which must outlive the sink.
  explicit ResultSink(v1::MetricResult* result);
  ResultSink(const ResultSink&) = delete;
  ResultSink& operator=(const ResultSink&) = delete;

  const kpi_result_sink& c_sink() const { return sink_; }
  // OK, or INTERNAL describing the first defect seen. Call once, after
  // finalize: a result with a non-finite part becomes undefined (above).
  absl::Status Finish();

 private:
  static void SetValue(void* context, double value);
  static void SetUndefined(void* context, const char* reason, size_t size);
  static void SetRatio(void* context, double numerator, double denominator);
  static void SetInterval(void* context, double lower, double upper,
                          double margin, double standard_error,
                          double confidence_level);
  static void AddWarning(void* context, const char* message, size_t size);
  static void SetSampleSize(void* context, double sample_size);
  static void SetUnit(void* context, const char* unit, size_t size);
  static void AddTableColumn(void* context, const char* table,
                             size_t table_size, const char* column,
                             size_t column_size, kpi_value_type type,
                             size_t rows, const double* f64, const int64_t* i64,
                             const kpi_string_view* str);
  void NoteDefect(std::string defect);
  void NoteNonFinite(std::string what);

  v1::MetricResult* result_;
  kpi_result_sink sink_;
  bool undefined_ = false;
  std::string defect_;
  std::string non_finite_;  // the first part that was not finite
};

}  // namespace kpi

#endif  // KPI_HOST_RESULT_SINK_H_
