// kpi-micro-bench: Google Benchmark micro-benchmarks of the server's hot
// paths on 1M-row inputs, through the classes that serve calls:
//
//   BM_Validate        BoundChunk::Bind of nps scores (the range, whole-number
//                      and finiteness checks of every row)
//   BM_ColumnViews     ArgsFromRequest / ArgsFromTypedRequest (views, no copy)
//   BM_InternKeys      BoundChunk::Bind of 1M (customer, time) records into a
//                      fresh call's key dictionary, customers as strings
//                      (int64:0) or int64s (int64:1)
//   BM_Update/METRIC   one metric per bundled plugin: create a state, update
//                      it with the 1M rows (already bound; keys interned)
//   BM_Merge/METRIC    fold a state that saw the 1M rows into an empty one
//   BM_Call/...        MetricCall over the 1M rows, plain and grouped by an
//                      int64 or a string column of 1,000 segments
//   BM_ProcessRoundTrip one byte to a child process and back over a
//                      socketpair, each side asleep in read() until the
//                      other writes: the least any call to a plugin worker
//                      costs (two cross-process wake-ups); its counter
//                      cpu_us is both processes' CPU per round trip
//
// Items/s are rows/s. The plugins come from the bundled plugin directory.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bound_chunk.h"
#include "bound_params.h"
#include "call_args.h"
#include "input_form.h"
#include "metric_call.h"
#include "metric_registry.h"
#include "metric_state.h"
#include "payloads.h"
#include "server_options.h"

namespace kpi::bench {
namespace {

constexpr int kRows = 1000000;
constexpr int kCustomers = 100000;

const MetricRegistry& Registry() {
  static const std::shared_ptr<const MetricRegistry> registry = [] {
    // The computation itself, in this process: no worker round trips.
    MetricRegistry::Options options;
    options.isolation = Isolation::kNone;
    auto loaded = MetricRegistry::Load(
        {DefaultPluginDirectory()}, [](absl::string_view) {}, options);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return *std::move(loaded);
  }();
  return *registry;
}

int64_t Micros(int year, int month, int day) {
  return absl::ToUnixMicros(
      absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone()));
}

// How the rows of one input column are drawn.
enum class Draw {
  kScore,      // whole numbers 0..10
  kAmount,     // 0..1000, in cents
  kSeconds,    // 0..3600
  kCustomer,   // "c0".."c99999"
  kTime,       // an instant in 2024-01-01 .. 2024-03-01
  kLaterTime,  // the previous column's instant plus up to two days
  kSegment,    // int64 0..999 (a group_by key)
  kSegmentId,  // "s0".."s999" (a group_by key)
};

struct ColumnDraw {
  const char* name;
  Draw draw;
};

void AddColumn(const ColumnDraw& spec, std::mt19937_64& random,
               v1::ComputeRequest& request) {
  v1::Column& column = *request.add_columns();
  column.set_name(spec.name);
  const int64_t day = 86400LL * 1000000;
  const int64_t start = Micros(2024, 1, 1);
  auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random);
  };
  for (int row = 0; row < kRows; ++row) {
    switch (spec.draw) {
      case Draw::kScore:
        column.mutable_doubles()->add_values(uniform(0, 10));
        break;
      case Draw::kAmount:
        column.mutable_doubles()->add_values(uniform(0, 100000) / 100.0);
        break;
      case Draw::kSeconds:
        column.mutable_doubles()->add_values(uniform(0, 3600));
        break;
      case Draw::kCustomer:
        column.mutable_strings()->add_values(
            absl::StrCat("c", uniform(0, kCustomers - 1)));
        break;
      case Draw::kTime:
        column.mutable_timestamps()->add_unix_micros(start +
                                                     uniform(0, 60 * day));
        break;
      case Draw::kLaterTime: {
        const v1::Column& previous =
            request.columns(request.columns_size() - 2);
        column.mutable_timestamps()->add_unix_micros(
            previous.timestamps().unix_micros(row) + uniform(0, 2 * day));
        break;
      }
      case Draw::kSegment:
        column.mutable_int64s()->add_values(uniform(0, kSegments - 1));
        break;
      case Draw::kSegmentId:
        column.mutable_strings()->add_values(
            absl::StrCat("s", uniform(0, kSegments - 1)));
        break;
    }
  }
}

v1::Value Int64Value(int64_t v) {
  v1::Value value;
  value.set_int64_value(v);
  return value;
}

v1::Value DoubleValue(double v) {
  v1::Value value;
  value.set_double_value(v);
  return value;
}

// One metric's 1M-row call.
struct Workload {
  const char* metric;
  std::vector<ColumnDraw> columns;
  std::vector<std::pair<const char*, v1::Value>> parameters;
};

// One metric per bundled plugin, in its record form.
const std::vector<Workload>& PluginWorkloads() {
  static const std::vector<Workload> workloads = {
      {"nps", {{"scores", Draw::kScore}}, {}},
      {"repeat_purchase_rate",
       {{"customer", Draw::kCustomer}, {"time", Draw::kTime}},
       {{"window_start", Int64Value(Micros(2024, 1, 1))},
        {"window_end", Int64Value(Micros(2024, 3, 1))}}},
      {"historical_clv",
       {{"customer", Draw::kCustomer},
        {"time", Draw::kTime},
        {"amount", Draw::kAmount}},
       {{"lifespan_years", DoubleValue(3)}}},
      {"average_session_duration", {{"duration_seconds", Draw::kSeconds}}, {}},
      {"first_response_time",
       {{"created", Draw::kTime}, {"first_response", Draw::kLaterTime}},
       {}},
      {"rfm",
       {{"customer", Draw::kCustomer},
        {"time", Draw::kTime},
        {"amount", Draw::kAmount}},
       {{"as_of", Int64Value(Micros(2024, 3, 2))}}},
  };
  return workloads;
}

v1::ComputeRequest MakeRequest(const Workload& workload,
                               std::vector<ColumnDraw> extra = {}) {
  std::mt19937_64 random(7);
  v1::ComputeRequest request;
  request.set_metric(workload.metric);
  for (const ColumnDraw& column : workload.columns) {
    AddColumn(column, random, request);
  }
  for (const ColumnDraw& column : extra) {
    AddColumn(column, random, request);
    request.add_group_by(column.name);
  }
  for (const auto& [name, value] : workload.parameters) {
    (*request.mutable_parameters())[name] = value;
  }
  return request;
}

// A request bound as a call's first chunk: what a plugin's update takes.
struct Bound {
  std::shared_ptr<const Metric> metric;
  v1::ComputeRequest request;
  CallArgs args;
  std::unique_ptr<BoundParams> params;
  const char* form = nullptr;
  // The call's key dictionaries (KEY inputs: interned once, here), which
  // the chunk's codes and the states refer to.
  std::unique_ptr<CallKeys> keys;
  std::unique_ptr<BoundChunk> chunk;

  explicit Bound(const Workload& workload)
      : metric(Registry().Find(workload.metric)),
        request(MakeRequest(workload)),
        args(ArgsFromRequest(request)) {
    params = std::make_unique<BoundParams>(
        *BoundParams::Bind(metric->descriptor(), args.parameters));
    form = *ChooseInputForm(metric->descriptor(), args);
    keys = std::make_unique<CallKeys>(metric->descriptor(),
                                      CallKeys::kDefaultMaxKeys);
    absl::StatusOr<BoundChunk> bound = BoundChunk::Bind(
        metric->descriptor(), *params, args, ChunkPosition{true, 0, form},
        metric->input_orders(), keys.get());
    if (!bound.ok()) {
      std::fprintf(stderr, "%s\n", bound.status().ToString().c_str());
      std::abort();
    }
    chunk = std::make_unique<BoundChunk>(*std::move(bound));
  }

  MetricState NewState() const { return *MetricState::Create(metric, *params); }
};

// Built once per workload: Google Benchmark runs a benchmark function several
// times while it settles the iteration count.
const Bound& BoundFor(const Workload* workload) {
  static auto* cache = new std::map<const Workload*, std::unique_ptr<Bound>>;
  std::unique_ptr<Bound>& bound = (*cache)[workload];
  if (bound == nullptr) bound = std::make_unique<Bound>(*workload);
  return *bound;
}

const Bound& BoundNps() { return BoundFor(&PluginWorkloads()[0]); }

void BM_Validate(benchmark::State& state) {
  const Bound& nps = BoundNps();
  for (auto _ : state) {
    absl::StatusOr<BoundChunk> chunk =
        BoundChunk::Bind(nps.metric->descriptor(), *nps.params, nps.args,
                         ChunkPosition{true, 0, nps.form});
    benchmark::DoNotOptimize(chunk);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_Validate)->Unit(benchmark::kMillisecond);

// The host's interning of a KEY column: 1M rows of repeat_purchase_rate's
// (customer, time) bound as a call's first chunk into a fresh call's
// dictionary -- the per-row key cost a records call pays in the server --
// with the customers sent as strings or as int64s.
void BM_InternKeys(benchmark::State& state) {
  const Bound& records = BoundFor(&PluginWorkloads()[1]);
  v1::ComputeRequest request = records.request;
  if (state.range(0) == 1) {  // the same ids as int64s
    v1::Column& customers = *request.mutable_columns(0);
    std::vector<int64_t> ids;
    for (const std::string& id : customers.strings().values()) {
      ids.push_back(std::stoll(id.substr(1)));
    }
    customers.clear_strings();
    for (int64_t id : ids) customers.mutable_int64s()->add_values(id);
  }
  const CallArgs args = ArgsFromRequest(request);
  const kpi_metric_descriptor& d = records.metric->descriptor();
  for (auto _ : state) {
    CallKeys keys(d, CallKeys::kDefaultMaxKeys);
    absl::StatusOr<BoundChunk> chunk =
        BoundChunk::Bind(d, *records.params, args,
                         ChunkPosition{true, 0, records.form}, {}, &keys);
    benchmark::DoNotOptimize(chunk);
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}
BENCHMARK(BM_InternKeys)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("int64")
    ->Unit(benchmark::kMillisecond);

void BM_ColumnViewsGeneric(benchmark::State& state) {
  const Bound& nps = BoundNps();
  for (auto _ : state) {
    CallArgs args = ArgsFromRequest(nps.request);
    benchmark::DoNotOptimize(args);
  }
}
BENCHMARK(BM_ColumnViewsGeneric);

void BM_ColumnViewsTyped(benchmark::State& state) {
  v1::ComputeNpsRequest typed;
  *typed.mutable_scores() = BoundNps().request.columns(0).doubles().values();
  for (auto _ : state) {
    absl::StatusOr<CallArgs> args = ArgsFromTypedRequest(typed);
    benchmark::DoNotOptimize(args);
  }
}
BENCHMARK(BM_ColumnViewsTyped);

void BM_Update(benchmark::State& state, const Workload* workload) {
  const Bound& bound = BoundFor(workload);
  for (auto _ : state) {
    MetricState metric_state = bound.NewState();
    if (absl::Status s = metric_state.Update(bound.chunk->chunk()); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}

void BM_Merge(benchmark::State& state, const Workload* workload) {
  const Bound& bound = BoundFor(workload);
  MetricState full = bound.NewState();
  (void)full.Update(bound.chunk->chunk());
  for (auto _ : state) {
    MetricState empty = bound.NewState();
    if (absl::Status s = empty.Merge(full); !s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
}

// A whole call (start, add the 1M rows, finish), grouped by `keys`.
void BM_Call(benchmark::State& state, const std::vector<ColumnDraw>& keys) {
  // Keyed by the kind of segment column; -1 for none.
  static auto* cache = new std::map<int, v1::ComputeRequest>;
  auto [it, added] =
      cache->try_emplace(keys.empty() ? -1 : static_cast<int>(keys[0].draw));
  if (added) it->second = MakeRequest(PluginWorkloads()[0], keys);
  const v1::ComputeRequest& request = it->second;
  const std::shared_ptr<const Metric> metric = Registry().Find("nps");
  for (auto _ : state) {
    absl::StatusOr<v1::MetricResult> result =
        ComputeOnce(metric, ArgsFromRequest(request));
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kRows);
}

double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
             1e6;
}

void BM_ProcessRoundTrip(benchmark::State& state) {
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    state.SkipWithError("socketpair failed");
    return;
  }
  const double children_before = CpuSeconds(RUSAGE_CHILDREN);
  const pid_t child = fork();
  if (child == 0) {  // echoes until the parent closes its end
    close(sockets[0]);
    char byte;
    while (read(sockets[1], &byte, 1) == 1) {
      if (write(sockets[1], &byte, 1) != 1) break;
    }
    _exit(0);
  }
  close(sockets[1]);
  const double self_before = CpuSeconds(RUSAGE_SELF);
  char byte = 'x';
  for (auto _ : state) {
    if (write(sockets[0], &byte, 1) != 1 || read(sockets[0], &byte, 1) != 1) {
      state.SkipWithError("the echo process went away");
      break;
    }
  }
  const double self = CpuSeconds(RUSAGE_SELF) - self_before;
  close(sockets[0]);
  int status;
  waitpid(child, &status, 0);
  const double children = CpuSeconds(RUSAGE_CHILDREN) - children_before;
  state.counters["cpu_us"] =
      (self + children) * 1e6 / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ProcessRoundTrip)->Unit(benchmark::kMicrosecond);

void RegisterPluginBenchmarks() {
  for (const Workload& workload : PluginWorkloads()) {
    benchmark::RegisterBenchmark(
        absl::StrCat("BM_Update/", workload.metric).c_str(), BM_Update,
        &workload)
        ->Unit(benchmark::kMillisecond);
  }
  // Merge cost grows with the state: counts (nps) against a map of
  // customers (repeat_purchase_rate).
  for (const Workload* workload :
       {&PluginWorkloads()[0], &PluginWorkloads()[1]}) {
    benchmark::RegisterBenchmark(
        absl::StrCat("BM_Merge/", workload->metric).c_str(), BM_Merge, workload)
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::RegisterBenchmark("BM_Call/nps", BM_Call,
                               std::vector<ColumnDraw>{})
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(
      "BM_Call/nps_group_by_int64_1000", BM_Call,
      std::vector<ColumnDraw>{{"segment", Draw::kSegment}})
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark(
      "BM_Call/nps_group_by_string_1000", BM_Call,
      std::vector<ColumnDraw>{{"segment", Draw::kSegmentId}})
      ->Unit(benchmark::kMillisecond);
}

}  // namespace
}  // namespace kpi::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  kpi::bench::RegisterPluginBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
