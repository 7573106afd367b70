#include "call_metrics.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/hash/hash.h"
#include "prometheus_text.h"

namespace kpi {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr int kCancelled = 1;
constexpr int kUnknown = 2;

// kBucketBounds in nanoseconds, so that a call is placed by integer
// comparisons.
constexpr std::array<int64_t, CallMetrics::kBucketBounds.size()>
BoundsInNanos() {
  std::array<int64_t, CallMetrics::kBucketBounds.size()> nanos{};
  for (size_t i = 0; i < nanos.size(); ++i) {
    nanos[i] = static_cast<int64_t>(CallMetrics::kBucketBounds[i] * 1e9 + 0.5);
  }
  return nanos;
}
constexpr std::array<int64_t, CallMetrics::kBucketBounds.size()>
    kBoundsInNanos = BoundsInNanos();

// Shards are dealt to threads round robin as each thread first records.
size_t ThisThreadsShardIndex() {
  static std::atomic<size_t> next{0};
  thread_local const size_t index =
      next.fetch_add(1, kRelaxed) % CallMetrics::kShards;
  return index;
}

size_t PairHash(absl::string_view method, absl::string_view metric) {
  return absl::Hash<std::pair<absl::string_view, absl::string_view>>()(
      std::make_pair(method, metric));
}

}  // namespace

absl::string_view CallMetrics::CodeName(int grpc_code) {
  static constexpr absl::string_view kNames[kCodes] = {"OK",
                                                       "CANCELLED",
                                                       "UNKNOWN",
                                                       "INVALID_ARGUMENT",
                                                       "DEADLINE_EXCEEDED",
                                                       "NOT_FOUND",
                                                       "ALREADY_EXISTS",
                                                       "PERMISSION_DENIED",
                                                       "RESOURCE_EXHAUSTED",
                                                       "FAILED_PRECONDITION",
                                                       "ABORTED",
                                                       "OUT_OF_RANGE",
                                                       "UNIMPLEMENTED",
                                                       "INTERNAL",
                                                       "UNAVAILABLE",
                                                       "DATA_LOSS",
                                                       "UNAUTHENTICATED"};
  if (grpc_code < 0 || grpc_code >= kCodes) return kNames[kUnknown];
  return kNames[grpc_code];
}

// ---------------------------------------------------------------- Series

CallMetrics::Series::Series(std::string method, std::string metric, size_t hash)
    : method_(std::move(method)),
      metric_(std::move(metric)),
      hash_(hash),
      shards_{} {}

CallMetrics::Series::Shard& CallMetrics::Series::ThisThreadsShard() {
  return shards_[ThisThreadsShardIndex()];
}

void CallMetrics::Series::Record(int grpc_code,
                                 std::chrono::nanoseconds duration,
                                 uint64_t rows, uint64_t request_bytes) {
  if (grpc_code < 0 || grpc_code >= kCodes) grpc_code = kUnknown;
  const int64_t nanos = std::max<int64_t>(duration.count(), 0);
  size_t bucket = 0;
  while (bucket < kBoundsInNanos.size() && nanos > kBoundsInNanos[bucket]) {
    ++bucket;
  }
  Shard& shard = ThisThreadsShard();
  shard.calls[grpc_code].fetch_add(1, kRelaxed);
  shard.buckets[bucket].fetch_add(1, kRelaxed);
  shard.duration_nanos.fetch_add(static_cast<uint64_t>(nanos), kRelaxed);
  if (rows != 0) shard.rows.fetch_add(rows, kRelaxed);
  if (request_bytes != 0)
    shard.request_bytes.fetch_add(request_bytes, kRelaxed);
}

void CallMetrics::Series::AddInFlight(int64_t delta) {
  ThisThreadsShard().in_flight.fetch_add(delta, kRelaxed);
}

CallMetrics::Series::Totals CallMetrics::Series::Read() const {
  Totals totals;
  for (const Shard& shard : shards_) {
    for (int code = 0; code < kCodes; ++code) {
      totals.calls[code] += shard.calls[code].load(kRelaxed);
    }
    for (size_t i = 0; i < totals.buckets.size(); ++i) {
      totals.buckets[i] += shard.buckets[i].load(kRelaxed);
    }
    totals.duration_nanos += shard.duration_nanos.load(kRelaxed);
    totals.rows += shard.rows.load(kRelaxed);
    totals.request_bytes += shard.request_bytes.load(kRelaxed);
    totals.in_flight += shard.in_flight.load(kRelaxed);
  }
  // A call's +1 and -1 may land in different shards, read a moment apart.
  totals.in_flight = std::max<int64_t>(totals.in_flight, 0);
  return totals;
}

// ------------------------------------------------------------------ Call

CallMetrics::Call::Call(CallMetrics* owner, Series* series)
    : owner_(owner), series_(series), start_(std::chrono::steady_clock::now()) {
  series_->AddInFlight(1);
}

CallMetrics::Call::Call(Call&& other) noexcept
    : owner_(other.owner_),
      series_(std::exchange(other.series_, nullptr)),
      start_(other.start_),
      rows_(other.rows_),
      request_bytes_(other.request_bytes_),
      request_id_(std::move(other.request_id_)),
      principal_(other.principal_),
      peer_(std::move(other.peer_)) {}

CallMetrics::Call& CallMetrics::Call::operator=(Call&& other) noexcept {
  if (this != &other) {
    Abandon();
    owner_ = other.owner_;
    series_ = std::exchange(other.series_, nullptr);
    start_ = other.start_;
    rows_ = other.rows_;
    request_bytes_ = other.request_bytes_;
    request_id_ = std::move(other.request_id_);
    principal_ = other.principal_;
    peer_ = std::move(other.peer_);
  }
  return *this;
}

CallMetrics::Call::~Call() { Abandon(); }

void CallMetrics::Call::Abandon() {
  peer_ = nullptr;
  Finish(kCancelled);
}

void CallMetrics::Call::SetMetric(absl::string_view metric) {
  if (series_ == nullptr) return;
  Series& moved = owner_->Find(series_->method(), metric);
  if (&moved == series_) return;
  moved.AddInFlight(1);
  series_->AddInFlight(-1);
  series_ = &moved;
}

void CallMetrics::Call::Finish(int grpc_code, absl::string_view message) {
  if (series_ == nullptr) return;
  const std::chrono::nanoseconds duration =
      std::chrono::steady_clock::now() - start_;
  series_->Record(grpc_code, duration, rows_, request_bytes_);
  series_->AddInFlight(-1);
  Series* const series = std::exchange(series_, nullptr);
  Observer* const observer = owner_->observer_;
  if (observer == nullptr || !observer->Wants(grpc_code)) return;
  Finished finished;
  finished.method = series->method();
  finished.metric = series->metric();
  finished.request_id = request_id_;
  finished.principal = principal_;
  if (peer_) finished.peer = peer_();
  finished.grpc_code = grpc_code;
  finished.message = message;
  finished.duration = duration;
  finished.rows = rows_;
  finished.request_bytes = request_bytes_;
  observer->Observe(finished);
}

// ----------------------------------------------------------- CallMetrics

CallMetrics::CallMetrics(std::function<bool(absl::string_view)> is_served,
                         Observer* observer)
    : is_served_(std::move(is_served)), observer_(observer) {
  for (std::atomic<Series*>& slot : table_) slot.store(nullptr, kRelaxed);
}

CallMetrics::~CallMetrics() = default;

CallMetrics::Call CallMetrics::Start(absl::string_view method,
                                     absl::string_view metric) {
  return Call(this, &Find(method, metric));
}

CallMetrics::Series* CallMetrics::Lookup(absl::string_view method,
                                         absl::string_view metric,
                                         size_t hash) const {
  for (size_t probe = 0, i = hash; probe < kTableSize; ++probe, ++i) {
    Series* series =
        table_[i & (kTableSize - 1)].load(std::memory_order_acquire);
    if (series == nullptr) return nullptr;
    if (series->hash_ == hash && series->method_ == method &&
        series->metric_ == metric) {
      return series;
    }
  }
  return nullptr;
}

CallMetrics::Series& CallMetrics::Find(absl::string_view method,
                                       absl::string_view metric) {
  const size_t hash = PairHash(method, metric);
  if (Series* series = Lookup(method, metric, hash)) return *series;
  if (!metric.empty() && !is_served_(metric)) return Find(method, {});
  return Create(method, metric, hash);
}

CallMetrics::Series& CallMetrics::Create(absl::string_view method,
                                         absl::string_view metric,
                                         size_t hash) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (Series* series = Lookup(method, metric, hash)) return *series;
  const bool overflow = method.empty() && metric.empty();
  if (series_.size() >= kMaxSeries && !overflow) {
    lock.unlock();
    return Find({}, {});  // the one series past the limit
  }
  series_.push_back(
      std::make_unique<Series>(std::string(method), std::string(metric), hash));
  Series* created = series_.back().get();
  for (size_t i = hash;; ++i) {
    std::atomic<Series*>& slot = table_[i & (kTableSize - 1)];
    if (slot.load(kRelaxed) == nullptr) {
      slot.store(created, std::memory_order_release);
      return *created;
    }
  }
}

void CallMetrics::AppendTo(std::string* out) const {
  struct Row {
    const Series* series;
    Series::Totals totals;
  };
  std::vector<Row> rows;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    rows.reserve(series_.size());
    for (const std::unique_ptr<Series>& series : series_) {
      rows.push_back({series.get(), {}});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.series->method(), a.series->metric()) <
           std::tie(b.series->method(), b.series->metric());
  });
  for (Row& row : rows) row.totals = row.series->Read();

  AppendFamilyHeader(out, "kpi_calls_total", "counter",
                     "RPCs finished, by gRPC method, metric and status code. "
                     "metric is empty for calls that name no metric or one "
                     "no loaded plugin serves.");
  for (const Row& row : rows) {
    for (int code = 0; code < kCodes; ++code) {
      if (row.totals.calls[code] == 0) continue;
      AppendSample(out, "kpi_calls_total",
                   {{"method", row.series->method()},
                    {"metric", row.series->metric()},
                    {"code", CodeName(code)}},
                   row.totals.calls[code]);
    }
  }

  AppendFamilyHeader(out, "kpi_call_duration_seconds", "histogram",
                     "Time from an RPC's start to its status, by gRPC "
                     "method and metric.");
  for (const Row& row : rows) {
    const std::string& method = row.series->method();
    const std::string& metric = row.series->metric();
    uint64_t cumulative = 0;
    for (size_t i = 0; i < row.totals.buckets.size(); ++i) {
      cumulative += row.totals.buckets[i];
      const std::string le = i < kBucketBounds.size()
                                 ? FormatPrometheusDouble(kBucketBounds[i])
                                 : std::string("+Inf");
      AppendSample(out, "kpi_call_duration_seconds_bucket",
                   {{"method", method}, {"metric", metric}, {"le", le}},
                   cumulative);
    }
    AppendSample(out, "kpi_call_duration_seconds_sum",
                 {{"method", method}, {"metric", metric}},
                 static_cast<double>(row.totals.duration_nanos) / 1e9);
    AppendSample(out, "kpi_call_duration_seconds_count",
                 {{"method", method}, {"metric", metric}}, cumulative);
  }

  AppendFamilyHeader(out, "kpi_rows_processed_total", "counter",
                     "Input rows of finished RPCs, by gRPC method and "
                     "metric.");
  for (const Row& row : rows) {
    AppendSample(
        out, "kpi_rows_processed_total",
        {{"method", row.series->method()}, {"metric", row.series->metric()}},
        row.totals.rows);
  }

  AppendFamilyHeader(out, "kpi_request_bytes_total", "counter",
                     "Request message bytes of finished RPCs, by gRPC "
                     "method and metric.");
  for (const Row& row : rows) {
    AppendSample(
        out, "kpi_request_bytes_total",
        {{"method", row.series->method()}, {"metric", row.series->metric()}},
        row.totals.request_bytes);
  }

  AppendFamilyHeader(out, "kpi_calls_in_flight", "gauge",
                     "RPCs started and not yet finished, by gRPC method and "
                     "metric.");
  for (const Row& row : rows) {
    AppendSample(
        out, "kpi_calls_in_flight",
        {{"method", row.series->method()}, {"metric", row.series->metric()}},
        row.totals.in_flight);
  }
}

}  // namespace kpi
