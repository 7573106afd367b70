#include "health_service.h"

#include <chrono>
#include <memory>

#include "absl/strings/str_cat.h"
#include "quoted.h"

namespace kpi {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch call: writes its service's status whenever it differs from the
// last one written, one write at a time. Owned by itself (self_) until
// OnDone, and by a tick running on it.
class HealthService::Watcher final
    : public grpc::ServerWriteReactor<HealthCheckResponse>,
      public Ticker::Ticked,
      public std::enable_shared_from_this<Watcher> {
 public:
  static Watcher* Start(HealthService* service, std::string name) {
    std::shared_ptr<Watcher> watcher(new Watcher(service, std::move(name)));
    watcher->self_ = watcher;
    service->watch_ticker_.Add(watcher);
    watcher->Tick(Ticker::Clock::now());
    return watcher.get();
  }

  void Tick(Ticker::Clock::time_point) override {
    const Status now = service_->StatusOf(name_);
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_ || writing_ || now == sent_) return;
    writing_ = true;
    sent_ = now;
    response_.set_status(now);
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_ = false;
      if (ok) return;
    }
    FinishOnce();
  }
  void OnCancel() override { FinishOnce(); }
  void OnDone() override { self_.reset(); }

 private:
  Watcher(HealthService* service, std::string name)
      : service_(service), name_(std::move(name)) {}

  void FinishOnce() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_) return;
      finished_ = true;
    }
    Finish(grpc::Status::OK);
  }

  HealthService* const service_;
  const std::string name_;
  std::shared_ptr<Watcher> self_;
  std::mutex mutex_;
  HealthCheckResponse response_;  // the write in flight
  Status sent_ = HealthCheckResponse::UNKNOWN;
  bool writing_ = false;
  bool finished_ = false;
};

HealthService::HealthService(const std::vector<std::string>& services,
                             DynamicStatus dynamic)
    : dynamic_(std::move(dynamic)),
      watch_ticker_(std::chrono::milliseconds(200)) {
  for (const std::string& service : services) {
    statuses_[service] = HealthCheckResponse::SERVING;
  }
}

void HealthService::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [service, status] : statuses_) {
      status = HealthCheckResponse::NOT_SERVING;
    }
    shut_down_ = true;
  }
  watch_ticker_.TickNow();
}

HealthService::Status HealthService::StatusOf(
    const std::string& service) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = statuses_.find(service);
    if (it != statuses_.end()) return it->second;
    if (shut_down_) {
      return dynamic_ && dynamic_(service)
                 ? HealthCheckResponse::NOT_SERVING
                 : HealthCheckResponse::SERVICE_UNKNOWN;
    }
  }
  const std::optional<bool> serving =
      dynamic_ ? dynamic_(service) : std::nullopt;
  if (!serving) return HealthCheckResponse::SERVICE_UNKNOWN;
  return *serving ? HealthCheckResponse::SERVING
                  : HealthCheckResponse::NOT_SERVING;
}

bool HealthService::Serving(const std::string& service) const {
  return StatusOf(service) == HealthCheckResponse::SERVING;
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const HealthCheckRequest* request,
    HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const Status status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    reactor->Finish(grpc::Status(
        grpc::StatusCode::NOT_FOUND,
        absl::StrCat("unknown service ", Quoted(request->service()))));
    return reactor;
  }
  response->set_status(status);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext*, const HealthCheckRequest* request) {
  return Watcher::Start(this, request->service());
}

}  // namespace kpi
