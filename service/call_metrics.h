// CallMetrics: what the server's RPCs are doing, for Prometheus -- per gRPC
// method and metric: calls by status code, a latency histogram, rows and
// request bytes processed, and calls in flight -- written in the text
// exposition format (prometheus_text.h) at scrape time.
//
// The hot path takes no lock and allocates nothing once a (method, metric)
// pair has been seen: Start() finds the pair's Series in a lock-free
// open-addressing table (hash, then compare two strings), and every counter
// is a relaxed atomic in one of kShards per-thread shards, so the threads of
// a busy server do not bounce one cache line between cores. Only the first
// call of a pair takes the mutex, to create its series.
//
// Label cardinality is bounded whatever callers send. The method is chosen
// by the server (REQUIRES: a name from a fixed set, never caller input). A
// metric name becomes a label value only if `is_served(name)` says a loaded
// plugin serves it; any other name -- a typo, a hostile caller's random
// strings -- is counted under metric="", as are calls that name no metric
// (ListMetrics). A series, once created, stays: a metric that a reload
// removes keeps its counts. At most kMaxSeries pairs get a series; calls of
// further pairs are counted under method="", metric="".
//
// A Call is also the call's one record for its log line: an Observer
// (call_log.h) given at construction sees each finished call it wants, with
// its request id, principal, peer and status message. Asking the observer
// is one virtual call; nothing more is done for a call it does not want.
//
// Thread-safe. A Call is used by one thread at a time.
#ifndef KPI_SERVICE_CALL_METRICS_H_
#define KPI_SERVICE_CALL_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace kpi {

class CallMetrics {
 public:
  class Series;
  class Call;
  struct Finished;
  class Observer;

  static constexpr size_t kMaxSeries = 2048;
  static constexpr size_t kShards = 8;
  // Upper bounds (seconds) of kpi_call_duration_seconds' buckets, 50 us to
  // 60 s; a last bucket, +Inf, takes the rest.
  static constexpr std::array<double, 19> kBucketBounds = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,     0.25,   0.5,     1,      2.5,   5,      10,    30,   60};
  // gRPC status codes, 0 (OK) to 16 (UNAUTHENTICATED); any other code
  // counts as 2 (UNKNOWN).
  static constexpr int kCodes = 17;

  // `is_served(metric)`: whether a loaded plugin serves `metric` now.
  // Called from any thread, and only when a call names a metric that has
  // no series yet (so on every call that names an unknown metric): it
  // should be about as cheap as the lookup the call itself makes.
  // `observer` (may be null) must outlive this CallMetrics.
  explicit CallMetrics(std::function<bool(absl::string_view)> is_served,
                       Observer* observer = nullptr);
  CallMetrics(const CallMetrics&) = delete;
  CallMetrics& operator=(const CallMetrics&) = delete;
  // REQUIRES: every Call started here is finished or destroyed.
  ~CallMetrics();

  // A call of the gRPC method `method` (its short name, e.g. "ComputeNps",
  // "ComputeStream") on `metric` (as the caller sent it; may be empty),
  // counted in kpi_calls_in_flight from now until it finishes.
  Call Start(absl::string_view method, absl::string_view metric = {});

  // The series that counts calls of (method, metric), after the rules
  // above. Lock-free once the pair has a series. The series lives as long
  // as this CallMetrics.
  Series& Find(absl::string_view method, absl::string_view metric);

  // Appends the families kpi_calls_total, kpi_call_duration_seconds,
  // kpi_rows_processed_total, kpi_request_bytes_total and
  // kpi_calls_in_flight, series sorted by method then metric. Counters read
  // while calls run may be a moment apart from each other (a call may show
  // in kpi_calls_total before its duration does); each counter is exact.
  void AppendTo(std::string* out) const;

  // "OK", "INVALID_ARGUMENT", ... for a gRPC status code (UNKNOWN for
  // codes out of range).
  static absl::string_view CodeName(int grpc_code);

 private:
  static constexpr size_t kTableSize = 8192;  // a power of two
  static_assert(kTableSize >= 2 * (kMaxSeries + 1), "table load <= 1/2");

  Series* Lookup(absl::string_view method, absl::string_view metric,
                 size_t hash) const;
  Series& Create(absl::string_view method, absl::string_view metric,
                 size_t hash);

  const std::function<bool(absl::string_view)> is_served_;
  Observer* const observer_;
  // Slots are written once (under mutex_), read without a lock.
  std::array<std::atomic<Series*>, kTableSize> table_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Series>> series_;  // owns what table_ points to
};

// The counters of one (method, metric) pair.
class CallMetrics::Series {
 public:
  Series(std::string method, std::string metric, size_t hash);
  Series(const Series&) = delete;
  Series& operator=(const Series&) = delete;

  const std::string& method() const { return method_; }
  const std::string& metric() const { return metric_; }

  // Counts one finished call: its status code, how long it took, and the
  // input rows and request bytes it carried.
  void Record(int grpc_code, std::chrono::nanoseconds duration, uint64_t rows,
              uint64_t request_bytes);
  // Adds `delta` to the calls in flight.
  void AddInFlight(int64_t delta);

  // The sum over all shards, read counter by counter.
  struct Totals {
    std::array<uint64_t, kCodes> calls{};
    std::array<uint64_t, kBucketBounds.size() + 1> buckets{};  // not cumulative
    uint64_t duration_nanos = 0;
    uint64_t rows = 0;
    uint64_t request_bytes = 0;
    int64_t in_flight = 0;
  };
  Totals Read() const;

 private:
  friend class CallMetrics;
  // One thread's share of the counters, on cache lines of its own.
  struct alignas(64) Shard {
    std::atomic<uint64_t> calls[kCodes];
    std::atomic<uint64_t> buckets[kBucketBounds.size() + 1];
    std::atomic<uint64_t> duration_nanos;
    std::atomic<uint64_t> rows;
    std::atomic<uint64_t> request_bytes;
    std::atomic<int64_t> in_flight;
  };
  Shard& ThisThreadsShard();

  const std::string method_;
  const std::string metric_;
  const size_t hash_;
  Shard shards_[kShards];
};

// A finished call, as an Observer sees it. The views are valid during
// Observer::Observe only.
struct CallMetrics::Finished {
  absl::string_view method;
  // The metric's label: empty when the call named no metric or one no
  // loaded plugin serves (its status message then names it).
  absl::string_view metric;
  absl::string_view request_id;
  absl::string_view principal;  // the token's name; empty without tokens
  std::string peer;             // gRPC's peer address; empty if unknown
  int grpc_code = 0;
  absl::string_view message;  // the status message; empty for OK
  std::chrono::nanoseconds duration{0};
  uint64_t rows = 0;
  uint64_t request_bytes = 0;
};

// Sees finished calls: the server's call log (call_log.h).
class CallMetrics::Observer {
 public:
  virtual ~Observer() = default;
  // Whether Observe() wants a call that finished with `grpc_code`. Asked at
  // every Finish, on the finishing thread: it must be cheap.
  virtual bool Wants(int grpc_code) const = 0;
  // Called once for each call it Wants, on the thread finishing it: from
  // several threads at once.
  virtual void Observe(const Finished& call) = 0;
};

// One call, from CallMetrics::Start() to Finish(). Movable (assigning over
// an unfinished Call finishes it as CANCELLED); a default-constructed Call
// counts nothing.
class CallMetrics::Call {
 public:
  Call() = default;
  Call(Call&& other) noexcept;
  Call& operator=(Call&& other) noexcept;
  // An unfinished call finishes as CANCELLED (e.g. the server was stopped
  // before its handler answered).
  ~Call();

  // Counts this call under `metric` from now on, as Start() would have,
  // e.g. once ComputeStream has read the metric from its first message.
  void SetMetric(absl::string_view metric);
  // Adds to what the call will report at Finish().
  void AddRows(uint64_t rows) { rows_ += rows; }
  void AddRequestBytes(uint64_t bytes) { request_bytes_ += bytes; }
  // What the observer sees of the call besides its counts: its request id
  // (request_id.h), the name of the token that made it (REQUIRES: outlives
  // the call, as a name in the server's Authorizer does), and how to ask
  // for its peer -- asked only when an explicit Finish() is observed, while
  // the transport still holds the call.
  void SetRequestId(std::string request_id) {
    request_id_ = std::move(request_id);
  }
  void SetPrincipal(absl::string_view name) { principal_ = name; }
  void SetPeer(std::function<std::string()> peer) { peer_ = std::move(peer); }
  // Counts the call with its gRPC status code (grpc::StatusCode as int)
  // and the time since Start(); no longer in flight; then shows it to the
  // observer if it wants it, with the status message. Only the first Finish
  // counts.
  void Finish(int grpc_code, absl::string_view message = {});

 private:
  friend class CallMetrics;
  Call(CallMetrics* owner, Series* series);
  // Finishes a call nobody finished (destroyed, or assigned over): its
  // transport may be gone, so its peer is not asked.
  void Abandon();

  CallMetrics* owner_ = nullptr;
  Series* series_ = nullptr;  // null when finished or moved from
  std::chrono::steady_clock::time_point start_;
  uint64_t rows_ = 0;
  uint64_t request_bytes_ = 0;
  std::string request_id_;
  absl::string_view principal_;
  std::function<std::string()> peer_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_CALL_METRICS_H_
