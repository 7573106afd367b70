#include "fuzz_support.h"

#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "metric_call.h"
#include "metric_registry.h"
#include "parameter_profiles.h"
#include "private_copy.h"
#include "service/typed_rpcs.h"

namespace kpi::fuzz {

// Every parameter value is one the metric declares, so a request naming
// one of these profiles reaches the plugin (Bundled() checks them).
const char kFuzzProfiles[] = R"({
  "nps": {"strict": {"promoter_min": 10, "detractor_max": 7,
                     "confidence_level": 0.9}},
  "csat": {"mean": {"mode": "mean", "scale_min": 1, "scale_max": 7,
                    "threshold": 6}},
  "ces": {"low": {"lower_is_better": true}},
  "health_score": {"smb": {"signals": "usage:2:higher,tickets:1:lower:0:20",
                           "bands": "red<40,yellow<70,green",
                           "missing": "zero"}},
  "first_response_time": {"p90": {"statistic": "p90"}},
  "cohort_retention": {"weekly": {"cohort_period": "week", "periods": 4}},
  "historical_clv": {"five_years": {"lifespan_years": 5,
                                    "gross_margin": 0.6}}
})";

namespace {

[[noreturn]] void Die(absl::string_view what) {
  std::fprintf(stderr, "fuzz_support: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

ServingConfig LoadBundled(Isolation isolation) {
  // Protobuf logs every string field that is not UTF-8: most mutated
  // requests, at tens of thousands a second.
  google::protobuf::SetLogHandler(nullptr);
  // The registries live to the end of the process (fuzzers exit without
  // destroying them, often by crashing), so their private plugin copies
  // outlive it: clean up after earlier runs, as kpi-server does at start.
  static const bool cleaned = [] {
    RemoveStalePrivateCopies(PrivateCopyRoot());
    return true;
  }();
  (void)cleaned;
  MetricRegistry::Options options;
  options.isolation = isolation;
  // The conformance checks are tests/conformance's business; every input
  // the fuzzer makes is a call, not a check.
  options.check_plugins = false;
  // The build directory's permissions are not what is under test.
  options.allow_writable = true;
  options.worker.binary = KPI_PLUGIN_WORKER;
  std::vector<std::string> refused;
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> registry =
      MetricRegistry::Load(
          {KPI_PLUGIN_DIR}, [](absl::string_view) {}, options);
  if (!registry.ok()) Die(registry.status().ToString());
  for (const PluginChange& change : (*registry)->changes()) {
    if (change.kind == PluginChange::Kind::kRefused) {
      refused.push_back(absl::StrCat(change.path, ": ", change.reason));
    }
  }
  if (!refused.empty()) {
    Die(absl::StrCat("refused plugins: ", absl::StrJoin(refused, "; ")));
  }
  if ((*registry)->metrics().empty()) Die("no metrics in " KPI_PLUGIN_DIR);
  absl::StatusOr<std::shared_ptr<const ParameterProfiles>> profiles =
      ParameterProfiles::Parse(kFuzzProfiles, "kFuzzProfiles");
  if (!profiles.ok()) Die(profiles.status().ToString());
  std::vector<std::string> problems = (*profiles)->Check(**registry);
  if (!problems.empty()) Die(absl::StrJoin(problems, "; "));
  return ServingConfig{*registry, *profiles};
}

// service/metric_dispatch.cc's Start, without the transport.
absl::StatusOr<MetricCall> Start(const ServingConfig& config,
                                 absl::string_view metric_name,
                                 CallArgs* first_chunk) {
  if (metric_name.empty()) {
    return absl::InvalidArgumentError("metric: a metric name is required");
  }
  std::shared_ptr<const Metric> metric = config.registry->Find(metric_name);
  if (metric == nullptr) return absl::NotFoundError("no such metric");
  if (absl::Status s =
          config.profiles->Apply(metric->descriptor(), first_chunk);
      !s.ok()) {
    return s;
  }
  return MetricCall::Start(std::move(metric), *first_chunk);
}

// Like ToRequestValue (bound_params.h), except that timestamps become
// google.protobuf.Timestamp messages, not int64 microseconds: the seeds then
// reach the server's Timestamp parsing, and the mutator its fields.
v1::Value ParamValue(const kpi_param_value& value) {
  v1::Value out;
  switch (value.type) {
    case KPI_TYPE_DOUBLE:
      out.set_double_value(value.f64);
      break;
    case KPI_TYPE_INT64:
      out.set_int64_value(value.i64);
      break;
    case KPI_TYPE_STRING:
      out.set_string_value(std::string(value.str.data, value.str.size));
      break;
    case KPI_TYPE_BOOL:
      out.set_bool_value(value.boolean != 0);
      break;
    case KPI_TYPE_TIMESTAMP: {
      // Floor division: the timestamp of a negative micros value.
      int64_t seconds = value.i64 / 1000000;
      int64_t micros = value.i64 % 1000000;
      if (micros < 0) {
        micros += 1000000;
        --seconds;
      }
      out.mutable_timestamp_value()->set_seconds(seconds);
      out.mutable_timestamp_value()->set_nanos(static_cast<int>(micros * 1000));
      break;
    }
  }
  return out;
}

const kpi_input_spec* FindInput(const kpi_metric_descriptor& metric,
                                absl::string_view name) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    if (name == metric.inputs[i].name) return &metric.inputs[i];
  }
  return nullptr;
}

v1::ComputeRequest ExampleRequest(const kpi_metric_descriptor& metric,
                                  const kpi_example& example) {
  v1::ComputeRequest request;
  request.set_metric(metric.name);
  for (size_t i = 0; i < example.num_params; ++i) {
    (*request.mutable_parameters())[example.params[i].name] =
        ParamValue(example.params[i].value);
  }
  for (size_t i = 0; i < example.num_inputs; ++i) {
    const kpi_example_input& input = example.inputs[i];
    const kpi_input_spec* spec = FindInput(metric, input.name);
    const kpi_column& values = input.values;
    if (spec != nullptr && spec->kind == KPI_INPUT_SCALAR) {
      kpi_param_value scalar{};
      scalar.type = values.type;
      if (values.length > 0) {
        if (values.f64 != nullptr) scalar.f64 = values.f64[0];
        if (values.i64 != nullptr) scalar.i64 = values.i64[0];
      }
      (*request.mutable_scalars())[input.name] = ParamValue(scalar);
      continue;
    }
    v1::Column* column = request.add_columns();
    column->set_name(input.name);
    for (size_t row = 0; row < values.length; ++row) {
      switch (values.type) {
        case KPI_TYPE_DOUBLE:
          column->mutable_doubles()->add_values(values.f64[row]);
          break;
        case KPI_TYPE_INT64:
          column->mutable_int64s()->add_values(values.i64[row]);
          break;
        case KPI_TYPE_TIMESTAMP:
          column->mutable_timestamps()->add_unix_micros(values.i64[row]);
          break;
        case KPI_TYPE_STRING:
        case KPI_TYPE_KEY:  // keys as their text
          column->mutable_strings()->add_values(
              std::string(values.str[row].data, values.str[row].size));
          break;
      }
    }
    // A column of zero rows still says its type.
    if (values.length == 0) {
      switch (values.type) {
        case KPI_TYPE_DOUBLE:
          column->mutable_doubles();
          break;
        case KPI_TYPE_INT64:
          column->mutable_int64s();
          break;
        case KPI_TYPE_TIMESTAMP:
          column->mutable_timestamps();
          break;
        case KPI_TYPE_STRING:
        case KPI_TYPE_KEY:
          column->mutable_strings();
          break;
      }
    }
  }
  return request;
}

// The rows [begin, end) of `column`.
v1::Column Slice(const v1::Column& column, size_t begin, size_t end) {
  v1::Column out;
  out.set_name(column.name());
  const int b = static_cast<int>(begin);
  const int e = static_cast<int>(end);
  switch (column.values_case()) {
    case v1::Column::kDoubles: {
      auto* values = out.mutable_doubles()->mutable_values();
      const auto& in = column.doubles().values();
      for (int i = b; i < e && i < in.size(); ++i) values->Add(in[i]);
      break;
    }
    case v1::Column::kInt64S: {
      auto* values = out.mutable_int64s()->mutable_values();
      const auto& in = column.int64s().values();
      for (int i = b; i < e && i < in.size(); ++i) values->Add(in[i]);
      break;
    }
    case v1::Column::kTimestamps: {
      auto* values = out.mutable_timestamps()->mutable_unix_micros();
      const auto& in = column.timestamps().unix_micros();
      for (int i = b; i < e && i < in.size(); ++i) values->Add(in[i]);
      break;
    }
    case v1::Column::kStrings: {
      auto* values = out.mutable_strings()->mutable_values();
      const auto& in = column.strings().values();
      for (int i = b; i < e && i < in.size(); ++i) values->Add()->assign(in[i]);
      break;
    }
    case v1::Column::kKeys:  // keys travel as strings here
    case v1::Column::VALUES_NOT_SET:
      break;
  }
  return out;
}

}  // namespace

const ServingConfig& Bundled() {
  static const ServingConfig* const config =
      new ServingConfig(LoadBundled(Isolation::kNone));
  return *config;
}

const ServingConfig& BundledInWorkers() {
  static const ServingConfig* const config =
      new ServingConfig(LoadBundled(Isolation::kProcess));
  return *config;
}

const std::vector<std::shared_ptr<const Metric>>& Metrics() {
  return Bundled().registry->metrics();
}

absl::StatusOr<v1::MetricResult> Compute(const v1::ComputeRequest& request,
                                         const ServingConfig& config) {
  CallArgs args = ArgsFromRequest(request);
  absl::StatusOr<MetricCall> call = Start(config, request.metric(), &args);
  if (!call.ok()) return call.status();
  return call->AddLastAndFinish(args);
}

absl::StatusOr<v1::MetricResult> ComputeTyped(
    absl::string_view metric, const google::protobuf::Message& request,
    const ServingConfig& config) {
  absl::StatusOr<CallArgs> args = ArgsFromTypedRequest(request);
  if (!args.ok()) return args.status();
  absl::StatusOr<MetricCall> call = Start(config, metric, &*args);
  if (!call.ok()) return call.status();
  return call->AddLastAndFinish(*args);
}

absl::StatusOr<v1::MetricResult> ComputeStream(
    absl::Span<const v1::ComputeStreamRequest> chunks,
    const ServingConfig& config) {
  if (chunks.empty()) {
    return absl::InvalidArgumentError("the stream carried no chunks");
  }
  // service/metric_dispatch.cc's MetricDispatch::Stream.
  const v1::ComputeStreamRequest& first = chunks[0];
  CallArgs first_args = ArgsFromRequest(first);
  absl::StatusOr<MetricCall> call = Start(config, first.metric(), &first_args);
  if (!call.ok()) return call.status();
  if (absl::Status s = call->Add(first_args); !s.ok()) return s;
  for (size_t i = 1; i < chunks.size(); ++i) {
    const v1::ComputeStreamRequest& chunk = chunks[i];
    if (!chunk.metric().empty() && chunk.metric() != first.metric()) {
      return absl::InvalidArgumentError("metric differs from the first chunk");
    }
    if (!chunk.parameters().empty() || !chunk.group_by().empty() ||
        !chunk.profile().empty()) {
      return absl::InvalidArgumentError("first chunk only");
    }
    if (absl::Status s = call->Add(ArgsFromRequest(chunk)); !s.ok()) return s;
  }
  return call->Finish();
}

namespace {

// With KPI_FUZZ_STATS set, how the calls ended, printed at exit: a harness
// whose calls are all refused fuzzes validation and nothing behind it.
// KPI_FUZZ_STATS=messages counts refusals by the start of their message.
struct OutcomeStats {
  std::map<std::string, uint64_t> counts;
  OutcomeStats() {
    const char* setting = std::getenv("KPI_FUZZ_STATS");
    if (setting == nullptr) return;
    messages = std::string(setting) == "messages";
    std::atexit([] {
      for (const auto& [what, count] : Stats()->counts) {
        std::fprintf(stderr, "outcome %-40s %llu\n", what.c_str(),
                     static_cast<unsigned long long>(count));
      }
    });
    enabled = true;
  }
  static OutcomeStats* Stats() {
    static OutcomeStats* const stats = new OutcomeStats;
    return stats;
  }
  bool enabled = false;
  bool messages = false;  // KPI_FUZZ_STATS=messages: by refusal too
};

void Count(const absl::StatusOr<v1::MetricResult>& outcome) {
  OutcomeStats* stats = OutcomeStats::Stats();
  if (!stats->enabled) return;
  std::string what = outcome.ok()
                         ? absl::StrCat("OK ", outcome->metric())
                         : absl::StatusCodeToString(outcome.status().code());
  if (!outcome.ok() && stats->messages) {
    // The message's start, digits dropped: refusals of one kind together.
    for (char c : outcome.status().message().substr(0, 60)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) what.push_back(c);
    }
  }
  ++stats->counts[what];
}

}  // namespace

void CheckOutcome(const absl::StatusOr<v1::MetricResult>& outcome) {
  Count(outcome);
  // KPI_FUZZ_PRINT: every outcome, to see what an input does.
  static const bool print = std::getenv("KPI_FUZZ_PRINT") != nullptr;
  if (print) {
    std::fprintf(stderr, "outcome: %s\n",
                 outcome.ok() ? outcome->ShortDebugString().c_str()
                              : outcome.status().ToString().c_str());
  }
  if (outcome.ok()) return;
  const absl::Status& status = outcome.status();
  // Far above any message the host makes about a caller's input, which
  // quotes at most kMaxQuotedBytes of it (quoted.h) per name.
  constexpr size_t kMaxMessageBytes = 4096;
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kUnknown) {
    Die(absl::StrCat("a caller's input reached ", status.ToString()));
  }
  if (status.message().size() > kMaxMessageBytes) {
    Die(absl::StrCat("an error message of ", status.message().size(),
                     " bytes: ", status.message().substr(0, 300), "..."));
  }
}

absl::Span<const TypedRpc> TypedRpcs() {
#define KPI_TYPED_RPC_ENTRY(rpc, metric) \
  {metric, &v1::rpc##Request::default_instance()},
  static const TypedRpc kRpcs[] = {KPI_FOR_EACH_TYPED_RPC(KPI_TYPED_RPC_ENTRY)};
#undef KPI_TYPED_RPC_ENTRY
  return kRpcs;
}

const std::vector<Example>& Examples() {
  static const std::vector<Example>* const examples = [] {
    auto* all = new std::vector<Example>;
    for (const std::shared_ptr<const Metric>& metric : Metrics()) {
      const kpi_metric_descriptor& d = metric->descriptor();
      for (size_t i = 0; d.examples != nullptr && i < d.num_examples; ++i) {
        all->push_back(
            {metric, d.examples[i].name, ExampleRequest(d, d.examples[i])});
      }
    }
    return all;
  }();
  return *examples;
}

std::vector<const Example*> ExamplesOf(absl::string_view metric) {
  std::vector<const Example*> of;
  for (const Example& example : Examples()) {
    if (example.metric->name() == metric) of.push_back(&example);
  }
  return of;
}

size_t Rows(const v1::ComputeRequest& request) {
  if (request.columns_size() == 0) return 0;
  const v1::Column& c = request.columns(0);
  switch (c.values_case()) {
    case v1::Column::kDoubles:
      return c.doubles().values_size();
    case v1::Column::kInt64S:
      return c.int64s().values_size();
    case v1::Column::kStrings:
      return c.strings().values_size();
    case v1::Column::kTimestamps:
      return c.timestamps().unix_micros_size();
    case v1::Column::kKeys:  // keys travel as strings here
    case v1::Column::VALUES_NOT_SET:
      break;
  }
  return 0;
}

std::vector<v1::ComputeStreamRequest> SplitIntoChunks(
    const v1::ComputeRequest& request, const std::vector<size_t>& cuts) {
  std::vector<size_t> bounds = {0};
  for (size_t cut : cuts) bounds.push_back(std::max(cut, bounds.back()));
  bounds.push_back(std::max(Rows(request), bounds.back()));
  std::vector<v1::ComputeStreamRequest> chunks(bounds.size() - 1);
  v1::ComputeStreamRequest& first = chunks[0];
  first.set_metric(request.metric());
  *first.mutable_scalars() = request.scalars();
  *first.mutable_parameters() = request.parameters();
  *first.mutable_group_by() = request.group_by();
  first.set_profile(request.profile());
  for (size_t i = 0; i < chunks.size(); ++i) {
    for (const v1::Column& column : request.columns()) {
      *chunks[i].add_columns() = Slice(column, bounds[i], bounds[i + 1]);
    }
  }
  return chunks;
}

}  // namespace kpi::fuzz
