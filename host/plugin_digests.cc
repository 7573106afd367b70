#include "plugin_digests.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace kpi {
namespace {

constexpr size_t kHexDigits = 64;

bool IsHexDigest(absl::string_view text) {
  if (text.size() != kHexDigits) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<PluginDigests> PluginDigests::Load(const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot read plugin digest list ", file, ": ", std::strerror(errno)));
  }
  PluginDigests digests;
  digests.source_ = file;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    // "<digest>  <name>" or "<digest> *<name>".
    const absl::string_view digest = text.substr(0, kHexDigits);
    absl::string_view rest = text.substr(digest.size());
    const bool separated =
        absl::ConsumePrefix(&rest, "  ") || absl::ConsumePrefix(&rest, " *");
    if (!IsHexDigest(digest) || !separated || rest.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "plugin digest list ", file, " line ", number,
          ": expected '<64 hex digits>  <file name>', as sha256sum prints"));
    }
    digests.digests_.insert(absl::AsciiStrToLower(digest));
  }
  if (in.bad()) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read plugin digest list ", file));
  }
  return digests;
}

absl::StatusOr<std::string> PluginDigests::Sha256OfFile(
    const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read ", file, ": ", std::strerror(errno)));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (context == nullptr ||
      EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    return absl::InternalError("cannot start a SHA-256 digest (OpenSSL)");
  }
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0 &&
        EVP_DigestUpdate(context.get(), buffer.data(), in.gcount()) != 1) {
      return absl::InternalError("SHA-256 digest failed (OpenSSL)");
    }
  }
  if (in.bad()) return absl::FailedPreconditionError("cannot read " + file);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest, &length) != 1) {
    return absl::InternalError("SHA-256 digest failed (OpenSSL)");
  }
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), static_cast<size_t>(length)));
}

absl::Status PluginDigests::Check(const std::string& file,
                                  const std::string& shown_as) const {
  absl::StatusOr<std::string> digest = Sha256OfFile(file);
  if (!digest.ok()) return digest.status();
  if (digests_.contains(*digest)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "its SHA-256 ", *digest, " is not in the plugin digest list ", source_,
      "; if this file is trusted, add it (sha256sum ", shown_as, " >> ",
      source_, ") and reload"));
}

}  // namespace kpi
