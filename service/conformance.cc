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
#include "bound_chunk.h"
#include "bound_params.h"
#include "call_args.h"
#include "input_form.h"
#include "metric.h"
#include "metric_call.h"
#include "metric_state.h"
#include "schema_check.h"

namespace kpi {
namespace {

constexpr size_t kRows = 64;
// Draws of generated input tried before a refusal skips a check.
constexpr int kDraws = 3;
// Where the three chunks (or states) of the generated rows start.
constexpr size_t kSplits[] = {0, 10, 40, kRows};
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

v1::Value ParamValue(const kpi_param_value& value) {
  v1::Value v;
  switch (value.type) {
    case KPI_TYPE_DOUBLE:
      v.set_double_value(value.f64);
      break;
    case KPI_TYPE_STRING:
      v.set_string_value(std::string(value.str.data, value.str.size));
      break;
    case KPI_TYPE_BOOL:
      v.set_bool_value(value.boolean != 0);
      break;
    default:  // INT64, TIMESTAMP (microseconds)
      v.set_int64_value(value.i64);
      break;
  }
  return v;
}

// Values for the REQUIRED parameters (their defaults are placeholders).
void FillRequiredParams(const kpi_metric_descriptor& metric, OwnedArgs& args) {
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
        if (spec.allowed_count > 0) {
          value.str = {spec.allowed_values[0],
                       std::char_traits<char>::length(spec.allowed_values[0])};
        }
        break;
      default:
        break;
    }
    args.AddParam(spec.name, ParamValue(value));
  }
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

bool InForm(const kpi_input_spec& spec, const char* form) {
  return spec.form == nullptr ||
         (form != nullptr && absl::string_view(spec.form) == form);
}

bool LooksLikeEnd(absl::string_view name) {
  for (absl::string_view word :
       {"end", "resolved", "first_response", "closed", "last", "finish"}) {
    if (absl::StrContains(name, word)) return true;
  }
  return false;
}

// Generated values of one input: kRows for a column, 1 for a scalar.
struct GeneratedInput {
  const kpi_input_spec* spec;
  std::vector<double> f64;
  std::vector<int64_t> i64;
  std::vector<std::string> str;
};

std::vector<GeneratedInput> Generate(const kpi_metric_descriptor& metric,
                                     const char* form,
                                     const BoundParams& params,
                                     bool required_only, int seed) {
  Random random(absl::StrCat(metric.name, "/", form ? form : "", "/", seed));
  std::vector<GeneratedInput> inputs;
  // Per row: the latest timestamp generated so far (for end-like inputs).
  std::vector<int64_t> previous_time(kRows, 0);
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const kpi_input_spec& spec = metric.inputs[i];
    if (!InForm(spec, form)) continue;
    if (required_only && !(spec.flags & KPI_INPUT_REQUIRED)) continue;
    const size_t n = spec.kind == KPI_INPUT_SCALAR ? 1 : kRows;
    GeneratedInput input{&spec, {}, {}, {}};
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
          if (spec.type == KPI_TYPE_DOUBLE) {
            input.f64.push_back(v);
          } else {
            input.i64.push_back(static_cast<int64_t>(v));
          }
          break;
        }
        case KPI_TYPE_STRING:
          input.str.push_back(absl::StrCat("c", random.Between(0, 7)));
          break;
        case KPI_TYPE_TIMESTAMP: {
          int64_t from = kJan1;
          if (LooksLikeEnd(spec.name) && previous_time[row] != 0) {
            from = previous_time[row];
          }
          // Whole seconds.
          int64_t t = random.Between(from / 1000000, kMar1 / 1000000) * 1000000;
          previous_time[row] = t;
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

// Rows [begin, end) of the generated inputs as a chunk's args; scalars only
// when `scalars`.
void AddRows(const std::vector<GeneratedInput>& inputs, size_t begin,
             size_t end, bool scalars, OwnedArgs& args) {
  for (const GeneratedInput& in : inputs) {
    const kpi_input_spec& spec = *in.spec;
    if (spec.kind == KPI_INPUT_SCALAR) {
      if (!scalars) continue;
      v1::Value v;
      if (spec.type == KPI_TYPE_DOUBLE) {
        v.set_double_value(in.f64[0]);
      } else if (spec.type == KPI_TYPE_STRING) {
        v.set_string_value(in.str[0]);
      } else {
        v.set_int64_value(in.i64[0]);
      }
      args.AddScalar(spec.name, std::move(v));
      continue;
    }
    switch (spec.type) {
      case KPI_TYPE_DOUBLE:
        args.AddDoubles(spec.name, std::vector<double>(in.f64.begin() + begin,
                                                       in.f64.begin() + end));
        break;
      case KPI_TYPE_STRING:
        args.AddStrings(spec.name,
                        std::vector<std::string>(in.str.begin() + begin,
                                                 in.str.begin() + end));
        break;
      default:
        args.AddInt64s(
            spec.name, spec.type,
            std::vector<int64_t>(in.i64.begin() + begin, in.i64.begin() + end));
        break;
    }
  }
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
  std::vector<const char*> forms;
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    const char* form = metric.inputs[i].form;
    if (form == nullptr) continue;
    bool seen = false;
    for (const char* f : forms) seen = seen || absl::string_view(f) == form;
    if (!seen) forms.push_back(form);
  }
  if (forms.empty()) forms.push_back(nullptr);
  return forms;
}

class MetricChecker {
 public:
  MetricChecker(std::shared_ptr<const Metric> metric,
                std::vector<CheckResult>& out)
      : metric_(std::move(metric)), d_(metric_->descriptor()), out_(out) {}

  void Run() {
    EmptyState();
    for (const char* form : Forms(d_)) Generated(form);
    Examples();
  }

 private:
  void Add(const char* check, CheckOutcome outcome, std::string detail) {
    out_.push_back({check, d_.name, outcome, std::move(detail)});
  }

  absl::StatusOr<BoundParams> FilledParams() {
    OwnedArgs args;
    FillRequiredParams(d_, args);
    return BoundParams::Bind(d_, args.args().parameters);
  }

  void EmptyState() {
    absl::StatusOr<BoundParams> params = FilledParams();
    if (!params.ok()) {
      Add(kCheckEmptyState, CheckOutcome::kFail,
          absl::StrCat("default parameters do not bind: ",
                       params.status().message()));
      return;
    }
    absl::StatusOr<MetricState> state = MetricState::Create(metric_, *params);
    if (!state.ok()) {
      Add(kCheckEmptyState,
          absl::IsInvalidArgument(state.status()) ? CheckOutcome::kSkip
                                                  : CheckOutcome::kFail,
          absl::StrCat("create: ", state.status().message()));
      return;
    }
    absl::StatusOr<v1::MetricResult> result = state->Finalize();
    if (result.ok()) {
      Add(kCheckEmptyState, CheckOutcome::kPass, Describe(*result));
    } else if (absl::IsInvalidArgument(result.status())) {
      Add(kCheckEmptyState, CheckOutcome::kPass,
          absl::StrCat("refused as invalid input: ",
                       result.status().message()));
    } else {
      Add(kCheckEmptyState, CheckOutcome::kFail,
          std::string(result.status().message()));
    }
  }

  // One call: the generated rows in the chunks split at `splits`.
  absl::StatusOr<v1::MetricResult> Call(
      const std::vector<GeneratedInput>& inputs, const OwnedArgs& params,
      const std::vector<size_t>& splits) {
    std::deque<OwnedArgs> chunks;
    for (size_t c = 0; c + 1 < splits.size(); ++c) {
      chunks.emplace_back();
      if (c == 0) {
        for (const NamedValue& p : params.args().parameters) {
          chunks.back().AddParam(p.name, *p.value);
        }
      }
      AddRows(inputs, splits[c], splits[c + 1], c == 0, chunks.back());
    }
    absl::StatusOr<MetricCall> call =
        MetricCall::Start(metric_, chunks.front().args());
    if (!call.ok()) return call.status();
    for (const OwnedArgs& chunk : chunks) {
      if (absl::Status s = call->Add(chunk.args()); !s.ok()) return s;
    }
    return call->Finish();
  }

  // States over rows [kSplits[i], kSplits[i+1]); A gets the scalars.
  absl::StatusOr<std::vector<MetricState>> States(
      const std::vector<GeneratedInput>& inputs, const BoundParams& params,
      const char* form) {
    std::vector<MetricState> states;
    for (size_t i = 0; i + 1 < std::size(kSplits); ++i) {
      absl::StatusOr<MetricState> state = MetricState::Create(metric_, params);
      if (!state.ok()) return state.status();
      OwnedArgs args;
      AddRows(inputs, kSplits[i], kSplits[i + 1], i == 0, args);
      // B and C are like later chunks of the call: no scalars.
      absl::StatusOr<BoundChunk> chunk = BoundChunk::Bind(
          d_, params, args.args(), ChunkPosition{i == 0, kSplits[i], form});
      if (!chunk.ok()) return chunk.status();
      if (absl::Status s = state->Update(chunk->chunk()); !s.ok()) return s;
      states.push_back(*std::move(state));
    }
    return states;
  }

  absl::StatusOr<v1::MetricResult> MergedLeft(
      const std::vector<GeneratedInput>& inputs, const BoundParams& params,
      const char* form) {
    auto s = States(inputs, params, form);
    if (!s.ok()) return s.status();
    std::vector<MetricState>& st = *s;
    if (absl::Status m = st[0].Merge(st[1]); !m.ok()) return m;
    if (absl::Status m = st[0].Merge(st[2]); !m.ok()) return m;
    return st[0].Finalize();
  }

  absl::StatusOr<v1::MetricResult> MergedRight(
      const std::vector<GeneratedInput>& inputs, const BoundParams& params,
      const char* form) {
    auto s = States(inputs, params, form);
    if (!s.ok()) return s.status();
    std::vector<MetricState>& st = *s;
    if (absl::Status m = st[1].Merge(st[2]); !m.ok()) return m;
    if (absl::Status m = st[0].Merge(st[1]); !m.ok()) return m;
    return st[0].Finalize();
  }

  void Generated(const char* form) {
    const std::string prefix =
        form ? absl::StrCat(form, " form: ") : std::string();
    OwnedArgs params_args;
    FillRequiredParams(d_, params_args);
    absl::StatusOr<BoundParams> params =
        BoundParams::Bind(d_, params_args.args().parameters);
    if (!params.ok()) {
      for (const char* check : {kCheckChunking, kCheckMerge}) {
        Add(check, CheckOutcome::kFail,
            absl::StrCat(prefix, "default parameters do not bind: ",
                         params.status().message()));
      }
      return;
    }
    // The baseline: every row in one chunk. All inputs of the form first;
    // if refused, other draws, then only the required inputs.
    std::vector<GeneratedInput> inputs;
    absl::StatusOr<v1::MetricResult> one = absl::UnknownError("");
    absl::Status first_refusal;
    for (int attempt = 0; attempt < 2 * kDraws; ++attempt) {
      inputs = Generate(d_, form, *params, attempt >= kDraws, attempt % kDraws);
      one = Call(inputs, params_args, {0, kRows});
      if (one.ok() || !absl::IsInvalidArgument(one.status())) break;
      if (first_refusal.ok()) first_refusal = one.status();
    }
    if (!one.ok() && absl::IsInvalidArgument(one.status())) {
      one = first_refusal;
    }
    if (!one.ok()) {
      const bool refused = absl::IsInvalidArgument(one.status());
      for (const char* check : {kCheckChunking, kCheckMerge}) {
        Add(check, refused ? CheckOutcome::kSkip : CheckOutcome::kFail,
            absl::StrCat(prefix,
                         refused ? "generated input refused: "
                                 : "one chunk of generated input: ",
                         one.status().message()));
      }
      return;
    }
    const std::string rows = absl::StrCat(kRows, " generated rows");

    absl::StatusOr<v1::MetricResult> three =
        Call(inputs, params_args,
             std::vector<size_t>(std::begin(kSplits), std::end(kSplits)));
    if (!three.ok()) {
      Add(kCheckChunking, CheckOutcome::kFail,
          absl::StrCat(prefix, "one chunk gives ", Describe(*one),
                       ", three chunks fail: ", three.status().message()));
    } else if (std::string diff = Difference(*one, *three); !diff.empty()) {
      Add(kCheckChunking, CheckOutcome::kFail,
          absl::StrCat(prefix, "one chunk gives ", Describe(*one),
                       ", three chunks give ", Describe(*three), ": ", diff));
    } else {
      Add(kCheckChunking, CheckOutcome::kPass,
          absl::StrCat(prefix, rows, " in 1 and 3 chunks: ", Describe(*one)));
    }

    absl::StatusOr<v1::MetricResult> left = MergedLeft(inputs, *params, form);
    absl::StatusOr<v1::MetricResult> right =
        left.ok() ? MergedRight(inputs, *params, form) : left;
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
          absl::StrCat(
              prefix, rows,
              " in 3 states, merged either way and unsplit: ", Describe(*one)));
    }
  }

  // The example's inputs and parameters as one call's args, or why they do
  // not fit the metric's declaration.
  absl::Status ExampleArgs(const kpi_example& example, OwnedArgs& args) {
    for (size_t i = 0; i < example.num_params; ++i) {
      const kpi_example_param& p = example.params[i];
      if (p.name == nullptr) return absl::InvalidArgumentError("unnamed param");
      args.AddParam(p.name, ParamValue(p.value));
    }
    for (size_t i = 0; i < example.num_inputs; ++i) {
      const kpi_example_input& in = example.inputs[i];
      if (in.name == nullptr)
        return absl::InvalidArgumentError("unnamed input");
      const kpi_input_spec* spec = nullptr;
      for (size_t j = 0; j < d_.num_inputs; ++j) {
        if (absl::string_view(d_.inputs[j].name) == in.name) {
          spec = &d_.inputs[j];
        }
      }
      const kpi_column& c = in.values;
      if (spec != nullptr && spec->kind == KPI_INPUT_SCALAR) {
        if (c.length != 1) {
          return absl::InvalidArgumentError(absl::StrCat(
              "scalar input '", in.name, "' has ", c.length, " values, not 1"));
        }
        v1::Value v;
        if (c.type == KPI_TYPE_DOUBLE && c.f64) {
          v.set_double_value(c.f64[0]);
        } else if (c.type == KPI_TYPE_STRING && c.str) {
          v.set_string_value(std::string(c.str[0].data, c.str[0].size));
        } else if (c.i64) {
          v.set_int64_value(c.i64[0]);
        } else {
          return absl::InvalidArgumentError(
              absl::StrCat("input '", in.name, "' has no values"));
        }
        args.AddScalar(in.name, std::move(v));
        continue;
      }
      // Columns (or unknown inputs, which binding refuses by name).
      if (c.length > 0 &&
          ((c.type == KPI_TYPE_DOUBLE && !c.f64) ||
           (c.type == KPI_TYPE_STRING && !c.str) ||
           ((c.type == KPI_TYPE_INT64 || c.type == KPI_TYPE_TIMESTAMP) &&
            !c.i64))) {
        return absl::InvalidArgumentError(
            absl::StrCat("input '", in.name, "': values missing"));
      }
      if (c.type == KPI_TYPE_DOUBLE) {
        args.AddDoubles(in.name, std::vector<double>(c.f64, c.f64 + c.length));
      } else if (c.type == KPI_TYPE_STRING) {
        std::vector<std::string> v;
        for (size_t r = 0; r < c.length; ++r) {
          v.emplace_back(c.str[r].data, c.str[r].size);
        }
        args.AddStrings(in.name, v);
      } else if (c.type == KPI_TYPE_INT64 || c.type == KPI_TYPE_TIMESTAMP) {
        args.AddInt64s(in.name, c.type,
                       std::vector<int64_t>(c.i64, c.i64 + c.length));
      } else {
        return absl::InvalidArgumentError(
            absl::StrCat("input '", in.name, "': unknown type ", c.type));
      }
    }
    return absl::OkStatus();
  }

  void Examples() {
    if (d_.num_examples == 0 || d_.examples == nullptr) {
      Add(kCheckExamples, CheckOutcome::kSkip, "no examples declared");
      return;
    }
    for (size_t i = 0; i < d_.num_examples; ++i) {
      const kpi_example& example = d_.examples[i];
      const std::string name =
          absl::StrCat("example '", example.name ? example.name : "", "': ");
      OwnedArgs args;
      if (absl::Status s = ExampleArgs(example, args); !s.ok()) {
        Add(kCheckExamples, CheckOutcome::kFail,
            absl::StrCat(name, "malformed: ", s.message()));
        continue;
      }
      absl::StatusOr<v1::MetricResult> result =
          ComputeOnce(metric_, args.args());
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
