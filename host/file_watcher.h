// FileWatcher: calls back when files in some directories change, once the
// changes have settled -- how kpi-server --watch reloads by itself.
//
// Uses inotify on the directories, not the files, so replacing a file by
// rename (as install(1), package managers and editors do) is seen. A burst
// of events (a copy written in several pieces, a package upgrading five
// plugins) becomes one callback, `settle` after the last event.
#ifndef KPI_HOST_FILE_WATCHER_H_
#define KPI_HOST_FILE_WATCHER_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kpi {

struct WatchedDirectory {
  std::string path;
  // Whether a change to the file of this name (no directory) matters.
  std::function<bool(absl::string_view name)> matters;
};

class FileWatcher {
 public:
  // Starts watching on a thread of its own; `on_change` runs on that
  // thread. Errors name the directory that cannot be watched.
  static absl::StatusOr<std::unique_ptr<FileWatcher>> Start(
      std::vector<WatchedDirectory> directories,
      std::chrono::milliseconds settle, std::function<void()> on_change);

  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;
  // Stops the thread; a callback already running finishes first.
  ~FileWatcher();

 private:
  FileWatcher(int inotify_fd, int stop_fd,
              std::vector<std::pair<int, WatchedDirectory>> watches,
              std::chrono::milliseconds settle,
              std::function<void()> on_change);
  void Run();
  // Reads the pending events; whether any matters.
  bool DrainEvents();

  const int inotify_fd_;
  const int stop_fd_;  // an eventfd: written to stop Run()
  const std::vector<std::pair<int, WatchedDirectory>> watches_;
  const std::chrono::milliseconds settle_;
  const std::function<void()> on_change_;
  std::thread thread_;
};

}  // namespace kpi

#endif  // KPI_HOST_FILE_WATCHER_H_
