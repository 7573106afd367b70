#include "ticker.h"

#include <algorithm>
#include <utility>

namespace kpi {

Ticker::Ticker(std::chrono::milliseconds period)
    : period_(period), thread_([this] { Run(); }) {}

Ticker::~Ticker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Ticker::Add(std::weak_ptr<Ticked> ticked) {
  std::lock_guard<std::mutex> lock(mutex_);
  ticked_.push_back(std::move(ticked));
}

void Ticker::TickNow() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Ticker::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, period_, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
    ticked_.erase(std::remove_if(ticked_.begin(), ticked_.end(),
                                 [](const std::weak_ptr<Ticked>& entry) {
                                   return entry.expired();
                                 }),
                  ticked_.end());
    std::vector<std::shared_ptr<Ticked>> live;
    live.reserve(ticked_.size());
    for (const auto& entry : ticked_) {
      if (std::shared_ptr<Ticked> alive = entry.lock()) {
        live.push_back(std::move(alive));
      }
    }
    lock.unlock();
    const Clock::time_point now = Clock::now();
    for (const auto& ticked : live) ticked->Tick(now);
    live.clear();  // an object that ended meanwhile is freed here
    lock.lock();
  }
}

}  // namespace kpi
