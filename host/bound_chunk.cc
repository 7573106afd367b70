#include "bound_chunk.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "declarations.h"
#include "input_form.h"
#include "quoted.h"
#include "timestamp_range.h"

namespace kpi {
namespace {

absl::Status InputError(const kpi_input_spec& spec, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("input '", spec.name, "': ", what));
}

absl::Status RowError(const kpi_input_spec& spec, uint64_t row,
                      absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("input '", spec.name, "' row ", row, ": ", what));
}

std::string DeclaredInputs(const kpi_metric_descriptor& metric) {
  std::vector<absl::string_view> names;
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    names.push_back(metric.inputs[i].name);
  }
  return absl::StrCat(metric.name, " takes: ", absl::StrJoin(names, ", "));
}

absl::Status OtherForm(const kpi_input_spec& spec, const char* form) {
  return InputError(spec, absl::StrCat("belongs to the ", spec.form,
                                       " form, but this call uses the ",
                                       form ? form : "(none)", " form"));
}

// The inclusive bounds of a numeric input for this call, with the parameter
// they came from (for messages).
struct Bounds {
  std::optional<double> min, max;
  const char* min_param = nullptr;
  const char* max_param = nullptr;
};

Bounds ResolveBounds(const kpi_input_spec& spec, const BoundParams& params) {
  Bounds b;
  if (spec.flags & KPI_INPUT_HAS_MIN) b.min = spec.min;
  if (spec.flags & KPI_INPUT_HAS_MAX) b.max = spec.max;
  if (spec.min_param) {
    b.min = params.Numeric(spec.min_param);
    b.min_param = spec.min_param;
  }
  if (spec.max_param) {
    b.max = params.Numeric(spec.max_param);
    b.max_param = spec.max_param;
  }
  return b;
}

std::string BoundText(double bound, const char* param) {
  return param ? absl::StrCat(bound, " (parameter ", param, ")")
               : absl::StrCat(bound);
}

// Empty when `value` is acceptable, else what is wrong with it.
std::string CheckValue(const kpi_input_spec& spec, const Bounds& bounds,
                       double value) {
  if (!std::isfinite(value)) return absl::StrCat(value, " is not finite");
  if ((spec.flags & KPI_INPUT_INTEGRAL) && value != std::floor(value)) {
    return absl::StrCat(value, " is not a whole number");
  }
  if (bounds.min && value < *bounds.min) {
    return absl::StrCat(value, " is below the minimum ",
                        BoundText(*bounds.min, bounds.min_param));
  }
  if (bounds.max && value > *bounds.max) {
    return absl::StrCat(value, " is above the maximum ",
                        BoundText(*bounds.max, bounds.max_param));
  }
  return std::string();
}

// 2^52: adding and subtracting it rounds a double of smaller magnitude to a
// whole number; every double of magnitude 2^52 or more is whole.
constexpr double k2To52 = 4503599627370496.0;

// Whether `v` is a whole number, without std::floor, which is a libm call
// per value on baseline x86-64 (no SSE4.1 rounding instruction).
inline bool IsWhole(double v) {
  const double magnitude = std::fabs(v);
  return magnitude >= k2To52 || (magnitude + k2To52) - k2To52 == magnitude;
}

bool Good(double v, double lo, double hi, bool integral) {
  // NaN fails every comparison; v - v is 0 only for a finite v.
  return v >= lo && v <= hi && v - v == 0 && (!integral || IsWhole(v));
}

// Whether every value passes Good(). GCC 12 does not vectorize the scalar
// comparisons at the baseline x86-64 ISA, and validation is the server's
// main per-row cost on the streamed path, so x86-64 checks two values per
// SSE2 instruction (part of the baseline ISA); other targets take the
// scalar loop.
bool AllGood(const double* values, size_t length, double lo, double hi,
             bool integral) {
  size_t row = 0;
  bool all = true;
#ifdef __SSE2__
  const __m128d lo2 = _mm_set1_pd(lo);
  const __m128d hi2 = _mm_set1_pd(hi);
  const __m128d zero = _mm_setzero_pd();
  const __m128d big = _mm_set1_pd(k2To52);
  const __m128d magnitude_bits = _mm_castsi128_pd(_mm_set1_epi64x(INT64_MAX));
  __m128d good = _mm_castsi128_pd(_mm_set1_epi64x(-1));
  for (; row + 2 <= length; row += 2) {
    const __m128d v = _mm_loadu_pd(values + row);
    // NaN fails the ordered comparisons; v - v is 0 only for a finite v.
    good = _mm_and_pd(good,
                      _mm_and_pd(_mm_cmpge_pd(v, lo2), _mm_cmple_pd(v, hi2)));
    good = _mm_and_pd(good, _mm_cmpeq_pd(_mm_sub_pd(v, v), zero));
    if (integral) {
      const __m128d magnitude = _mm_and_pd(v, magnitude_bits);
      const __m128d rounded = _mm_sub_pd(_mm_add_pd(magnitude, big), big);
      good = _mm_and_pd(good, _mm_or_pd(_mm_cmpge_pd(magnitude, big),
                                        _mm_cmpeq_pd(rounded, magnitude)));
    }
  }
  all = _mm_movemask_pd(good) == 3;
#endif
  for (; row < length; ++row) all = all && Good(values[row], lo, hi, integral);
  return all;
}

// Checks every value of a numeric column. The common case -- all values
// good -- is one tight pass (AllGood for doubles); the message is built only
// for the first bad row.
template <typename T>
absl::Status CheckColumn(const kpi_input_spec& spec, const Bounds& bounds,
                         const T* values, size_t length, uint64_t row_offset) {
  const bool integral = spec.flags & KPI_INPUT_INTEGRAL;
  const double lo = bounds.min ? *bounds.min : -INFINITY;
  const double hi = bounds.max ? *bounds.max : INFINITY;
  if constexpr (std::is_same_v<T, double>) {
    if (AllGood(values, length, lo, hi, integral)) return absl::OkStatus();
  }
  for (size_t row = 0; row < length; ++row) {
    const double v = static_cast<double>(values[row]);
    if (!Good(v, lo, hi, integral)) {
      return RowError(spec, row_offset + row, CheckValue(spec, bounds, v));
    }
  }
  return absl::OkStatus();
}

// The scalar as the declared type, or an error.
absl::Status BindScalar(const kpi_input_spec& spec, const Bounds& bounds,
                        const v1::Value& value, double& f64, int64_t& i64) {
  std::string problem;
  switch (spec.type) {
    case KPI_TYPE_DOUBLE:
      if (value.kind_case() == v1::Value::kDoubleValue) {
        f64 = value.double_value();
      } else if (value.kind_case() == v1::Value::kInt64Value) {
        f64 = static_cast<double>(value.int64_value());
      } else {
        return InputError(spec, "must be a double");
      }
      problem = CheckValue(spec, bounds, f64);
      break;
    case KPI_TYPE_INT64:
      if (value.kind_case() != v1::Value::kInt64Value) {
        return InputError(spec, "must be an int64");
      }
      i64 = value.int64_value();
      problem = CheckValue(spec, bounds, static_cast<double>(i64));
      break;
    case KPI_TYPE_TIMESTAMP: {
      if (value.kind_case() == v1::Value::kTimestampValue) {
        absl::StatusOr<int64_t> micros =
            TimestampToMicros(value.timestamp_value());
        if (!micros.ok()) return InputError(spec, micros.status().message());
        i64 = *micros;
      } else if (value.kind_case() == v1::Value::kInt64Value) {
        i64 = value.int64_value();  // microseconds since the epoch
        problem = TimestampMicrosProblem(i64);
      } else {
        return InputError(spec, "must be a timestamp");
      }
      break;
    }
    default:
      return InputError(spec, "string scalars are not supported");
  }
  if (!problem.empty()) return InputError(spec, problem);
  return absl::OkStatus();
}

// Checks every value of a TIMESTAMP column against the timestamp range
// (or the open end).
absl::Status CheckTimestamps(const kpi_input_spec& spec, const int64_t* values,
                             size_t length, uint64_t row_offset) {
  bool all = true;
  for (size_t row = 0; row < length; ++row) {
    all = all && ColumnTimestampMicrosValid(values[row]);
  }
  if (all) return absl::OkStatus();
  for (size_t row = 0;; ++row) {
    if (!ColumnTimestampMicrosValid(values[row])) {
      return RowError(spec, row_offset + row,
                      TimestampMicrosProblem(values[row]));
    }
  }
}

// A value of a numeric or timestamp column, for an order message.
std::string ValueText(const kpi_column& column, size_t row) {
  if (column.f64 != nullptr) return absl::StrCat(column.f64[row]);
  if (column.type == KPI_TYPE_TIMESTAMP) {
    return FormatTimestampMicros(column.i64[row]);
  }
  return absl::StrCat(column.i64[row]);
}

// Every row of `columns` keeps `order`: input >= not_before, the open end
// of a timestamp `input` after everything. Rows where either column is
// absent from the chunk are not compared.
absl::Status CheckOrder(const kpi_metric_descriptor& metric,
                        const std::vector<kpi_column>& columns,
                        const kpi_input_order& order, uint64_t row_offset) {
  const int later = InputIndex(metric, order.input);
  const int earlier = InputIndex(metric, order.not_before);
  if (later < 0 || earlier < 0) return absl::OkStatus();  // schema-checked
  const kpi_column& a = columns[later];
  const kpi_column& b = columns[earlier];
  const size_t rows = std::min(a.length, b.length);
  for (size_t row = 0; row < rows; ++row) {
    bool before;
    if (a.f64 != nullptr && b.f64 != nullptr) {
      before = a.f64[row] < b.f64[row];
    } else if (a.i64 != nullptr && b.i64 != nullptr) {
      before = a.i64[row] < b.i64[row] &&
               !(a.type == KPI_TYPE_TIMESTAMP && a.i64[row] == kOpenEndMicros);
    } else {
      return absl::OkStatus();  // types differ: refused by the schema check
    }
    if (before) {
      return RowError(metric.inputs[later], row_offset + row,
                      absl::StrCat(ValueText(a, row), " is before input '",
                                   order.not_before, "' (", ValueText(b, row),
                                   ") in the same row; ", order.input,
                                   " must not be before ", order.not_before));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BoundChunk> BoundChunk::Bind(
    const kpi_metric_descriptor& metric, const BoundParams& params,
    const CallArgs& args, ChunkPosition position,
    absl::Span<const kpi_input_order> orders, CallKeys* keys) {
  BoundChunk bound;
  const size_t n = metric.num_inputs;
  bound.columns_.assign(n, kpi_column{});
  bound.scalar_f64_.assign(n, 0.0);
  bound.scalar_i64_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) bound.columns_[i].type = metric.inputs[i].type;
  std::vector<bool> present(n, false);
  // KEY inputs to intern once every check has passed.
  std::vector<std::pair<size_t, const ColumnArg*>> key_columns;

  const ColumnArg* first_column = nullptr;
  for (const ColumnArg& arg : args.columns) {
    int index = InputIndex(metric, arg.name);
    if (index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown input ", Quoted(arg.name), "; ", DeclaredInputs(metric)));
    }
    const kpi_input_spec& spec = metric.inputs[index];
    if (spec.kind != KPI_INPUT_COLUMN) {
      return InputError(spec, "is a scalar; send it in scalars, not columns");
    }
    if (!InForm(spec, position.form)) {
      // An empty column of another form carries nothing: typed requests
      // always carry every repeated field.
      if (arg.length == 0) continue;
      return OtherForm(spec, position.form);
    }
    if (present[index]) return InputError(spec, "sent twice");
    present[index] = true;
    // Timestamps are int64 microseconds: typed requests send them as such.
    const bool timestamp_as_int64 =
        spec.type == KPI_TYPE_TIMESTAMP && arg.type == KPI_TYPE_INT64;
    // A key is sent as strings, int64s or dictionary codes.
    const bool key_as_values =
        spec.type == KPI_TYPE_KEY &&
        (arg.type == KPI_TYPE_STRING || arg.type == KPI_TYPE_INT64);
    if (arg.type != spec.type && !timestamp_as_int64 && !key_as_values) {
      return InputError(
          spec,
          absl::StrCat("must be ", TypeNameWithArticle(spec.type), " column",
                       spec.type == KPI_TYPE_KEY
                           ? " (strings, int64s or dictionary "
                             "codes)"
                           : "",
                       ", got ", TypeName(arg.type)));
    }
    if (first_column == nullptr) {
      first_column = &arg;
    } else if (arg.length != first_column->length) {
      return InputError(
          spec, absl::StrCat("has ", arg.length, " rows but '",
                             first_column->name, "' has ", first_column->length,
                             "; columns must have equal length"));
    }
    const Bounds bounds = ResolveBounds(spec, params);
    kpi_column& column = bound.columns_[index];
    column.length = arg.length;
    if (spec.type == KPI_TYPE_DOUBLE) {
      column.f64 = arg.f64;
      if (absl::Status s = CheckColumn(spec, bounds, arg.f64, arg.length,
                                       position.row_offset);
          !s.ok()) {
        return s;
      }
    } else if (spec.type == KPI_TYPE_KEY) {
      key_columns.emplace_back(index, &arg);
    } else if (spec.type == KPI_TYPE_STRING) {
      std::vector<kpi_string_view> views;
      views.reserve(arg.length);
      for (const std::string& s : *arg.strings) {
        views.push_back({s.data(), s.size()});
      }
      bound.strings_.push_back(std::move(views));
      column.str = bound.strings_.back().data();
    } else {
      column.i64 = arg.i64;
      if (spec.type == KPI_TYPE_TIMESTAMP) {
        if (absl::Status s =
                CheckTimestamps(spec, arg.i64, arg.length, position.row_offset);
            !s.ok()) {
          return s;
        }
      }
      if (bounds.min || bounds.max) {
        if (absl::Status s = CheckColumn(spec, bounds, arg.i64, arg.length,
                                         position.row_offset);
            !s.ok()) {
          return s;
        }
      }
    }
  }
  bound.has_columns_ = first_column != nullptr;
  bound.chunk_.num_rows = first_column ? first_column->length : 0;

  const NamedValue* previous = nullptr;
  for (const NamedValue& arg : args.scalars) {
    int index = InputIndex(metric, arg.name);
    if (index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown input ", Quoted(arg.name), "; ", DeclaredInputs(metric)));
    }
    const kpi_input_spec& spec = metric.inputs[index];
    if (spec.kind != KPI_INPUT_SCALAR) {
      return InputError(spec, "is a column; send it in columns, not scalars");
    }
    if (!InForm(spec, position.form)) return OtherForm(spec, position.form);
    if (previous != nullptr && previous->name == arg.name) {
      return InputError(spec, "sent twice");
    }
    previous = &arg;
    if (!position.first) {
      return InputError(spec, "scalars belong in the first chunk of a stream");
    }
    present[index] = true;
    if (absl::Status s =
            BindScalar(spec, ResolveBounds(spec, params), *arg.value,
                       bound.scalar_f64_[index], bound.scalar_i64_[index]);
        !s.ok()) {
      return s;
    }
    kpi_column& column = bound.columns_[index];
    column.length = 1;
    if (spec.type == KPI_TYPE_DOUBLE) {
      column.f64 = &bound.scalar_f64_[index];
    } else {
      column.i64 = &bound.scalar_i64_[index];
    }
  }

  for (size_t i = 0; i < n; ++i) {
    const kpi_input_spec& spec = metric.inputs[i];
    if (!(spec.flags & KPI_INPUT_REQUIRED) || present[i] ||
        !InForm(spec, position.form)) {
      continue;
    }
    bool needed =
        spec.kind == KPI_INPUT_SCALAR ? position.first : bound.has_columns_;
    if (needed) {
      return InputError(
          spec, absl::StrCat("required by ", metric.name, " but missing"));
    }
  }
  for (const kpi_input_order& order : orders) {
    if (absl::Status s =
            CheckOrder(metric, bound.columns_, order, position.row_offset);
        !s.ok()) {
      return s;
    }
  }
  bound.keys_.assign(n, kpi_key_column{nullptr, nullptr});
  bound.codes_.reserve(key_columns.size());
  for (const auto& [index, arg] : key_columns) {
    if (keys == nullptr) {
      return absl::InternalError("a KEY input bound without the call's keys");
    }
    std::vector<int32_t>& codes = bound.codes_.emplace_back(arg->length);
    if (absl::Status s =
            keys->Bind(index, *arg, position.row_offset, codes.data());
        !s.ok()) {
      return s;
    }
    bound.keys_[index] = {codes.data(), keys->dictionary(index)};
  }
  bound.chunk_.inputs = bound.columns_.data();
  bound.chunk_.num_inputs = n;
  bound.chunk_.keys = bound.keys_.data();
  return bound;
}

}  // namespace kpi
