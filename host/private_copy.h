// PrivateCopy: a byte-for-byte copy of a file in a fresh directory only this
// user can enter (mkdtemp, mode 0700), removed with the object.
//
// The server loads every plugin from a private copy, for two reasons:
// - dlopen() matches an already-loaded library by path before it looks at
//   the file, so reopening a replaced plugin at the same path would return
//   the old one; each copy has a fresh path, so a reload really loads the
//   new file while calls still running on the old version keep it mapped.
// - Writing over a file in place (`cp new.so plugins/`) changes the pages of
//   any process that has it mapped, which crashes it; the copy is never
//   written again, so the file operators edit is never the file mapped.
// The copy stays on disk while it lives, so debuggers, perf and sanitizers
// can read its symbols.
//
// A copy that outlives its process (a crash, SIGKILL) is stale;
// RemoveStalePrivateCopies() removes those at server start. Whether a copy
// is in use is known by a lock, not by a pid (pids are reused): the object
// holds a shared flock() on its directory for its whole life, and every
// worker process that loads the copy takes one more (HoldPrivateCopy()). The
// kernel drops a process's locks when it dies, however it dies, so a copy
// whose directory nobody holds is stale.
#ifndef KPI_HOST_PRIVATE_COPY_H_
#define KPI_HOST_PRIVATE_COPY_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace kpi {

// What identifies one version of a file: a replaced or rewritten file
// differs in at least one field.
struct FileVersion {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  int64_t modified_ns = 0;

  bool operator==(const FileVersion& other) const {
    return device == other.device && inode == other.inode &&
           size == other.size && modified_ns == other.modified_ns;
  }
  bool operator!=(const FileVersion& other) const { return !(*this == other); }
};

// The version of `path` now, or an error naming it.
absl::StatusOr<FileVersion> VersionOfFile(const std::string& path);

// Where private copies are made: $TMPDIR, or /tmp when it is unset or
// empty. Each copy is a directory kpi-plugin-XXXXXX (mkdtemp) in it.
std::string PrivateCopyRoot();

class PrivateCopy {
 public:
  // Copies `source` into a new directory under PrivateCopyRoot(), keeping
  // its file name, and marks it in use until this object is destroyed;
  // version() is the source's version as copied.
  static absl::StatusOr<PrivateCopy> Make(const std::string& source);

  PrivateCopy(PrivateCopy&& other) noexcept;
  PrivateCopy& operator=(PrivateCopy&&) = delete;
  PrivateCopy(const PrivateCopy&) = delete;
  ~PrivateCopy();

  const std::string& path() const { return path_; }
  const FileVersion& version() const { return version_; }

 private:
  PrivateCopy(std::string directory, int lock, std::string path,
              FileVersion version)
      : directory_(std::move(directory)),
        lock_(lock),
        path_(std::move(path)),
        version_(version) {}

  std::string directory_;  // empty once moved from
  int lock_;               // the directory, flock()ed shared; -1 when moved
  std::string path_;
  FileVersion version_;
};

// Marks the private copy `file` (a PrivateCopy's path(), made by another
// process) in use by this process until it exits: a worker that loads the
// server's copy calls this first, so the copy is not stale while the worker
// lives even if the server is gone. The lock's descriptor is never closed.
absl::Status HoldPrivateCopy(const std::string& file);

// What RemoveStalePrivateCopies() did.
struct StaleCopyCleanup {
  std::vector<std::string> removed;  // directories
  // Stale-looking directories left alone, each with the reason.
  std::vector<std::string> problems;
};

// Removes the stale private copies in `root` (normally PrivateCopyRoot()):
// directories named exactly kpi-plugin-XXXXXX (6 letters or digits, as
// mkdtemp makes them; never a symlink), owned by this process's effective
// uid, mode 0700, holding only files, that no live process holds
// (PrivateCopy, HoldPrivateCopy). Anything else in `root` is not touched.
// Safe to run while other servers (and their workers) run from the same
// root: a copy being made or in use is never removed.
StaleCopyCleanup RemoveStalePrivateCopies(const std::string& root);

}  // namespace kpi

#endif  // KPI_HOST_PRIVATE_COPY_H_
