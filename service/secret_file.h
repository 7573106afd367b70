// Reading a file that holds secrets -- bearer tokens, a TLS private key --
// and refusing one that other users could read or change.
//
// The rule is PostgreSQL's for its server key: the file must be a regular
// file owned by the server's (effective) user or by root; owned by the
// server's user it may have no group or other permissions (chmod 600);
// owned by root it may also be readable by its group (chmod 640, e.g.
// root:kpi), so a server running as an unprivileged user can be given it.
// Nothing else may read it (its secrets leak) or write it (whoever can
// write a tokens file can grant themselves any scope).
//
// Thread-safe: functions only.
#ifndef KPI_SERVICE_SECRET_FILE_H_
#define KPI_SERVICE_SECRET_FILE_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kpi {

// Whether a file of `mode` and `owner` may hold secrets for a server
// running as `server_uid` (the rule above). PERMISSION_DENIED names `what`,
// `path`, the mode and the owner, and the fix.
absl::Status CheckSecretFileMode(absl::string_view what, absl::string_view path,
                                 mode_t mode, uid_t owner, uid_t server_uid);

// The contents of the secret file at `path`, checked as above (on the
// descriptor it is read through, so the file cannot change between check
// and read). `what` names it in messages ("tokens file", "TLS key").
// NOT_FOUND / FAILED_PRECONDITION when it cannot be opened or read.
absl::StatusOr<std::string> ReadSecretFile(absl::string_view what,
                                           const std::string& path);

// The contents of a file that holds nothing secret (a certificate); errors
// name `what` and `path`.
absl::StatusOr<std::string> ReadPublicFile(absl::string_view what,
                                           const std::string& path);

}  // namespace kpi

#endif  // KPI_SERVICE_SECRET_FILE_H_
