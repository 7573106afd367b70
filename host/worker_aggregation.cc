#include "worker_aggregation.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "plugin_worker.h"
#include "worker_protocol.h"

namespace kpi {
namespace {

class WorkerAggregation final : public Aggregation {
 public:
  WorkerAggregation(std::shared_ptr<const Metric> metric,
                    std::shared_ptr<const BoundParams> params,
                    std::vector<std::string> group_by,
                    const Cancellation* cancellation)
      : metric_(std::move(metric)),
        params_(std::move(params)),
        group_by_(std::move(group_by)),
        cancellation_(cancellation),
        worker_(*metric_->library().worker()),
        call_(worker_.NewCall()) {}

  ~WorkerAggregation() override {
    // A call is dropped only once the worker is done with its last chunk.
    AwaitUpdate().IgnoreError();
    if (generation_ != 0 && !closed_) worker_.Drop(generation_, call_);
  }

  bool DeferUntilSettled(Resume resume) override {
    return update_ != nullptr && update_->Defer(std::move(resume));
  }

  // Returns once the chunk is written to the worker, not once it is folded
  // in: the worker computes while the server binds the next chunk. Its
  // answer is taken on the reply thread as soon as it comes, which frees
  // the worker's channel for other calls however long the next chunk takes
  // to arrive, and is checked before the next request (a failure comes
  // back then).
  absl::Status Update(const kpi_chunk& chunk,
                      const std::vector<ColumnArg>& keys) override {
    if (absl::Status status = AwaitUpdate(); !status.ok()) return status;
    auto reply = std::make_shared<UpdateReply>();
    const absl::Status sent = worker_.SendThen(
        generation_, Request(&chunk, &keys, /*finish=*/false), cancellation_,
        [reply](absl::Status status, std::string) {
          reply->Set(std::move(status));
        });
    if (!sent.ok()) {
      closed_ = true;
      return sent;
    }
    update_ = std::move(reply);
    return absl::OkStatus();
  }

  absl::StatusOr<v1::MetricResult> Finish() override {
    if (absl::Status status = AwaitUpdate(); !status.ok()) return status;
    return Result(nullptr, nullptr);
  }

  absl::StatusOr<v1::MetricResult> UpdateAndFinish(
      const kpi_chunk& chunk, const std::vector<ColumnArg>& keys) override {
    if (absl::Status status = AwaitUpdate(); !status.ok()) return status;
    return Result(&chunk, &keys);
  }

  // The request is written now; the reply is waited for on the reply
  // thread.
  void UpdateAndFinishThen(const kpi_chunk& chunk,
                           const std::vector<ColumnArg>& keys,
                           ResultCallback done) override {
    if (absl::Status status = AwaitUpdate(); !status.ok()) {
      std::move(done)(status);
      return;
    }
    SendFinish(&chunk, &keys, std::move(done));
  }

  void FinishThen(ResultCallback done) override {
    if (absl::Status status = AwaitUpdate(); !status.ok()) {
      std::move(done)(status);
      return;
    }
    SendFinish(nullptr, nullptr, std::move(done));
  }

 private:
  // One request: the call's kOpen if not sent yet, then kUpdate with
  // `chunk` (if any), then kFinish (if `finish`).
  std::function<void(WireWriter&)> Request(const kpi_chunk* chunk,
                                           const std::vector<ColumnArg>* keys,
                                           bool finish) {
    const bool opening = generation_ == 0;
    return [this, opening, chunk, keys, finish](WireWriter& out) {
      if (opening) WriteOpen(out, call_, MetricIndex(), *params_, group_by_);
      if (chunk != nullptr) {
        WriteUpdate(out, call_, *chunk, *keys, key_entries_sent_);
      }
      if (finish) WriteCallOp(out, WorkerOp::kFinish, call_);
    };
  }

  // Sends the call's last request (with `chunk`, if any); the result goes
  // to `done` from the reply thread.
  void SendFinish(const kpi_chunk* chunk, const std::vector<ColumnArg>* keys,
                  ResultCallback done) {
    auto answer = std::make_shared<ResultCallback>(std::move(done));
    // Before sending: the answer may come, and end the call that owns this
    // aggregation, before SendThen returns.
    closed_ = true;  // the worker forgets a call at its kFinish
    const absl::Status sent = worker_.SendThen(
        generation_, Request(chunk, keys, /*finish=*/true), cancellation_,
        [metric = metric_, answer](absl::Status status, std::string bytes) {
          std::move (*answer)(ParseResult(*metric, status, bytes));
        });
    if (!sent.ok()) std::move (*answer)(sent);
  }

  // The worker's answer to an update, handed over by the reply thread.
  class UpdateReply {
   public:
    void Set(absl::Status status) {
      Resume resume;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        status_ = std::move(status);
        answered_ = true;
        answer_.notify_all();
        resume = std::move(resume_);
      }
      if (resume) std::move(resume)();
    }
    // False if answered already; else `resume` runs once the answer comes.
    bool Defer(Resume resume) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (answered_) return false;
      resume_ = std::move(resume);
      return true;
    }
    absl::Status Wait() {
      std::unique_lock<std::mutex> lock(mutex_);
      answer_.wait(lock, [this] { return answered_; });
      return status_;
    }

   private:
    std::mutex mutex_;
    std::condition_variable answer_;
    bool answered_ = false;
    absl::Status status_;
    Resume resume_;
  };

  // The worker's answer to the chunk Update sent last, waited for if not
  // taken yet (the reply thread applies the call's cancellation), or the
  // failure an earlier one gave.
  absl::Status AwaitUpdate() {
    if (update_ != nullptr) {
      absl::Status status = update_->Wait();
      update_.reset();
      if (!status.ok()) {
        closed_ = true;  // the worker forgets a call at its first failure
        failure_ = std::move(status);
      }
    }
    return failure_;
  }

  // One exchange, waited for on this thread.
  absl::Status Send(const kpi_chunk* chunk, const std::vector<ColumnArg>* keys,
                    bool finish, std::string* result) {
    return worker_.Exchange(generation_, Request(chunk, keys, finish), result,
                            cancellation_);
  }

  // The worker's answer to a kFinish: its status, or the result in `bytes`.
  static absl::StatusOr<v1::MetricResult> ParseResult(
      const Metric& metric, const absl::Status& status,
      const std::string& bytes) {
    if (!status.ok()) return status;
    v1::MetricResult result;
    if (!result.ParseFromString(bytes)) {
      return absl::InternalError(
          absl::StrCat("plugin '", metric.library().descriptor().name,
                       "': its worker sent a result that does not parse"));
    }
    return result;
  }

  absl::StatusOr<v1::MetricResult> Result(const kpi_chunk* chunk,
                                          const std::vector<ColumnArg>* keys) {
    std::string bytes;
    absl::Status status = Send(chunk, keys, /*finish=*/true, &bytes);
    closed_ = true;
    return ParseResult(*metric_, status, bytes);
  }

  uint32_t MetricIndex() const {
    return static_cast<uint32_t>(&metric_->descriptor() -
                                 metric_->library().descriptor().metrics);
  }

  std::shared_ptr<const Metric> metric_;
  std::shared_ptr<const BoundParams> params_;
  std::vector<std::string> group_by_;
  const Cancellation* cancellation_;
  PluginWorker& worker_;  // kept alive by metric_'s library
  const uint64_t call_;
  uint64_t generation_ = 0;  // the worker process that holds the call
  bool closed_ = false;
  // The answer to the last chunk Update sent, until checked.
  std::shared_ptr<UpdateReply> update_;
  absl::Status failure_;  // of an update, once one failed
  // Per declared input: the entries of its key dictionary sent so far.
  std::vector<uint64_t> key_entries_sent_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Aggregation>> StartWorkerAggregation(
    std::shared_ptr<const Metric> metric,
    std::shared_ptr<const BoundParams> params,
    std::vector<std::string> group_by, const Cancellation* cancellation) {
  return std::unique_ptr<Aggregation>(new WorkerAggregation(
      std::move(metric), std::move(params), std::move(group_by), cancellation));
}

}  // namespace kpi
