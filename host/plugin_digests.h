// PluginDigests: an allow list of plugin files by SHA-256
// (--plugin-sha256-file). When the server has one, a plugin file loads only
// if the SHA-256 of its bytes is listed; any other is refused naming its
// digest, before any of its code runs.
//
// The list is what sha256sum(1) prints: one "<64 hex digits>  <name>" per
// line ("*<name>" for binary mode is accepted too); blank lines and lines
// starting with '#' are ignored. Only the digest counts -- the name is for
// the reader, so a listed plugin may be renamed or moved.
//
// Thread-safe: immutable after Load().
#ifndef KPI_HOST_PLUGIN_DIGESTS_H_
#define KPI_HOST_PLUGIN_DIGESTS_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace kpi {

class PluginDigests {
 public:
  // Reads the list `file`. INVALID_ARGUMENT names the line that is not a
  // digest and a name; FAILED_PRECONDITION when the file cannot be read.
  static absl::StatusOr<PluginDigests> Load(const std::string& file);

  // The SHA-256 of the bytes of `file`, in lowercase hex.
  static absl::StatusOr<std::string> Sha256OfFile(const std::string& file);

  // OK when the SHA-256 of `file` is listed, else PERMISSION_DENIED naming
  // the digest and this list. Messages call the file `shown_as` (the
  // server hashes its private copy and names the operator's file).
  absl::Status Check(const std::string& file,
                     const std::string& shown_as) const;

  const std::string& source() const { return source_; }
  size_t size() const { return digests_.size(); }

 private:
  std::string source_;
  absl::flat_hash_set<std::string> digests_;  // lowercase hex
};

}  // namespace kpi

#endif  // KPI_HOST_PLUGIN_DIGESTS_H_
