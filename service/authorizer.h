// Who may call: bearer tokens, each with the scopes it grants, and the
// decision for one call.
//
// With --tokens-file every call to kpi.v1.MetricService and
// kpi.v1.AdminService must carry the metadata `authorization: Bearer TOKEN`
// (grpc.health.v1.Health and server reflection stay open). A call without
// one, or with a token the server does not know, is UNAUTHENTICATED; a
// known token without a scope for what the call does is PERMISSION_DENIED,
// naming the token's name (never the token) and the scopes that would allow
// it. Without --tokens-file there is no Authorizer and every call is
// allowed, as before.
//
// Scopes (see tokens_file.h for the file):
//   *              every MetricService method, for every metric
//   method:NAME    the MetricService method NAME (ComputeNps, Compute,
//                  ComputeStream, DescribeMetric, ...), for every metric
//   metric:NAME    every MetricService call about the metric NAME: its typed
//                  method, Compute and ComputeStream naming it,
//                  DescribeMetric of it
//   admin          kpi.v1.AdminService (Reload); `*` does not include it
// ListMetrics and GetMetricProtos (what is served, not data) are allowed to
// every valid token.
//
// Compute, ComputeStream and DescribeMetric name their metric in the
// request, so they are decided twice: at the call's start, before its bytes
// are read, whether the token could make such a call at all
// (AuthorizeMethod), and once the request (a stream's first chunk) is
// parsed, for its metric (Authorize). A typed method's metric is known from
// the method, so it is decided in full at the start.
//
// Thread-safe: the decisions are pure functions; an Authorizer is immutable.
#ifndef KPI_SERVICE_AUTHORIZER_H_
#define KPI_SERVICE_AUTHORIZER_H_

#include <grpcpp/server_context.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kpi {

// What one token may do.
struct Principal {
  // The token's name in the tokens file: for messages and logs, in place
  // of the token itself.
  std::string name;
  bool all_metrics = false;                  // "*"
  bool admin = false;                        // "admin"
  absl::flat_hash_set<std::string> methods;  // "method:NAME"
  absl::flat_hash_set<std::string> metrics;  // "metric:NAME"
};

// Whether `principal` may call the MetricService method `method` (its short
// name) for `metric`. PERMISSION_DENIED names what it lacks.
absl::Status Authorize(const Principal& principal, absl::string_view method,
                       absl::string_view metric);

// Whether `principal` may call `method` of MetricService for some metric:
// the check at the start of a call whose metric is not yet known (Compute,
// ComputeStream, DescribeMetric), and the whole check for ListMetrics.
absl::Status AuthorizeMethod(const Principal& principal,
                             absl::string_view method);

// Whether `principal` may call `method` of AdminService: it needs "admin".
absl::Status AuthorizeAdmin(const Principal& principal,
                            absl::string_view method);

// A SHA-256 digest. Tokens are kept and compared only as digests: the
// comparison takes the same time whatever the token, and the server's
// memory holds no token.
using TokenDigest = std::array<uint8_t, 32>;
TokenDigest DigestToken(absl::string_view token);

// The tokens a server accepts.
class Authorizer {
 public:
  struct Token {
    TokenDigest digest;
    Principal principal;
  };
  // REQUIRES: no two tokens have the same digest.
  explicit Authorizer(std::vector<Token> tokens);

  Authorizer(const Authorizer&) = delete;
  Authorizer& operator=(const Authorizer&) = delete;

  // The principal whose token `authorization` (the metadata's values, all
  // of them) carries. UNAUTHENTICATED when there is none, more than one, a
  // value that is not "Bearer TOKEN", or a token not in the table. Compares
  // the digest of the token with every entry's, in constant time, and
  // always with all of them.
  absl::StatusOr<const Principal*> Authenticate(
      const std::vector<absl::string_view>& authorization) const;
  // The same for the `authorization` metadata of a call.
  absl::StatusOr<const Principal*> Authenticate(
      const grpc::ServerContextBase& context) const;

  size_t size() const { return tokens_.size(); }

 private:
  std::vector<Token> tokens_;
};

// For the services, where a null `authorizer` means no tokens are
// configured and every call is allowed (the principal is then null):
//
// The start of a MetricService call of `method`: authenticates it and
// decides it for `metric` (the typed method's), or, when `metric` is empty,
// for the method alone (AuthorizeMethod). Sets `*principal` on success.
absl::Status AuthorizeCallStart(const Authorizer* authorizer,
                                const grpc::ServerContextBase& context,
                                absl::string_view method,
                                absl::string_view metric,
                                const Principal** principal);
// The second decision, once the request names `metric`. OK for a null
// `principal`.
absl::Status AuthorizeMetric(const Principal* principal,
                             absl::string_view method,
                             absl::string_view metric);
// An AdminService call of `method`: authenticated and needing "admin".
absl::Status AuthorizeAdminCall(const Authorizer* authorizer,
                                const grpc::ServerContextBase& context,
                                absl::string_view method);

}  // namespace kpi

#endif  // KPI_SERVICE_AUTHORIZER_H_
