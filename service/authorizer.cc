#include "authorizer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "quoted.h"

namespace kpi {
namespace {

constexpr absl::string_view kTokensFile = "the server's tokens file";

// "metric:NAME" when NAME is short enough to repeat, else "metric:<NAME>":
// a caller's name is quoted once (Quoted), not twice.
std::string MetricScope(absl::string_view metric) {
  if (metric.size() <= kMaxQuotedBytes) return absl::StrCat("metric:", metric);
  return "metric:<that name>";
}

absl::Status Denied(const Principal& principal, absl::string_view what,
                    absl::string_view scopes) {
  return absl::PermissionDeniedError(
      absl::StrCat("token '", principal.name, "' may not ", what,
                   ": it has none of the scopes ", scopes, " in ", kTokensFile,
                   " (kpi-server --tokens-file)"));
}

// Methods that describe what the server serves, not data: open to every
// valid token.
bool OpenToEveryToken(absl::string_view method) {
  return method == "ListMetrics" || method == "GetMetricProtos";
}

}  // namespace

absl::Status Authorize(const Principal& principal, absl::string_view method,
                       absl::string_view metric) {
  if (OpenToEveryToken(method)) return AuthorizeMethod(principal, method);
  if (principal.all_metrics || principal.methods.contains(method) ||
      principal.metrics.contains(metric)) {
    return absl::OkStatus();
  }
  return Denied(principal,
                absl::StrCat("call ", method, " for metric ", Quoted(metric)),
                absl::StrCat(MetricScope(metric), ", method:", method, ", *"));
}

absl::Status AuthorizeMethod(const Principal& principal,
                             absl::string_view method) {
  if (OpenToEveryToken(method) || principal.all_metrics ||
      principal.methods.contains(method) || !principal.metrics.empty()) {
    return absl::OkStatus();
  }
  return Denied(principal, absl::StrCat("call ", method),
                absl::StrCat("method:", method, ", metric:NAME, *"));
}

absl::Status AuthorizeAdmin(const Principal& principal,
                            absl::string_view method) {
  if (principal.admin) return absl::OkStatus();
  return Denied(principal, absl::StrCat("call AdminService/", method), "admin");
}

TokenDigest DigestToken(absl::string_view token) {
  TokenDigest digest{};
  unsigned int size = 0;
  // Cannot fail for SHA-256 short of memory exhaustion; a zero digest then
  // matches no token (the table's digests are of non-empty tokens).
  EVP_Digest(token.data(), token.size(), digest.data(), &size, EVP_sha256(),
             nullptr);
  return digest;
}

Authorizer::Authorizer(std::vector<Token> tokens)
    : tokens_(std::move(tokens)) {}

absl::StatusOr<const Principal*> Authorizer::Authenticate(
    const std::vector<absl::string_view>& authorization) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "this server requires a bearer token: send the metadata "
        "'authorization: Bearer TOKEN' (kpi --token FILE or --token-env VAR)");
  }
  if (authorization.size() > 1) {
    return absl::UnauthenticatedError(
        absl::StrCat("the call carries ", authorization.size(),
                     " authorization metadata values; send one, "
                     "'Bearer TOKEN'"));
  }
  // RFC 6750: "Bearer" (case-insensitive), then the token. The value is
  // never quoted back: it may be a token.
  absl::string_view value = authorization.front();
  constexpr absl::string_view kScheme = "bearer ";
  if (!absl::StartsWithIgnoreCase(value, kScheme)) {
    return absl::UnauthenticatedError(
        "the authorization metadata is not 'Bearer TOKEN'");
  }
  value.remove_prefix(kScheme.size());
  const absl::string_view token = absl::StripAsciiWhitespace(value);
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "the authorization metadata has no token after 'Bearer'");
  }
  const TokenDigest digest = DigestToken(token);
  const Principal* found = nullptr;
  for (const Token& entry : tokens_) {
    // Every entry is compared, whatever matched before.
    if (CRYPTO_memcmp(digest.data(), entry.digest.data(), digest.size()) == 0) {
      found = &entry.principal;
    }
  }
  if (found == nullptr) {
    return absl::UnauthenticatedError(
        "the bearer token is not valid on this server (it is not in the "
        "server's tokens file)");
  }
  return found;
}

absl::StatusOr<const Principal*> Authorizer::Authenticate(
    const grpc::ServerContextBase& context) const {
  std::vector<absl::string_view> values;
  const auto range = context.client_metadata().equal_range("authorization");
  for (auto it = range.first; it != range.second; ++it) {
    values.emplace_back(it->second.data(), it->second.size());
  }
  return Authenticate(values);
}

absl::Status AuthorizeCallStart(const Authorizer* authorizer,
                                const grpc::ServerContextBase& context,
                                absl::string_view method,
                                absl::string_view metric,
                                const Principal** principal) {
  *principal = nullptr;
  if (authorizer == nullptr) return absl::OkStatus();
  absl::StatusOr<const Principal*> caller = authorizer->Authenticate(context);
  if (!caller.ok()) return caller.status();
  absl::Status allowed = metric.empty() ? AuthorizeMethod(**caller, method)
                                        : Authorize(**caller, method, metric);
  if (allowed.ok()) *principal = *caller;
  return allowed;
}

absl::Status AuthorizeMetric(const Principal* principal,
                             absl::string_view method,
                             absl::string_view metric) {
  if (principal == nullptr) return absl::OkStatus();
  return Authorize(*principal, method, metric);
}

absl::Status AuthorizeAdminCall(const Authorizer* authorizer,
                                const grpc::ServerContextBase& context,
                                absl::string_view method) {
  if (authorizer == nullptr) return absl::OkStatus();
  absl::StatusOr<const Principal*> caller = authorizer->Authenticate(context);
  if (!caller.ok()) return caller.status();
  return AuthorizeAdmin(**caller, method);
}

}  // namespace kpi
