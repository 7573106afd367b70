#include "secret_file.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kpi {
namespace {

// "kpi (uid 1000)", or "uid 1000" for a uid with no name.
std::string UserName(uid_t uid) {
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[1024];
  if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) == 0 &&
      found != nullptr) {
    return absl::StrCat(found->pw_name, " (uid ", uid, ")");
  }
  return absl::StrCat("uid ", uid);
}

absl::Status CannotRead(absl::string_view what, absl::string_view path,
                        int error) {
  const std::string message =
      absl::StrCat(what, " ", path, ": cannot read it: ", std::strerror(error));
  return error == ENOENT ? absl::NotFoundError(message)
                         : absl::FailedPreconditionError(message);
}

// The file open on `fd`, read to its end.
absl::StatusOr<std::string> ReadAllOf(absl::string_view what,
                                      absl::string_view path, int fd) {
  std::string contents;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) return contents;
    if (n < 0) {
      if (errno == EINTR) continue;
      return CannotRead(what, path, errno);
    }
    contents.append(buffer, static_cast<size_t>(n));
    // Tokens files and PEM files are small; this is a mistake (a device, a
    // log file named by accident).
    if (contents.size() > (16u << 20)) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, " ", path, " is larger than 16 MiB"));
    }
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

absl::Status CheckSecretFileMode(absl::string_view what, absl::string_view path,
                                 mode_t mode, uid_t owner, uid_t server_uid) {
  const std::string shown =
      absl::StrFormat("(mode %04o, owner %s)", mode & 07777, UserName(owner));
  if (!S_ISREG(mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " ", path, " is not a regular file"));
  }
  if (owner != 0 && owner != server_uid) {
    return absl::PermissionDeniedError(absl::StrCat(
        what, " ", path, " is owned by ", UserName(owner),
        ", not by root or the user kpi-server runs as ", shown,
        ": its owner can read and change it; chown it to the server's user "
        "and chmod 600 it"));
  }
  // Owned by root, a group may read it (to hand it to an unprivileged
  // server); otherwise only the owner may touch it.
  const mode_t allowed = owner == 0 ? S_IRGRP : 0;
  if ((mode & (S_IRWXG | S_IRWXO) & ~allowed) != 0) {
    const bool others_read = (mode & S_IROTH) != 0;
    const bool writable = (mode & (S_IWGRP | S_IWOTH)) != 0;
    return absl::PermissionDeniedError(absl::StrCat(
        what, " ", path, " is ",
        writable      ? "writable by other users"
        : others_read ? "readable by every user"
                      : "open to its group",
        " ", shown,
        ": it holds secrets, which only kpi-server's user may read; chmod "
        "600 ",
        path, " (or 640, owned by root and the server's group)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSecretFile(absl::string_view what,
                                           const std::string& path) {
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return CannotRead(what, path, errno);
  struct stat info;
  if (fstat(fd.get(), &info) != 0) return CannotRead(what, path, errno);
  if (absl::Status safe =
          CheckSecretFileMode(what, path, info.st_mode, info.st_uid, geteuid());
      !safe.ok()) {
    return safe;
  }
  return ReadAllOf(what, path, fd.get());
}

absl::StatusOr<std::string> ReadPublicFile(absl::string_view what,
                                           const std::string& path) {
  const Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return CannotRead(what, path, errno);
  return ReadAllOf(what, path, fd.get());
}

}  // namespace kpi
