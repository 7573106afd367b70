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
#ifndef KPI_HOST_PRIVATE_COPY_H_
#define KPI_HOST_PRIVATE_COPY_H_

#include <sys/types.h>

#include <string>

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

class PrivateCopy {
 public:
  // Copies `source` into a new directory under $TMPDIR (default /tmp),
  // keeping its file name; version() is the source's version as copied.
  static absl::StatusOr<PrivateCopy> Make(const std::string& source);

  PrivateCopy(PrivateCopy&& other) noexcept;
  PrivateCopy& operator=(PrivateCopy&&) = delete;
  PrivateCopy(const PrivateCopy&) = delete;
  ~PrivateCopy();

  const std::string& path() const { return path_; }
  const FileVersion& version() const { return version_; }

 private:
  PrivateCopy(std::string directory, std::string path, FileVersion version)
      : directory_(std::move(directory)),
        path_(std::move(path)),
        version_(version) {}

  std::string directory_;  // empty once moved from
  std::string path_;
  FileVersion version_;
};

}  // namespace kpi

#endif  // KPI_HOST_PRIVATE_COPY_H_
