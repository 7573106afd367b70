#include "reply_watcher.h"

#include <sys/epoll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

using Clock = std::chrono::steady_clock;

absl::Status CannotWatch() {
  return absl::UnavailableError(absl::StrCat(
      "cannot wait for a plugin worker's reply: ", std::strerror(errno)));
}

}  // namespace

ReplyWatcher& ReplyWatcher::For(int fd) {
  // Leaked: calls may still wait while static destructors run.
  static const std::vector<ReplyWatcher*>* watchers = [] {
    auto* all = new std::vector<ReplyWatcher*>(
        std::max(1u, std::thread::hardware_concurrency()));
    for (ReplyWatcher*& watcher : *all) watcher = new ReplyWatcher();
    return all;
  }();
  return *(*watchers)[static_cast<size_t>(fd) % watchers->size()];
}

// Without an epoll instance (-1) every Watch() fails its waiter.
ReplyWatcher::ReplyWatcher() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_ >= 0) std::thread(&ReplyWatcher::Run, this).detach();
}

void ReplyWatcher::Watch(std::unique_ptr<Waiter> waiter) {
  {
    // Added and watched as one step: the watcher thread, which erases
    // waiters under the same lock, never sees one half added.
    std::lock_guard<std::mutex> lock(mutex_);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = waiter.get();
    if (epoll_ >= 0 &&
        epoll_ctl(epoll_, EPOLL_CTL_ADD, waiter->fd(), &event) == 0) {
      waiters_.insert(waiter.release());
      return;
    }
  }
  waiter->Ended(CannotWatch());
}

void ReplyWatcher::Forget(Waiter* waiter) {
  std::lock_guard<std::mutex> lock(mutex_);
  epoll_ctl(epoll_, EPOLL_CTL_DEL, waiter->fd(), nullptr);
  waiters_.erase(waiter);
}

void ReplyWatcher::Run() {
  constexpr int kMaxEvents = 64;
  epoll_event events[kMaxEvents];
  Clock::time_point next_tick = Clock::now() + kTick;
  for (;;) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        next_tick - Clock::now());
    const int ready = epoll_wait(epoll_, events, kMaxEvents,
                                 static_cast<int>(std::max<int64_t>(
                                     0, static_cast<int64_t>(wait.count()))));
    for (int i = 0; i < ready; ++i) {
      auto* waiter = static_cast<Waiter*>(events[i].data.ptr);
      Forget(waiter);
      if (waiter->Readable()) {
        delete waiter;
        continue;
      }
      // Nothing to read after all: watch it again (here: Watch() chooses by
      // descriptor, and the descriptor is this watcher's).
      Watch(std::unique_ptr<Waiter>(waiter));
    }
    const Clock::time_point now = Clock::now();
    if (now < next_tick) continue;
    next_tick = now + kTick;
    std::vector<Waiter*> waiting;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      waiting.assign(waiters_.begin(), waiters_.end());
    }
    for (Waiter* waiter : waiting) {
      std::optional<absl::Status> ended = waiter->Check();
      if (!ended.has_value()) continue;
      Forget(waiter);
      waiter->Ended(*std::move(ended));
      delete waiter;
    }
  }
}

}  // namespace kpi
