#include "private_copy.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kpi {
namespace {

FileVersion VersionOf(const struct stat& info) {
  return {info.st_dev, info.st_ino, info.st_size,
          int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec};
}

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(errno)));
}

// Closes a descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

absl::Status CopyContents(int from, int to, const std::string& source) {
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t got = read(from, buffer.data(), buffer.size());
    if (got == 0) return absl::OkStatus();
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read", source);
    }
    for (ssize_t written = 0; written < got;) {
      const ssize_t put = write(to, buffer.data() + written, got - written);
      if (put < 0) {
        if (errno == EINTR) continue;
        return ErrnoError("write a private copy of", source);
      }
      written += put;
    }
  }
}

constexpr absl::string_view kCopyPrefix = "kpi-plugin-";

// Whether `name` is what mkdtemp makes of kpi-plugin-XXXXXX.
bool IsCopyName(absl::string_view name) {
  if (!absl::StartsWith(name, kCopyPrefix)) return false;
  const absl::string_view suffix = name.substr(kCopyPrefix.size());
  if (suffix.size() != 6) return false;
  for (char c : suffix) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A fresh directory under `root`, mode 0700, shared-locked: the returned
// descriptor holds the lock. A cleaner in another process may remove the
// directory between mkdtemp and flock (it is not locked yet, so it looks
// stale); once locked, the directory is checked to still be the one at the
// path, and otherwise made again. The window is microseconds wide, but a
// cleaner that runs back to back on a loaded machine (8 attempts were once
// all lost in tests/host/private_copy_test.cc) can win it many times over.
absl::Status MakeLockedDirectory(const std::string& root,
                                 std::string& directory, int& lock) {
  constexpr int kAttempts = 1000;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    directory = absl::StrCat(root, "/", kCopyPrefix, "XXXXXX");
    if (mkdtemp(directory.data()) == nullptr) {
      return ErrnoError("create a private directory like", directory);
    }
    lock = open(directory.c_str(),
                O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (lock < 0) {
      if (errno == ENOENT) continue;  // removed by a cleaner already
      const absl::Status status = ErrnoError("open", directory);
      rmdir(directory.c_str());
      return status;
    }
    if (flock(lock, LOCK_SH) != 0) {
      const absl::Status status = ErrnoError("lock", directory);
      close(lock);
      lock = -1;
      rmdir(directory.c_str());
      return status;
    }
    struct stat locked, named;
    if (fstat(lock, &locked) == 0 && lstat(directory.c_str(), &named) == 0 &&
        locked.st_dev == named.st_dev && locked.st_ino == named.st_ino) {
      return absl::OkStatus();
    }
    close(lock);  // removed by a cleaner before we locked it: again
    lock = -1;
  }
  return absl::UnavailableError(
      absl::StrCat("cannot create a private directory in ", root,
                   ": each new one was removed at once"));
}

// Removes the copy directory `name` in `root` if nobody holds it. OK also
// when it is in use (then left alone); an error says why a stale-looking
// directory was left.
absl::Status RemoveIfStale(int root, const std::string& root_path,
                           const std::string& name, bool& removed) {
  removed = false;
  const std::string path = absl::StrCat(root_path, "/", name);
  FileDescriptor directory(openat(
      root, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (directory.get() < 0) {
    // Gone meanwhile (another server cleaned it), or a symlink or not a
    // directory: not ours to judge.
    return absl::OkStatus();
  }
  struct stat info;
  if (fstat(directory.get(), &info) != 0) return ErrnoError("stat", path);
  if (info.st_uid != geteuid()) return absl::OkStatus();  // another user's
  if ((info.st_mode & 07777) != 0700) {
    return absl::FailedPreconditionError(
        absl::StrFormat("%s: mode %04o, not a private copy's 0700", path,
                        static_cast<unsigned>(info.st_mode & 07777)));
  }
  if (flock(directory.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return absl::OkStatus();  // in use
    return ErrnoError("lock", path);
  }
  // Locked: nobody can start using it now (PrivateCopy checks, after it
  // locks, that its directory is still there). Make sure the name still
  // means the directory locked.
  struct stat named;
  if (fstatat(root, name.c_str(), &named, AT_SYMLINK_NOFOLLOW) != 0 ||
      named.st_dev != info.st_dev || named.st_ino != info.st_ino) {
    return absl::OkStatus();
  }
  const int listing_fd = dup(directory.get());
  if (listing_fd < 0) return ErrnoError("list", path);
  DIR* listing = fdopendir(listing_fd);
  if (listing == nullptr) {
    close(listing_fd);
    return ErrnoError("list", path);
  }
  std::vector<std::string> files;
  absl::Status status;
  while (const dirent* entry = readdir(listing)) {
    const absl::string_view file = entry->d_name;
    if (file == "." || file == "..") continue;
    struct stat file_info;
    if (fstatat(directory.get(), entry->d_name, &file_info,
                AT_SYMLINK_NOFOLLOW) != 0) {
      status = ErrnoError("stat", absl::StrCat(path, "/", file));
      break;
    }
    if (S_ISDIR(file_info.st_mode)) {
      status = absl::FailedPreconditionError(
          absl::StrCat(path, ": holds a directory, ", file,
                       ", which a private copy never does"));
      break;
    }
    files.emplace_back(file);
  }
  closedir(listing);
  if (!status.ok()) return status;
  for (const std::string& file : files) {
    if (unlinkat(directory.get(), file.c_str(), 0) != 0 && errno != ENOENT) {
      return ErrnoError("remove", absl::StrCat(path, "/", file));
    }
  }
  if (unlinkat(root, name.c_str(), AT_REMOVEDIR) != 0) {
    return ErrnoError("remove", path);
  }
  removed = true;
  return absl::OkStatus();
}

}  // namespace

std::string PrivateCopyRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

absl::StatusOr<FileVersion> VersionOfFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return ErrnoError("stat", path);
  return VersionOf(info);
}

absl::StatusOr<PrivateCopy> PrivateCopy::Make(const std::string& source) {
  FileDescriptor in(open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return ErrnoError("open", source);
  struct stat info;
  if (fstat(in.get(), &info) != 0) return ErrnoError("stat", source);

  std::string directory;
  int lock = -1;
  if (absl::Status s = MakeLockedDirectory(PrivateCopyRoot(), directory, lock);
      !s.ok()) {
    return s;
  }
  const size_t slash = source.rfind('/');
  std::string path = absl::StrCat(
      directory, "/",
      slash == std::string::npos ? source : source.substr(slash + 1));
  // From here on the object owns the directory and removes it on failure.
  PrivateCopy copy(std::move(directory), lock, std::move(path),
                   VersionOf(info));
  FileDescriptor out(
      open(copy.path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0500));
  if (out.get() < 0) return ErrnoError("create", copy.path_);
  if (absl::Status status = CopyContents(in.get(), out.get(), source);
      !status.ok()) {
    return status;
  }
  return copy;
}

PrivateCopy::PrivateCopy(PrivateCopy&& other) noexcept
    : directory_(std::move(other.directory_)),
      lock_(other.lock_),
      path_(std::move(other.path_)),
      version_(other.version_) {
  other.directory_.clear();
  other.lock_ = -1;
}

PrivateCopy::~PrivateCopy() {
  if (directory_.empty()) return;
  unlink(path_.c_str());
  rmdir(directory_.c_str());
  if (lock_ >= 0) close(lock_);  // only now: it is gone
}

absl::Status HoldPrivateCopy(const std::string& file) {
  const size_t slash = file.rfind('/');
  const std::string directory =
      slash == std::string::npos ? "." : file.substr(0, slash);
  const int lock = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock < 0) return ErrnoError("open", directory);
  // Never blocks for long: a cleaner holds its exclusive lock only while it
  // removes a directory nobody held.
  if (flock(lock, LOCK_SH) != 0) {
    const absl::Status status = ErrnoError("lock", directory);
    close(lock);
    return status;
  }
  return absl::OkStatus();  // `lock` stays open until this process exits
}

StaleCopyCleanup RemoveStalePrivateCopies(const std::string& root) {
  StaleCopyCleanup cleanup;
  FileDescriptor root_fd(
      open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root_fd.get() < 0) {
    cleanup.problems.emplace_back(ErrnoError("open", root).message());
    return cleanup;
  }
  std::vector<std::string> names;
  const int listing_fd = dup(root_fd.get());
  DIR* listing = listing_fd < 0 ? nullptr : fdopendir(listing_fd);
  if (listing == nullptr) {
    if (listing_fd >= 0) close(listing_fd);
    cleanup.problems.emplace_back(ErrnoError("list", root).message());
    return cleanup;
  }
  while (const dirent* entry = readdir(listing)) {
    if (IsCopyName(entry->d_name)) names.emplace_back(entry->d_name);
  }
  closedir(listing);
  for (const std::string& name : names) {
    bool removed = false;
    absl::Status status = RemoveIfStale(root_fd.get(), root, name, removed);
    if (!status.ok()) {
      cleanup.problems.emplace_back(status.message());
    } else if (removed) {
      cleanup.removed.push_back(absl::StrCat(root, "/", name));
    }
  }
  return cleanup;
}

}  // namespace kpi
