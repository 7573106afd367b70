#include "private_copy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

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

}  // namespace

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

  const char* tmp = std::getenv("TMPDIR");
  std::string directory = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/kpi-plugin-XXXXXX");
  if (mkdtemp(directory.data()) == nullptr) {
    return ErrnoError("create a private directory like", directory);
  }
  const size_t slash = source.rfind('/');
  std::string path = absl::StrCat(
      directory, "/",
      slash == std::string::npos ? source : source.substr(slash + 1));
  // From here on the object owns the directory and removes it on failure.
  PrivateCopy copy(std::move(directory), std::move(path), VersionOf(info));
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
      path_(std::move(other.path_)),
      version_(other.version_) {
  other.directory_.clear();
}

PrivateCopy::~PrivateCopy() {
  if (directory_.empty()) return;
  unlink(path_.c_str());
  rmdir(directory_.c_str());
}

}  // namespace kpi
