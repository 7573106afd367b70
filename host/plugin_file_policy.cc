#include "plugin_file_policy.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace kpi {
namespace {

// Linux gives up after 40 symlinks (ELOOP); so do we.
constexpr int kMaxSymlinks = 40;

std::string UserName(uid_t uid) {
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[1024];
  if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) == 0 &&
      found != nullptr) {
    return found->pw_name;
  }
  return absl::StrCat(uid);
}

std::string GroupName(gid_t gid) {
  struct group entry;
  struct group* found = nullptr;
  char buffer[1024];
  if (getgrgid_r(gid, &entry, buffer, sizeof(buffer), &found) == 0 &&
      found != nullptr) {
    return found->gr_name;
  }
  return absl::StrCat(gid);
}

// The role of one object on the way: what it may be.
enum class Role {
  kPassedThrough,  // a directory the path only goes through: sticky is safe
  kHolder,  // the plugin directory, or the directory holding the named file
  kEnd,     // the plugin file or directory the path names
};

// One object found on the way, with its lstat().
struct Step {
  std::string path;
  struct stat info;
};

std::string Join(const std::string& directory, const std::string& name) {
  return directory == "/" ? "/" + name : absl::StrCat(directory, "/", name);
}

class PathChecker {
 public:
  PathChecker(const std::string& path, PluginPathKind kind,
              absl::string_view what, uid_t server_uid)
      : path_(path), kind_(kind), what_(what), server_uid_(server_uid) {}

  absl::Status Check() {
    if (path_.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(what_, " path is empty"));
    }
    std::string absolute = path_;
    if (path_[0] != '/') {
      std::vector<char> cwd(4096);
      if (getcwd(cwd.data(), cwd.size()) == nullptr) {
        return absl::FailedPreconditionError(
            absl::StrCat(what_, " ", path_, ": cannot read the working ",
                         "directory: ", std::strerror(errno)));
      }
      absolute = absl::StrCat(cwd.data(), "/", path_);
    }
    absolute_ = absolute;
    std::deque<Component> pending;
    std::vector<std::string> names =
        absl::StrSplit(absolute, '/', absl::SkipEmpty());
    for (size_t i = 0; i < names.size(); ++i) {
      pending.push_back({names[i], i + 1 == names.size()});
    }

    std::vector<Step> walked;  // from / to the current directory
    walked.push_back({"/", {}});
    if (absl::Status s = Look(walked.back()); !s.ok()) return s;
    int symlinks = 0;
    while (!pending.empty()) {
      const Component component = pending.front();
      pending.pop_front();
      if (component.name == ".") continue;
      if (component.name == "..") {
        if (walked.size() > 1) walked.pop_back();
        continue;
      }
      // The current directory holds `component`: it must be a directory
      // nobody else can change, or (passed through) a sticky one.
      const Step& holder = walked.back();
      if (!S_ISDIR(holder.info.st_mode)) {
        return Refuse(absl::FailedPreconditionError,
                      absl::StrCat(Subject(holder), " is not a directory"));
      }
      const bool names_the_end =
          kind_ == PluginPathKind::kFile && component.last_of_given;
      if (absl::Status s = CheckWritable(
              holder, names_the_end ? Role::kHolder : Role::kPassedThrough);
          !s.ok()) {
        return s;
      }
      Step next{Join(holder.path, component.name), {}};
      if (absl::Status s = Look(next); !s.ok()) return s;
      if (S_ISLNK(next.info.st_mode)) {
        if (++symlinks > kMaxSymlinks) {
          return Refuse(
              absl::FailedPreconditionError,
              absl::StrCat("more than ", kMaxSymlinks, " symlinks on the way"));
        }
        std::vector<char> target(PATH_MAX + 1);
        const ssize_t length =
            readlink(next.path.c_str(), target.data(), target.size() - 1);
        if (length < 0) {
          return Refuse(absl::FailedPreconditionError,
                        absl::StrCat("cannot read symlink ", next.path, ": ",
                                     std::strerror(errno)));
        }
        const absl::string_view link(target.data(), length);
        if (absl::StartsWith(link, "/")) walked.resize(1);
        std::vector<std::string> parts =
            absl::StrSplit(link, '/', absl::SkipEmpty());
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
          pending.push_front({*it, false});
        }
        continue;
      }
      walked.push_back(std::move(next));
    }

    const Step& end = walked.back();
    if (kind_ == PluginPathKind::kDirectory && !S_ISDIR(end.info.st_mode)) {
      return Refuse(absl::FailedPreconditionError,
                    absl::StrCat(Subject(end), " is not a directory"));
    }
    if (kind_ == PluginPathKind::kFile && !S_ISREG(end.info.st_mode)) {
      return Refuse(absl::FailedPreconditionError,
                    absl::StrCat(Subject(end), " is not a regular file"));
    }
    return CheckWritable(end, Role::kEnd);
  }

 private:
  struct Component {
    std::string name;
    bool last_of_given;  // the last name of the path as given
  };

  // lstat()s `step` and checks its owner.
  absl::Status Look(Step& step) {
    if (lstat(step.path.c_str(), &step.info) != 0) {
      return Refuse(
          absl::FailedPreconditionError,
          absl::StrCat("cannot stat ", step.path, ": ", std::strerror(errno)));
    }
    const uid_t owner = step.info.st_uid;
    if (owner == 0 || owner == server_uid_) return absl::OkStatus();
    const std::string server = UserName(server_uid_);
    const std::string fix_user = server_uid_ == 0 ? "root" : server;
    return Refuse(
        absl::PermissionDeniedError,
        absl::StrCat(Subject(step), " is owned by ", UserName(owner), " (uid ",
                     owner, "), not by root or the user kpi-server runs as (",
                     server,
                     "): its owner can change it and so run code in "
                     "kpi-server; chown ",
                     S_ISLNK(step.info.st_mode) ? "-h " : "", fix_user, " ",
                     step.path, ", or pass --allow-writable-plugins"));
  }

  // Refuses `step` if its group or other users may write it, unless the
  // role allows a sticky directory.
  absl::Status CheckWritable(const Step& step, Role role) {
    const mode_t mode = step.info.st_mode;
    if (S_ISLNK(mode) || (mode & (S_IWGRP | S_IWOTH)) == 0) {
      return absl::OkStatus();
    }
    if (role == Role::kPassedThrough && S_ISDIR(mode) && (mode & S_ISVTX)) {
      return absl::OkStatus();
    }
    const std::string who =
        (mode & S_IWOTH)
            ? "every user"
            : absl::StrCat("its group ", GroupName(step.info.st_gid));
    return Refuse(
        absl::PermissionDeniedError,
        absl::StrFormat(
            "%s is writable by %s (mode %04o, owner %s:%s): whoever can write "
            "it can %s and run code in kpi-server; chmod go-w %s, or pass "
            "--allow-writable-plugins",
            Subject(step), who, static_cast<unsigned>(mode & 07777),
            UserName(step.info.st_uid), GroupName(step.info.st_gid),
            S_ISDIR(mode) ? "replace what is in it" : "change it", step.path));
  }

  // "plugin file /x/p.so" for the named path itself, else "directory /x"
  // (messages start with the named path: see Refuse()).
  std::string Subject(const Step& step) const {
    if (step.path == absolute_ || step.path == path_) {
      return absl::StrCat(what_, " ", path_);
    }
    const mode_t mode = step.info.st_mode;
    return absl::StrCat(S_ISDIR(mode)   ? "directory "
                        : S_ISLNK(mode) ? "symlink "
                                        : "file ",
                        step.path);
  }

  // Every message names the path that was asked about first.
  absl::Status Refuse(absl::Status (*make)(absl::string_view),
                      absl::string_view reason) const {
    const std::string named = absl::StrCat(what_, " ", path_);
    if (absl::StartsWith(reason, absl::StrCat(named, " "))) return make(reason);
    return make(absl::StrCat(named, ": ", reason));
  }

  const std::string& path_;
  std::string absolute_;
  const PluginPathKind kind_;
  const absl::string_view what_;
  const uid_t server_uid_;
};

}  // namespace

absl::Status CheckPluginPath(const std::string& path, PluginPathKind kind,
                             absl::string_view what, uid_t server_uid) {
  return PathChecker(path, kind, what, server_uid).Check();
}

absl::Status CheckPluginPath(const std::string& path, PluginPathKind kind) {
  return CheckPluginPath(
      path, kind,
      kind == PluginPathKind::kFile ? "plugin file" : "plugin directory",
      geteuid());
}

}  // namespace kpi
