#include "conformance.h"

#include <google/protobuf/repeated_field.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bound_chunk.h"
#include "bound_params.h"
#include "call_args.h"
#include "input_form.h"
#include "list_param.h"
#include "metric.h"
#include "metric_call.h"
#include "metric_state.h"
#include "result_sink.h"
#include "schema_check.h"

namespace kpi {
namespace {

constexpr size_t kRows = 64;
// Draws of generated input tried before a refusal skips a check.
constexpr int kDraws = 3;
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000000;
constexpr int64_t kJan1 = int64_t{19723} * kMicrosPerDay;  // 2024-01-01
constexpr int64_t kMar1 = kJan1 + 60 * kMicrosPerDay;      // 2024-03-01

// A CallArgs with the values it points to.
class OwnedArgs {
 public:
  OwnedArgs() = default;
  OwnedArgs(const OwnedArgs&) = delete;
  OwnedArgs& operator=(const OwnedArgs&) = delete;

  void AddDoubles(absl::string_view name, std::vector<double> values) {
    f64_.push_back(std::move(values));
    ColumnArg column;
    column.name = name;
    column.type = KPI_TYPE_DOUBLE;
    column.length = f64_.back().size();
    column.f64 = f64_.back().data();
    args_.columns.push_back(column);
  }
  void AddInt64s(absl::string_view name, kpi_value_type type,
                 std::vector<int64_t> values) {
    i64_.push_back(std::move(values));
    ColumnArg column;
    column.name = name;
    column.type = type;
    column.length = i64_.back().size();
    column.i64 = i64_.back().data();
    args_.columns.push_back(column);
  }
  void AddStrings(absl::string_view name, const std::vector<std::string>& v) {
    strings_.emplace_back();
    for (const std::string& s : v) *strings_.back().Add() = s;
    ColumnArg column;
    column.name = name;
    column.type = KPI_TYPE_STRING;
    column.length = v.size();
    column.strings = &strings_.back();
    args_.columns.push_back(column);
  }
  void AddScalar(absl::string_view name, v1::Value value) {
    args_.owned_values.push_back(std::move(value));
    args_.scalars.push_back({name, &args_.owned_values.back()});
    SortByName(args_.scalars);
  }
  void AddParam(absl::string_view name, v1::Value value) {
    args_.owned_values.push_back(std::move(value));
    args_.parameters.push_back({name, &args_.owned_values.back()});
    SortByName(args_.parameters);
  }
  const CallArgs& args() const { return args_; }

 private:
  static void SortByName(std::vector<NamedValue>& values) {
    std::stable_sort(values.begin(), values.end(),
                     [](const NamedValue& a, const NamedValue& b) {
                       return a.name < b.name;
                     });
  }

  std::deque<std::vector<double>> f64_;
  std::deque<std::vector<int64_t>> i64_;
  std::deque<google::protobuf::RepeatedPtrField<std::string>> strings_;
  CallArgs args_;
};

// Parameters by name, as a call gives them.
using ParamList = std::vector<std::pair<std::string, v1::Value>>;

// Values for the REQUIRED parameters (their defaults are placeholders).
ParamList FillRequiredParams(const kpi_metric_descriptor& metric,
                             absl::Span<const kpi_list_param> lists) {
  ParamList filled;
  int required_timestamps = 0;
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& spec = metric.params[i];
    if ((spec.flags & KPI_PARAM_REQUIRED) &&
        spec.default_value.type == KPI_TYPE_TIMESTAMP) {
      ++required_timestamps;
    }
  }
  // One timestamp is an "as of": after every generated timestamp. Several
  // are a period and its steps: 2024-01-01, 2024-02-01, ...
  int timestamps = required_timestamps == 1 ? 2 : 0;
  for (size_t i = 0; i < metric.num_params; ++i) {
    const kpi_param_spec& spec = metric.params[i];
    if (!(spec.flags & KPI_PARAM_REQUIRED)) continue;
    kpi_param_value value = spec.default_value;
    switch (spec.default_value.type) {
      case KPI_TYPE_TIMESTAMP: {
        // 2024-01-01, 2024-02-01, 2024-03-01, ...
        int month = timestamps++;
        value.i64 = kJan1 + (month == 0   ? 0
                             : month == 1 ? 31
                                          : 31 + 29 * (month - 1)) *
                                kMicrosPerDay;
        break;
      }
      case KPI_TYPE_DOUBLE:
      case KPI_TYPE_INT64: {
        double n = (spec.flags & KPI_PARAM_HAS_MIN) ? spec.min : 1.0;
        if ((spec.flags & KPI_PARAM_HAS_MAX) && n > spec.max) n = spec.max;
        if (spec.flags & KPI_PARAM_INTEGRAL) n = std::ceil(n);
        value.f64 = n;
        value.i64 = static_cast<int64_t>(n);
        break;
      }
      case KPI_TYPE_STRING:
        if (const kpi_list_param* list = FindListParam(lists, spec.name)) {
          v1::Value sample;
          sample.set_string_value(ListSample(*list));
          filled.emplace_back(spec.name, std::move(sample));
          continue;
        }
        if (spec.allowed_count > 0) {
          value.str = {spec.allowed_values[0],
                       std::char_traits<char>::length(spec.allowed_values[0])};
        }
        break;
      default:
        break;
    }
    filled.emplace_back(spec.name, ToRequestValue(value));
  }
  return filled;
}

// splitmix64: deterministic on every platform.
class Random {
 public:
  explicit Random(absl::string_view seed) {
    for (char c : seed) state_ = state_ * 131 + static_cast<unsigned char>(c);
  }
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform whole number in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo +
           static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }

 private:
  uint64_t state_ = 0x243f6a8885a308d3ull;
};

// The values of one input over a whole call: every row of a column, the one
// value of a scalar. Generated, or copied from a declared example.
struct InputValues {
  std::string name;
  kpi_input_kind kind;
  int type;  // a kpi_value_type
  std::vector<double> f64;
  std::vector<int64_t> i64;
  std::vector<std::string> str;
};

// The values already generated for the input that `name` must not be before
// (an order of `orders`), or nullptr.
const InputValues* NotBefore(absl::Span<const kpi_input_order> orders,
                             const std::vector<InputValues>& generated,
                             absl::string_view name) {
  for (const kpi_input_order& order : orders) {
    if (name != order.input) continue;
    for (const InputValues& values : generated) {
      if (values.name == order.not_before) return &values;
    }
  }
  return nullptr;
}

// Rows that keep the metric's declared ranges and, where the earlier input
// of an order is declared first, its input orders.
std::vector<InputValues> Generate(const kpi_metric_descriptor& metric,
                                  absl::Span<const kpi_input_order> orders,
                                  const char* form, const BoundParams& params,
                                  bool required_only, int seed) {
  Random random(absl::StrCat(metric.name, "/", form ? form : "", "/", seed));
  std::vector<InputValues> inputs;
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const kpi_input_spec& spec = metric.inputs[i];
    if (!InForm(spec, form)) continue;
    if (required_only && !(spec.flags & KPI_INPUT_REQUIRED)) continue;
    const size_t n = spec.kind == KPI_INPUT_SCALAR ? 1 : kRows;
    InputValues input{spec.name, spec.kind, spec.type, {}, {}, {}};
    std::optional<double> lo, hi;
    if (spec.flags & KPI_INPUT_HAS_MIN) lo = spec.min;
    if (spec.flags & KPI_INPUT_HAS_MAX) hi = spec.max;
    if (spec.min_param) lo = params.Numeric(spec.min_param);
    if (spec.max_param) hi = params.Numeric(spec.max_param);
    const bool integral =
        (spec.flags & KPI_INPUT_INTEGRAL) || spec.type == KPI_TYPE_INT64;
    const double span = spec.type == KPI_TYPE_INT64 ? 20.0 : 1000.0;
    double low = lo ? *lo : (hi ? std::min(0.0, *hi - span) : 0.0);
    double high = hi ? *hi : low + span;
    // A range of extreme width would make sums lose precision.
    if (high - low > 1e6) high = low + 1e6;
    const InputValues* earlier = NotBefore(orders, inputs, spec.name);
    if (earlier != nullptr && earlier->kind != KPI_INPUT_COLUMN) {
      earlier = nullptr;
    }
    for (size_t row = 0; row < n; ++row) {
      switch (spec.type) {
        case KPI_TYPE_DOUBLE:
        case KPI_TYPE_INT64: {
          double v;
          if (integral) {
            v = static_cast<double>(
                random.Between(static_cast<int64_t>(std::ceil(low)),
                               static_cast<int64_t>(std::floor(high))));
          } else {
            v = low + (high - low) * random.Unit();
          }
          if (earlier != nullptr) {
            const double floor = spec.type == KPI_TYPE_DOUBLE
                                     ? earlier->f64[row]
                                     : static_cast<double>(earlier->i64[row]);
            v = std::max(v, floor);
          }
          if (spec.type == KPI_TYPE_DOUBLE) {
            input.f64.push_back(v);
          } else {
            input.i64.push_back(static_cast<int64_t>(v));
          }
          break;
        }
        case KPI_TYPE_STRING:
        case KPI_TYPE_KEY:
          input.str.push_back(absl::StrCat("c", random.Between(0, 7)));
          break;
        case KPI_TYPE_TIMESTAMP: {
          const int64_t from = earlier != nullptr ? earlier->i64[row] : kJan1;
          // Whole seconds.
          int64_t t = random.Between(from / 1000000, kMar1 / 1000000) * 1000000;
          input.i64.push_back(t);
          break;
        }
        default:
          break;
      }
    }
    inputs.push_back(std::move(input));
  }
  return inputs;
}

// One call's input in full -- parameters, scalars and every row -- which the
// checks send as one chunk or split over several chunks or states: rows
// generated from the schema, or a declared example's.
struct FullCall {
  ParamList params;
  std::vector<InputValues> inputs;
  size_t rows = 0;  // of the longest column

  // Whether any column carries rows (a form of scalars only has none).
  bool HasRows() const {
    for (const InputValues& in : inputs) {
      if (in.kind == KPI_INPUT_COLUMN &&
          (!in.f64.empty() || !in.i64.empty() || !in.str.empty())) {
        return true;
      }
    }
    return false;
  }

  void AddParams(OwnedArgs& args) const {
    for (const auto& [name, value] : params) args.AddParam(name, value);
  }
  // Rows [begin, end) of every column as one chunk's args; the scalars too
  // when `first`, as only the first chunk of a call carries them.
  void AddChunk(size_t begin, size_t end, bool first, OwnedArgs& args) const {
    for (const InputValues& in : inputs) {
      if (in.kind == KPI_INPUT_SCALAR) {
        if (!first) continue;
        v1::Value v;
        if (in.type == KPI_TYPE_DOUBLE) {
          v.set_double_value(in.f64[0]);
        } else if (in.type == KPI_TYPE_STRING) {
          v.set_string_value(in.str[0]);
        } else {
          v.set_int64_value(in.i64[0]);
        }
        args.AddScalar(in.name, std::move(v));
        continue;
      }
      switch (in.type) {
        case KPI_TYPE_DOUBLE:
          args.AddDoubles(in.name, Slice(in.f64, begin, end));
          break;
        case KPI_TYPE_STRING:
        case KPI_TYPE_KEY:  // keys as their text
          args.AddStrings(in.name, Slice(in.str, begin, end));
          break;
        default:
          args.AddInt64s(in.name, static_cast<kpi_value_type>(in.type),
                         Slice(in.i64, begin, end));
          break;
      }
    }
  }

 private:
  // Clamped: an example's columns may differ in length, which binding
  // then refuses by name.
  template <typename T>
  static std::vector<T> Slice(const std::vector<T>& v, size_t begin,
                              size_t end) {
    end = std::min(end, v.size());
    begin = std::min(begin, end);
    return std::vector<T>(v.begin() + begin, v.begin() + end);
  }
};

// Where the chunks (or states) of `rows` rows start: three of unequal size,
// {0, 10, 40, 64} for the generated rows.
std::vector<size_t> ThreeChunks(size_t rows) {
  return {0, (rows * 10 + kRows - 1) / kRows, (rows * 40 + kRows - 1) / kRows,
          rows};
}

// A declared example as a call, or INVALID_ARGUMENT saying why it is
// malformed.
absl::StatusOr<FullCall> ExampleCall(const kpi_metric_descriptor& metric,
                                     const kpi_example& example) {
  FullCall call;
  for (size_t i = 0; i < example.num_params; ++i) {
    const kpi_example_param& p = example.params[i];
    if (p.name == nullptr) return absl::InvalidArgumentError("unnamed param");
    call.params.emplace_back(p.name, ToRequestValue(p.value));
  }
  for (size_t i = 0; i < example.num_inputs; ++i) {
    const kpi_example_input& in = example.inputs[i];
    if (in.name == nullptr) return absl::InvalidArgumentError("unnamed input");
    // Unknown inputs go as columns, which binding refuses by name.
    kpi_input_kind kind = KPI_INPUT_COLUMN;
    for (size_t j = 0; j < metric.num_inputs; ++j) {
      if (absl::string_view(metric.inputs[j].name) == in.name) {
        kind = metric.inputs[j].kind;
      }
    }
    const kpi_column& c = in.values;
    if (kind == KPI_INPUT_SCALAR && c.length != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scalar input '", in.name, "' has ", c.length, " values, not 1"));
    }
    if (c.length > 0 &&
        ((c.type == KPI_TYPE_DOUBLE && !c.f64) ||
         ((c.type == KPI_TYPE_STRING || c.type == KPI_TYPE_KEY) && !c.str) ||
         ((c.type == KPI_TYPE_INT64 || c.type == KPI_TYPE_TIMESTAMP) &&
          !c.i64))) {
      return absl::InvalidArgumentError(
          absl::StrCat("input '", in.name, "': values missing"));
    }
    InputValues values{in.name, kind, c.type, {}, {}, {}};
    if (c.type == KPI_TYPE_DOUBLE) {
      values.f64.assign(c.f64, c.f64 + c.length);
    } else if (c.type == KPI_TYPE_STRING || c.type == KPI_TYPE_KEY) {
      for (size_t r = 0; r < c.length; ++r) {
        values.str.emplace_back(c.str[r].data, c.str[r].size);
      }
    } else if (c.type == KPI_TYPE_INT64 || c.type == KPI_TYPE_TIMESTAMP) {
      values.i64.assign(c.i64, c.i64 + c.length);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("input '", in.name, "': unknown type ", c.type));
    }
    if (kind == KPI_INPUT_COLUMN) call.rows = std::max(call.rows, c.length);
    call.inputs.push_back(std::move(values));
  }
  return call;
}

// Empty when equal (numbers to 1e-9 relative), else the differences.
std::string Difference(const v1::MetricResult& a, const v1::MetricResult& b) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_float_comparison(
      google::protobuf::util::DefaultFieldComparator::APPROXIMATE);
  comparator.SetDefaultFractionAndMargin(1e-9, 1e-12);
  google::protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(a, b)) return std::string();
  if (report.size() > 400) report = report.substr(0, 400) + "...";
  while (!report.empty() && report.back() == '\n') report.pop_back();
  for (char& c : report) {
    if (c == '\n') c = ';';
  }
  return report;
}

std::string Describe(const v1::MetricResult& result) {
  if (result.has_value()) return absl::StrCat("value ", result.value());
  return absl::StrCat("undefined (", result.undefined_reason(), ")");
}

// The forms to exercise: each declared form, or nullptr when none.
std::vector<const char*> Forms(const kpi_metric_descriptor& metric) {
  std::vector<const char*> forms = DeclaredForms(metric);
  if (forms.empty()) forms.push_back(nullptr);
  return forms;
}

class MetricChecker {
 public:
  MetricChecker(std::shared_ptr<const Metric> metric,
                std::vector<CheckResult>& out)
      : metric_(std::move(metric)), d_(metric_->descriptor()), out_(out) {}

  void Run() {
    for (size_t i = 0; d_.examples != nullptr && i < d_.num_examples; ++i) {
      examples_.push_back(ExampleCall(d_, d_.examples[i]));
    }
    EmptyState();
    for (const char* form : Forms(d_)) Generated(form);
    Examples();
  }

 private:
  void Add(const char* check, CheckOutcome outcome, std::string detail) {
    out_.push_back({check, d_.name, outcome, std::move(detail)});
  }

  std::string ExampleName(size_t i) const {
    const char* name = d_.examples[i].name;
    return absl::StrCat("example '", name ? name : "", "'");
  }

  absl::StatusOr<BoundParams> Bind(const ParamList& params) {
    OwnedArgs args;
    for (const auto& [name, value] : params) args.AddParam(name, value);
    return BoundParams::Bind(d_, args.args().parameters,
                             metric_->list_params());
  }

  // Whether `call` uses input form `form` (nullptr: the metric has none).
  bool UsesForm(const FullCall& call, const char* form) {
    OwnedArgs args;
    call.AddChunk(0, call.rows, true, args);
    absl::StatusOr<const char*> chosen = ChooseInputForm(d_, args.args());
    if (!chosen.ok() || (*chosen == nullptr) != (form == nullptr)) {
      return false;
    }
    return form == nullptr || absl::string_view(*chosen) == form;
  }

  // The filled-in parameters first; when the plugin refuses them (a
  // required parameter no generated value fits, like a list of signals the
  // rows must name), each declared example's parameters in turn.
  void EmptyState() {
    absl::Status first_refusal;
    for (size_t i = 0; i <= examples_.size(); ++i) {
      const bool filled = i == 0;
      if (!filled && !examples_[i - 1].ok()) continue;
      absl::StatusOr<BoundParams> params =
          Bind(filled ? FillRequiredParams(d_, metric_->list_params())
                      : examples_[i - 1]->params);
      if (!params.ok()) {
        if (!filled) continue;  // the examples check reports it
        Add(kCheckEmptyState, CheckOutcome::kFail,
            absl::StrCat("default parameters do not bind: ",
                         params.status().message()));
        return;
      }
      absl::StatusOr<MetricState> state = MetricState::Create(metric_, *params);
      if (!state.ok()) {
        if (!absl::IsInvalidArgument(state.status())) {
          Add(kCheckEmptyState, CheckOutcome::kFail,
              absl::StrCat("create: ", state.status().message()));
          return;
        }
        if (first_refusal.ok()) first_refusal = state.status();
        continue;
      }
      const std::string with = filled ? std::string()
                                      : absl::StrCat("with the parameters of ",
                                                     ExampleName(i - 1), ": ");
      absl::StatusOr<v1::MetricResult> result =
          NonFiniteIsADefect(state->Finalize());
      if (result.ok()) {
        Add(kCheckEmptyState, CheckOutcome::kPass,
            absl::StrCat(with, Describe(*result)));
      } else if (absl::IsInvalidArgument(result.status())) {
        Add(kCheckEmptyState, CheckOutcome::kPass,
            absl::StrCat(
                with, "refused as invalid input: ", result.status().message()));
      } else {
        Add(kCheckEmptyState, CheckOutcome::kFail,
            absl::StrCat(with, result.status().message()));
      }
      return;
    }
    Add(kCheckEmptyState, CheckOutcome::kSkip,
        absl::StrCat("create: ", first_refusal.message()));
  }

  // One call: the rows of `call` in the chunks split at `splits`.
  absl::StatusOr<v1::MetricResult> Call(const FullCall& call,
                                        const std::vector<size_t>& splits) {
    std::deque<OwnedArgs> chunks;
    for (size_t c = 0; c + 1 < splits.size(); ++c) {
      chunks.emplace_back();
      if (c == 0) call.AddParams(chunks.back());
      call.AddChunk(splits[c], splits[c + 1], c == 0, chunks.back());
    }
    absl::StatusOr<MetricCall> started =
        MetricCall::Start(metric_, chunks.front().args());
    if (!started.ok()) return started.status();
    for (const OwnedArgs& chunk : chunks) {
      if (absl::Status s = started->Add(chunk.args()); !s.ok()) return s;
    }
    return NonFiniteIsADefect(started->Finish());
  }

  // Generated and declared inputs are moderate: a result that overflowed on
  // them is the plugin's NaN or infinity, not the input's.
  static absl::StatusOr<v1::MetricResult> NonFiniteIsADefect(
      absl::StatusOr<v1::MetricResult> result) {
    if (result.ok() && IsNonFiniteResult(*result)) {
      return absl::InternalError(absl::StrCat(
          "a non-finite result on moderate input: ", result->undefined_reason(),
          " (a plugin reports an undefined result with a reason instead)"));
    }
    return result;
  }

  // States over the three chunks of `call`'s rows; A gets the scalars. The
  // states are parts of one call: they share `keys`, which must outlive
  // them.
  absl::StatusOr<std::vector<MetricState>> States(const FullCall& call,
                                                  const BoundParams& params,
                                                  const char* form,
                                                  CallKeys& keys) {
    const std::vector<size_t> splits = ThreeChunks(call.rows);
    std::vector<MetricState> states;
    for (size_t i = 0; i + 1 < splits.size(); ++i) {
      absl::StatusOr<MetricState> state = MetricState::Create(metric_, params);
      if (!state.ok()) return state.status();
      OwnedArgs args;
      call.AddChunk(splits[i], splits[i + 1], i == 0, args);
      // B and C are like later chunks of the call: no scalars.
      absl::StatusOr<BoundChunk> chunk = BoundChunk::Bind(
          d_, params, args.args(), ChunkPosition{i == 0, splits[i], form},
          metric_->input_orders(), &keys);
      if (!chunk.ok()) return chunk.status();
      if (absl::Status s = state->Update(chunk->chunk()); !s.ok()) return s;
      states.push_back(*std::move(state));
    }
    return states;
  }

  absl::StatusOr<v1::MetricResult> MergedLeft(const FullCall& call,
                                              const BoundParams& params,
                                              const char* form) {
    CallKeys keys(d_, CallKeys::kDefaultMaxKeys);
    auto s = States(call, params, form, keys);
    if (!s.ok()) return s.status();
    std::vector<MetricState>& st = *s;
    if (absl::Status m = st[0].Merge(st[1]); !m.ok()) return m;
    if (absl::Status m = st[0].Merge(st[2]); !m.ok()) return m;
    return NonFiniteIsADefect(st[0].Finalize());
  }

  absl::StatusOr<v1::MetricResult> MergedRight(const FullCall& call,
                                               const BoundParams& params,
                                               const char* form) {
    CallKeys keys(d_, CallKeys::kDefaultMaxKeys);
    auto s = States(call, params, form, keys);
    if (!s.ok()) return s.status();
    std::vector<MetricState>& st = *s;
    if (absl::Status m = st[1].Merge(st[2]); !m.ok()) return m;
    if (absl::Status m = st[0].Merge(st[1]); !m.ok()) return m;
    return NonFiniteIsADefect(st[0].Finalize());
  }

  void Generated(const char* form) {
    const std::string prefix =
        form ? absl::StrCat(form, " form: ") : std::string();
    const ParamList filled = FillRequiredParams(d_, metric_->list_params());
    absl::StatusOr<BoundParams> params = Bind(filled);
    if (!params.ok()) {
      for (const char* check : {kCheckChunking, kCheckMerge}) {
        Add(check, CheckOutcome::kFail,
            absl::StrCat(prefix, "default parameters do not bind: ",
                         params.status().message()));
      }
      return;
    }
    // The baseline: every row in one chunk. Generated rows with all inputs
    // of the form first; if refused, other draws, then only the required
    // inputs; then the first declared example of the form the plugin
    // accepts, for input the schema cannot describe (rows that must name a
    // declared signal, totals that must add up).
    FullCall call;
    std::string rows;
    absl::StatusOr<v1::MetricResult> one = absl::UnknownError("");
    absl::Status first_refusal;
    for (int attempt = 0; attempt < 2 * kDraws; ++attempt) {
      call = FullCall{filled,
                      Generate(d_, metric_->input_orders(), form, *params,
                               attempt >= kDraws, attempt % kDraws),
                      kRows};
      one = Call(call, {0, kRows});
      rows = call.HasRows() ? absl::StrCat(kRows, " generated rows")
                            : std::string("generated totals (no rows)");
      if (one.ok() || !absl::IsInvalidArgument(one.status())) break;
      if (first_refusal.ok()) first_refusal = one.status();
    }
    // Generated input that is refused, or that gives an undefined result
    // (funnel rows naming no declared stage), checks little; an example
    // with a value checks more.
    const auto checks_little = [](const absl::StatusOr<v1::MetricResult>& r) {
      return r.ok() ? !r->has_value() : absl::IsInvalidArgument(r.status());
    };
    for (size_t i = 0; i < examples_.size() && checks_little(one); ++i) {
      if (!examples_[i].ok() || !UsesForm(*examples_[i], form)) continue;
      absl::StatusOr<v1::MetricResult> result =
          Call(*examples_[i], {0, examples_[i]->rows});
      if (!result.ok()) continue;  // the examples check reports it
      if (one.ok() && !result->has_value()) continue;
      rows = absl::StrCat(
          ExampleName(i), " (generated input ",
          one.ok() ? "gives an undefined result"
                   : absl::StrCat("refused: ", first_refusal.message()),
          ")");
      call = *examples_[i];
      one = std::move(result);
    }
    if (!one.ok() && absl::IsInvalidArgument(one.status())) {
      one = first_refusal;
    }
    if (one.ok()) params = Bind(call.params);
    if (!one.ok() || !params.ok()) {
      const absl::Status& s = one.ok() ? params.status() : one.status();
      const bool refused = absl::IsInvalidArgument(s);
      for (const char* check : {kCheckChunking, kCheckMerge}) {
        Add(check, refused ? CheckOutcome::kSkip : CheckOutcome::kFail,
            absl::StrCat(prefix,
                         refused ? "generated input refused: "
                                 : "one chunk of generated input: ",
                         s.message()));
      }
      return;
    }

    absl::StatusOr<v1::MetricResult> three = Call(call, ThreeChunks(call.rows));
    if (!three.ok()) {
      Add(kCheckChunking, CheckOutcome::kFail,
          absl::StrCat(prefix, "one chunk gives ", Describe(*one),
                       ", three chunks fail: ", three.status().message()));
    } else if (std::string diff = Difference(*one, *three); !diff.empty()) {
      Add(kCheckChunking, CheckOutcome::kFail,
          absl::StrCat(prefix, "one chunk gives ", Describe(*one),
                       ", three chunks give ", Describe(*three), ": ", diff));
    } else {
      // A form of scalars only has no rows to split: its "three chunks" are
      // the scalars and two empty chunks, its three states one with the
      // scalars and two empty ones. Say so rather than count rows.
      Add(kCheckChunking, CheckOutcome::kPass,
          absl::StrCat(prefix, rows,
                       call.HasRows() ? " in 1 and 3 chunks: "
                                      : " in 1 chunk, and followed by 2 empty "
                                        "chunks: ",
                       Describe(*one)));
    }

    absl::StatusOr<v1::MetricResult> left = MergedLeft(call, *params, form);
    absl::StatusOr<v1::MetricResult> right =
        left.ok() ? MergedRight(call, *params, form) : left;
    if (!left.ok() || !right.ok()) {
      const absl::Status& s = left.ok() ? right.status() : left.status();
      Add(kCheckMerge, CheckOutcome::kFail,
          absl::StrCat(prefix, "one state gives ", Describe(*one),
                       ", merging three states fails: ", s.message()));
      return;
    }
    if (std::string diff = Difference(*left, *right); !diff.empty()) {
      Add(kCheckMerge, CheckOutcome::kFail,
          absl::StrCat(prefix, "(A merge B) merge C gives ", Describe(*left),
                       ", A merge (B merge C) gives ", Describe(*right), ": ",
                       diff));
    } else if (std::string diff = Difference(*one, *left); !diff.empty()) {
      Add(kCheckMerge, CheckOutcome::kFail,
          absl::StrCat(prefix, "one state gives ", Describe(*one),
                       ", three merged states give ", Describe(*left), ": ",
                       diff));
    } else {
      Add(kCheckMerge, CheckOutcome::kPass,
          absl::StrCat(prefix, rows,
                       call.HasRows() ? " in 3 states" : " in 1 of 3 states",
                       ", merged either way and unsplit: ", Describe(*one)));
    }
  }

  void Examples() {
    if (examples_.empty()) {
      Add(kCheckExamples, CheckOutcome::kSkip, "no examples declared");
      return;
    }
    for (size_t i = 0; i < examples_.size(); ++i) {
      const kpi_example& example = d_.examples[i];
      const std::string name = absl::StrCat(ExampleName(i), ": ");
      if (!examples_[i].ok()) {
        Add(kCheckExamples, CheckOutcome::kFail,
            absl::StrCat(name, "malformed: ", examples_[i].status().message()));
        continue;
      }
      absl::StatusOr<v1::MetricResult> result =
          Call(*examples_[i], {0, examples_[i]->rows});
      if (!result.ok()) {
        Add(kCheckExamples, CheckOutcome::kFail,
            absl::StrCat(name, "the call fails: ", result.status().message()));
        continue;
      }
      if (example.expect == KPI_EXPECT_UNDEFINED) {
        if (result->has_value()) {
          Add(kCheckExamples, CheckOutcome::kFail,
              absl::StrCat(name, "expected undefined, got ", result->value()));
        } else {
          Add(kCheckExamples, CheckOutcome::kPass,
              absl::StrCat(name, Describe(*result)));
        }
        continue;
      }
      if (example.expect != KPI_EXPECT_VALUE || !(example.tolerance >= 0) ||
          !std::isfinite(example.value)) {
        Add(kCheckExamples, CheckOutcome::kFail,
            absl::StrCat(name, "malformed expectation (expect ", example.expect,
                         ", value ", example.value, ", tolerance ",
                         example.tolerance, ")"));
        continue;
      }
      const std::string expected = absl::StrCat(
          "expected ", example.value, " \xC2\xB1 ", example.tolerance);
      if (!result->has_value()) {
        Add(kCheckExamples, CheckOutcome::kFail,
            absl::StrCat(name, expected, ", got ", Describe(*result)));
      } else if (!(std::fabs(result->value() - example.value) <=
                   example.tolerance)) {
        Add(kCheckExamples, CheckOutcome::kFail,
            absl::StrCat(name, expected, ", got ", result->value()));
      } else {
        Add(kCheckExamples, CheckOutcome::kPass,
            absl::StrCat(name, Describe(*result)));
      }
    }
  }

  std::shared_ptr<const Metric> metric_;
  const kpi_metric_descriptor& d_;
  std::vector<CheckResult>& out_;
  // The declared examples as calls, in declaration order.
  std::vector<absl::StatusOr<FullCall>> examples_;
};

}  // namespace

const CheckResult* ConformanceReport::first_failure() const {
  for (const CheckResult& r : results) {
    if (r.outcome == CheckOutcome::kFail) return &r;
  }
  return nullptr;
}

int ConformanceReport::count(CheckOutcome outcome) const {
  return static_cast<int>(std::count_if(
      results.begin(), results.end(),
      [&](const CheckResult& r) { return r.outcome == outcome; }));
}

const char* OutcomeName(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kPass:
      return "PASS";
    case CheckOutcome::kFail:
      return "FAIL";
    case CheckOutcome::kSkip:
      return "SKIP";
  }
  return "?";
}

ConformanceReport CheckConformance(
    const std::shared_ptr<const PluginLibrary>& library) {
  ConformanceReport report;
  const kpi_plugin_descriptor& plugin = library->descriptor();
  absl::Status schema = CheckPluginDescriptor(plugin);
  if (!schema.ok()) {
    report.results.push_back({kCheckDescriptor, "", CheckOutcome::kFail,
                              std::string(schema.message())});
    return report;
  }
  report.results.push_back(
      {kCheckDescriptor, "", CheckOutcome::kPass,
       absl::StrCat("plugin ", plugin.name, " ", plugin.version, ", ",
                    plugin.num_metrics, " metrics")});
  for (size_t i = 0; i < plugin.num_metrics; ++i) {
    auto metric = std::make_shared<const Metric>(library, &plugin.metrics[i]);
    MetricChecker(std::move(metric), report.results).Run();
  }
  return report;
}

absl::Status ConformanceStatus(const ConformanceReport& report) {
  const CheckResult* failure = report.first_failure();
  if (failure == nullptr) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("conformance check '", failure->check, "' failed",
                   failure->metric.empty()
                       ? ""
                       : absl::StrCat(" for metric '", failure->metric, "'"),
                   ": ", failure->detail));
}

}  // namespace kpi
