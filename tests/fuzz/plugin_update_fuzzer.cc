// Each bundled plugin's create, update, merge and finalize. The first byte
// picks a metric, the next one of its declared examples; the rest of the
// input makes rows like the example's -- mostly valid (the example's values,
// values in the declared range, small whole numbers, timestamps near the
// example's), sometimes any double or int64 -- may change the metric's
// numeric and enumerated parameters, deals the rows to up to four segments
// and cuts them into up to four chunks.
//
// The call is computed twice: in one chunk, ungrouped; and cut into chunks
// (and grouped). Both must succeed or fail alike, and when every number is
// a multiple of 1/8 below 2^20 (so sums are exact in any order) give the
// same overall result, and each segment the result of its rows alone:
// chunking and segments must not change a metric's answer, which the
// conformance checks promise only on generated inputs. The rows in reverse
// order must give the same result too.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_support.h"

namespace kpi::fuzz {
namespace {

constexpr size_t kMaxRows = 64;
constexpr double kTameLimit = 1 << 20;

const kpi_input_spec* FindInput(const kpi_metric_descriptor& metric,
                                absl::string_view name) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    if (name == metric.inputs[i].name) return &metric.inputs[i];
  }
  return nullptr;
}

class ValueMaker {
 public:
  explicit ValueMaker(FuzzedDataProvider& in) : in_(in) {}

  // Whether every number made so far is a multiple of 1/8 of magnitude
  // below kTameLimit (or a timestamp), so any summation order is exact.
  bool tame() const { return tame_; }

  double Double(double lo, double hi, bool integral,
                const std::vector<double>& seen) {
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0:
        if (!seen.empty()) return Pick(seen);
        [[fallthrough]];
      case 1: {
        // A multiple of 1/8 (of 1 when integral) inside [lo, hi].
        const double step = integral ? 1 : 0.125;
        const double a = std::ceil(std::max(lo, -kTameLimit) / step);
        const double b = std::floor(std::min(hi, kTameLimit) / step);
        if (!(a <= b)) return Tame(lo);
        return in_.ConsumeIntegralInRange<int64_t>(static_cast<int64_t>(a),
                                                   static_cast<int64_t>(b)) *
               step;
      }
      case 2:
        return in_.ConsumeIntegralInRange(-2, 100);
      default:
        tame_ = false;
        return in_.ConsumeFloatingPoint<double>();
    }
  }

  int64_t Int(double lo, double hi, const std::vector<int64_t>& seen) {
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0:
        if (!seen.empty()) return Pick(seen);
        [[fallthrough]];
      case 1: {
        const double a = std::max(lo, -kTameLimit);
        const double b = std::min(hi, kTameLimit);
        if (!(a <= b)) return static_cast<int64_t>(Tame(lo));
        return in_.ConsumeIntegralInRange<int64_t>(static_cast<int64_t>(a),
                                                   static_cast<int64_t>(b));
      }
      case 2:
        return in_.ConsumeIntegralInRange(-2, 100);
      default:
        tame_ = false;
        return in_.ConsumeIntegral<int64_t>();
    }
  }

  // Microseconds: near a value of the example, whole days or seconds
  // away; sometimes the open end, sometimes anything.
  int64_t Time(const std::vector<int64_t>& seen) {
    const int64_t base = seen.empty() ? int64_t{1704067200} * 1000000  // 2024
                                      : Pick(seen);
    constexpr int64_t kDay = int64_t{86400} * 1000000;
    switch (in_.ConsumeIntegralInRange(0, 5)) {
      case 0:
        return base;
      case 1:
        return Plus(base,
                    in_.ConsumeIntegralInRange<int64_t>(-400, 400) * kDay);
      case 2:
        return Plus(base, in_.ConsumeIntegralInRange<int64_t>(-100000, 100000) *
                              1000000);
      case 3:
        return INT64_MAX;  // an open end, where a column allows one
      case 4:
        return Plus(base, in_.ConsumeIntegralInRange<int64_t>(-3, 3));
      default:
        return in_.ConsumeIntegral<int64_t>();
    }
  }

  std::string Text(const std::vector<std::string>& seen) {
    if (!seen.empty() && in_.ConsumeIntegralInRange(0, 3) != 0) {
      return Pick(seen);
    }
    return in_.ConsumeRandomLengthString(8);
  }

 private:
  // a + b, or a when that overflows (a may be the open end).
  static int64_t Plus(int64_t a, int64_t b) {
    int64_t sum;
    return __builtin_add_overflow(a, b, &sum) ? a : sum;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& from) {
    return from[in_.ConsumeIntegralInRange<size_t>(0, from.size() - 1)];
  }
  double Tame(double v) {
    if (!(std::fabs(v) < kTameLimit) || v * 8 != std::floor(v * 8)) {
      tame_ = false;
    }
    return v;
  }

  FuzzedDataProvider& in_;
  bool tame_ = true;
};

// The declared bounds of a numeric input (parameter bounds are the
// parameter's business: values outside them are refused, which is fine).
void Bounds(const kpi_input_spec& spec, double& lo, double& hi) {
  lo = (spec.flags & KPI_INPUT_HAS_MIN) ? spec.min : -kTameLimit;
  hi = (spec.flags & KPI_INPUT_HAS_MAX) ? spec.max : kTameLimit;
}

v1::Column MakeColumn(const v1::Column& example, const kpi_input_spec& spec,
                      size_t rows, ValueMaker& make) {
  v1::Column out;
  out.set_name(example.name());
  double lo, hi;
  Bounds(spec, lo, hi);
  const bool integral = spec.flags & KPI_INPUT_INTEGRAL;
  switch (example.values_case()) {
    case v1::Column::kDoubles: {
      const std::vector<double> seen(example.doubles().values().begin(),
                                     example.doubles().values().end());
      auto* values = out.mutable_doubles()->mutable_values();
      for (size_t r = 0; r < rows; ++r) {
        values->Add(make.Double(lo, hi, integral, seen));
      }
      break;
    }
    case v1::Column::kInt64S: {
      const std::vector<int64_t> seen(example.int64s().values().begin(),
                                      example.int64s().values().end());
      auto* values = out.mutable_int64s()->mutable_values();
      for (size_t r = 0; r < rows; ++r) values->Add(make.Int(lo, hi, seen));
      break;
    }
    case v1::Column::kTimestamps: {
      const std::vector<int64_t> seen(
          example.timestamps().unix_micros().begin(),
          example.timestamps().unix_micros().end());
      auto* values = out.mutable_timestamps()->mutable_unix_micros();
      for (size_t r = 0; r < rows; ++r) values->Add(make.Time(seen));
      break;
    }
    case v1::Column::kStrings: {
      const std::vector<std::string> seen(example.strings().values().begin(),
                                          example.strings().values().end());
      auto* values = out.mutable_strings()->mutable_values();
      for (size_t r = 0; r < rows; ++r) *values->Add() = make.Text(seen);
      break;
    }
    case v1::Column::kKeys:  // keys travel as strings here
    case v1::Column::VALUES_NOT_SET:
      break;
  }
  return out;
}

// Sometimes changes a declared parameter: numbers within their declared
// range, enumerations to another allowed value, booleans, timestamps by
// whole days. Free-form strings (signals, stages, bands) keep the
// example's: their grammar is compute_request's to fuzz.
void MaybeChangeParameters(const kpi_metric_descriptor& metric,
                           FuzzedDataProvider& in, ValueMaker& make,
                           v1::ComputeRequest& request) {
  auto& parameters = *request.mutable_parameters();
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& spec = metric.params[i];
    if (in.ConsumeIntegralInRange(0, 5) != 0) continue;
    const double lo = (spec.flags & KPI_PARAM_HAS_MIN) ? spec.min : -1000;
    const double hi = (spec.flags & KPI_PARAM_HAS_MAX) ? spec.max : 1000;
    v1::Value value;
    switch (spec.default_value.type) {
      case KPI_TYPE_DOUBLE:
        value.set_double_value(
            make.Double(lo, hi, spec.flags & KPI_PARAM_INTEGRAL, {}));
        break;
      case KPI_TYPE_INT64:
        value.set_int64_value(make.Int(lo, hi, {}));
        break;
      case KPI_TYPE_BOOL:
        value.set_bool_value(in.ConsumeBool());
        break;
      case KPI_TYPE_STRING:
        if (spec.allowed_count == 0) continue;
        value.set_string_value(
            spec.allowed_values[in.ConsumeIntegralInRange<size_t>(
                0, spec.allowed_count - 1)]);
        break;
      case KPI_TYPE_TIMESTAMP: {
        auto found = parameters.find(spec.name);
        const int64_t seconds =
            found != parameters.end() && found->second.has_timestamp_value()
                ? found->second.timestamp_value().seconds()
                : 1704067200;
        value.mutable_timestamp_value()->set_seconds(
            seconds + in.ConsumeIntegralInRange<int64_t>(-400, 400) * 86400);
        break;
      }
      default:
        continue;
    }
    parameters[spec.name] = value;
  }
}

[[noreturn]] void Disagree(const v1::ComputeRequest& request,
                           const absl::StatusOr<v1::MetricResult>& whole,
                           const absl::StatusOr<v1::MetricResult>& parts,
                           const std::vector<size_t>& cuts) {
  std::string at;
  for (size_t cut : cuts) at += " " + std::to_string(cut);
  std::fprintf(stderr,
               "chunks and segments changed %s's result\nrequest: %s\n"
               "cut at:%s\none chunk: %s\ncut%s: %s\n",
               request.metric().c_str(), request.ShortDebugString().c_str(),
               at.c_str(),
               whole.ok() ? whole->ShortDebugString().c_str()
                          : whole.status().ToString().c_str(),
               request.group_by_size() > 0 ? " and grouped" : "",
               parts.ok() ? parts->ShortDebugString().c_str()
                          : parts.status().ToString().c_str());
  std::abort();
}

bool Near(double a, double b) {
  return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), 1.0);
}

bool Same(const v1::MetricResult& a, const v1::MetricResult& b) {
  return a.has_value() == b.has_value() &&
         (!a.has_value() || Near(a.value(), b.value())) &&
         Near(a.sample_size(), b.sample_size());
}

// `request` with its rows in reverse order.
v1::ComputeRequest Reversed(const v1::ComputeRequest& request) {
  v1::ComputeRequest reversed = request;
  for (v1::Column& column : *reversed.mutable_columns()) {
    switch (column.values_case()) {
      case v1::Column::kDoubles: {
        auto* v = column.mutable_doubles()->mutable_values();
        std::reverse(v->begin(), v->end());
        break;
      }
      case v1::Column::kInt64S: {
        auto* v = column.mutable_int64s()->mutable_values();
        std::reverse(v->begin(), v->end());
        break;
      }
      case v1::Column::kTimestamps: {
        auto* v = column.mutable_timestamps()->mutable_unix_micros();
        std::reverse(v->begin(), v->end());
        break;
      }
      case v1::Column::kStrings: {
        auto* v = column.mutable_strings()->mutable_values();
        std::reverse(v->begin(), v->end());
        break;
      }
      case v1::Column::kKeys:  // keys travel as strings here
      case v1::Column::VALUES_NOT_SET:
        break;
    }
  }
  return reversed;
}

// The ungrouped request of the rows of `grouped` whose segment is `key`.
v1::ComputeRequest SegmentAlone(const v1::ComputeRequest& grouped,
                                int64_t key) {
  v1::ComputeRequest alone = grouped;
  alone.clear_group_by();
  alone.clear_columns();
  const v1::Column& keys = grouped.columns(grouped.columns_size() - 1);
  std::vector<int> rows;
  for (int r = 0; r < keys.int64s().values_size(); ++r) {
    if (keys.int64s().values(r) == key) rows.push_back(r);
  }
  for (int c = 0; c + 1 < grouped.columns_size(); ++c) {
    const v1::Column& in = grouped.columns(c);
    v1::Column* out = alone.add_columns();
    out->set_name(in.name());
    for (int r : rows) {
      switch (in.values_case()) {
        case v1::Column::kDoubles:
          out->mutable_doubles()->add_values(in.doubles().values(r));
          break;
        case v1::Column::kInt64S:
          out->mutable_int64s()->add_values(in.int64s().values(r));
          break;
        case v1::Column::kTimestamps:
          out->mutable_timestamps()->add_unix_micros(
              in.timestamps().unix_micros(r));
          break;
        case v1::Column::kStrings:
          out->mutable_strings()->add_values(in.strings().values(r));
          break;
        case v1::Column::kKeys:  // keys travel as strings here
        case v1::Column::VALUES_NOT_SET:
          break;
      }
    }
  }
  return alone;
}

}  // namespace
}  // namespace kpi::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kpi::fuzz;
  FuzzedDataProvider in(data, size);
  const auto& metrics = Metrics();
  const kpi::Metric& metric =
      *metrics[in.ConsumeIntegral<uint8_t>() % metrics.size()];
  const std::vector<const Example*> examples = ExamplesOf(metric.name());
  if (examples.empty()) return 0;
  const Example& example =
      *examples[in.ConsumeIntegral<uint8_t>() % examples.size()];
  const kpi_metric_descriptor& d = metric.descriptor();

  const size_t rows = in.ConsumeIntegralInRange<size_t>(0, kMaxRows);
  const bool has_columns = example.request.columns_size() > 0;
  // group_by needs rows; a call with scalars has none to group.
  const int segments = has_columns && example.request.scalars().empty()
                           ? in.ConsumeIntegralInRange(0, 4)
                           : 0;
  std::vector<size_t> cuts(in.ConsumeIntegralInRange(0, 3));
  for (size_t& cut : cuts) cut = in.ConsumeIntegralInRange<size_t>(0, rows);
  std::sort(cuts.begin(), cuts.end());

  ValueMaker make(in);
  kpi::v1::ComputeRequest request = example.request;
  MaybeChangeParameters(d, in, make, request);
  request.clear_columns();
  for (const kpi::v1::Column& column : example.request.columns()) {
    const kpi_input_spec* spec = FindInput(d, column.name());
    if (spec == nullptr) return 0;
    *request.add_columns() = MakeColumn(column, *spec, rows, make);
  }

  const absl::StatusOr<kpi::v1::MetricResult> whole = Compute(request);
  CheckOutcome(whole);
  // Rows are a set: the same rows in reverse give the same result.
  const absl::StatusOr<kpi::v1::MetricResult> reversed =
      Compute(Reversed(request));
  CheckOutcome(reversed);
  if (whole.ok() != reversed.ok() ||
      (make.tame() && whole.ok() && !Same(*whole, *reversed))) {
    Disagree(request, whole, reversed, {});
  }
  if (segments > 0) {
    kpi::v1::Column* key = request.add_columns();
    key->set_name("fuzz_segment");
    for (size_t r = 0; r < rows; ++r) {
      key->mutable_int64s()->add_values(
          in.ConsumeIntegralInRange(0, segments - 1));
    }
    if (rows == 0) key->mutable_int64s();
    request.add_group_by("fuzz_segment");
  }
  const absl::StatusOr<kpi::v1::MetricResult> parts =
      ComputeStream(SplitIntoChunks(request, cuts));
  CheckOutcome(parts);

  if (whole.ok() != parts.ok()) Disagree(request, whole, parts, cuts);
  if (!make.tame() || !whole.ok()) return 0;
  if (!Same(*whole, *parts)) Disagree(request, whole, parts, cuts);
  // Each segment's result is its rows' result alone.
  for (const kpi::v1::SegmentResult& segment : parts->segments()) {
    const kpi::v1::ComputeRequest alone =
        SegmentAlone(request, std::stoll(segment.key(0)));
    const absl::StatusOr<kpi::v1::MetricResult> expected = Compute(alone);
    CheckOutcome(expected);
    if (!expected.ok() || !Same(*expected, segment.result())) {
      absl::StatusOr<kpi::v1::MetricResult> got = segment.result();
      Disagree(alone, expected, got, {});
    }
  }
  return 0;
}
