// Plugin file policy: whether a plugin file, or a plugin directory, may be
// trusted -- whether nobody but root and the server's own user can change
// what code the server would load from it. It follows sshd's StrictModes.
//
// A path is trusted when every file system object the kernel would look at
// to open it -- each directory from / down, each symlink followed (and the
// directories along its target), and the file or directory it ends at --
//   - is owned by root or by the server's effective user, and
//   - is writable by neither its group nor other users,
// with one exception: a directory with the sticky bit (like /tmp, mode
// 1777) may be writable by others when it is only passed through -- that
// is, when it is neither the plugin directory nor the directory that holds
// the plugin file as named. In a sticky directory nobody may rename or
// remove an entry they do not own, and the entry the path goes through must
// itself be owned by root or the server's user, so nobody else can swap it.
// This lets private directories under /tmp (mkdtemp, mode 0700) hold
// plugins. A plugin directory never
// gets the exception: anyone could add files to a sticky directory, and
// every *.so in it is loaded. sshd itself refuses any group- or
// world-writable component; group write is refused here too (a group is
// other users).
//
// Symlinks count twice: the directory holding a symlink must be safe (else
// the link can be replaced), and so must everything along what it points to.
// The mode of a symlink itself means nothing on Linux; its owner is checked.
//
// Refusals are PERMISSION_DENIED (or FAILED_PRECONDITION when a path cannot
// be read) and name the plugin path, the offending object, its mode and
// owner, and the fix, e.g.
//   "plugin directory /srv/kpi/plugins: directory /srv/kpi is writable by
//   every user (mode 0777, owner root:root): whoever can write it can
//   replace what is in it and run code in kpi-server; chmod go-w /srv/kpi,
//   or pass --allow-writable-plugins"
// The check reads the file system once; it guards against other users, not
// against root or the server's own user, who may change anything anyway.
//
// Thread-safe: functions only.
#ifndef KPI_HOST_PLUGIN_FILE_POLICY_H_
#define KPI_HOST_PLUGIN_FILE_POLICY_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace kpi {

enum class PluginPathKind {
  kDirectory,  // a plugin directory: every *.so in it is loaded
  kFile,       // a plugin file, or a file that decides which plugins load
};

// OK when `path` (absolute, or relative to the working directory) may be
// trusted as above by a server running as `server_uid`. `what` names the
// path in messages ("plugin file", "plugin directory", ...).
absl::Status CheckPluginPath(const std::string& path, PluginPathKind kind,
                             absl::string_view what, uid_t server_uid);

// The same for this process (its effective uid), naming `path` "plugin
// file" or "plugin directory".
absl::Status CheckPluginPath(const std::string& path, PluginPathKind kind);

}  // namespace kpi

#endif  // KPI_HOST_PLUGIN_FILE_POLICY_H_
