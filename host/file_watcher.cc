#include "file_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace kpi {

absl::StatusOr<std::unique_ptr<FileWatcher>> FileWatcher::Start(
    std::vector<WatchedDirectory> directories, std::chrono::milliseconds settle,
    std::function<void()> on_change) {
  const int inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot watch files: ", std::strerror(errno)));
  }
  std::vector<std::pair<int, WatchedDirectory>> watches;
  for (WatchedDirectory& directory : directories) {
    const int watch =
        inotify_add_watch(inotify_fd, directory.path.c_str(),
                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                              IN_DELETE | IN_CREATE | IN_ATTRIB);
    if (watch < 0) {
      const int error = errno;
      close(inotify_fd);
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot watch ", directory.path, ": ", std::strerror(error)));
    }
    watches.emplace_back(watch, std::move(directory));
  }
  const int stop_fd = eventfd(0, EFD_CLOEXEC);
  if (stop_fd < 0) {
    close(inotify_fd);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot watch files: ", std::strerror(errno)));
  }
  return std::unique_ptr<FileWatcher>(new FileWatcher(
      inotify_fd, stop_fd, std::move(watches), settle, std::move(on_change)));
}

FileWatcher::FileWatcher(int inotify_fd, int stop_fd,
                         std::vector<std::pair<int, WatchedDirectory>> watches,
                         std::chrono::milliseconds settle,
                         std::function<void()> on_change)
    : inotify_fd_(inotify_fd),
      stop_fd_(stop_fd),
      watches_(std::move(watches)),
      settle_(settle),
      on_change_(std::move(on_change)),
      thread_([this] { Run(); }) {}

FileWatcher::~FileWatcher() {
  const uint64_t one = 1;
  // An eventfd write fails only when its counter would overflow, and then it
  // is readable already: either way Run() wakes and returns.
  [[maybe_unused]] const ssize_t written = write(stop_fd_, &one, sizeof one);
  thread_.join();
  close(stop_fd_);
  close(inotify_fd_);
}

bool FileWatcher::DrainEvents() {
  bool matters = false;
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    const ssize_t got = read(inotify_fd_, buffer, sizeof buffer);
    if (got <= 0) return matters;  // EAGAIN: drained
    for (ssize_t at = 0; at < got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
      at += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        matters = true;  // events were lost: assume one mattered
        continue;
      }
      const absl::string_view name =
          event->len > 0 ? absl::string_view(event->name) : "";
      for (const auto& [watch, directory] : watches_) {
        if (watch == event->wd && directory.matters(name)) matters = true;
      }
    }
  }
}

void FileWatcher::Run() {
  bool pending = false;
  for (;;) {
    pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const int ready =
        poll(fds, 2, pending ? static_cast<int>(settle_.count()) : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || (fds[0].revents & POLLIN)) return;
    if (ready == 0) {  // quiet for `settle` since the last change
      pending = false;
      on_change_();
      continue;
    }
    if (DrainEvents()) pending = true;
  }
}

}  // namespace kpi
