// The tokens file (kpi-server --tokens-file): the bearer tokens the server
// accepts and what each may call (authorizer.h).
//
// One token per line, three fields separated by spaces or tabs:
//
//   # NAME      TOKEN                              SCOPES
//   dashboard   5f0c3b9e2a7d41c88e6f1a2b3c4d5e6f   metric:nps,metric:csat
//   billing     9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a   method:ComputeMrr,metric:mrr
//   ops         0a1b2c3d4e5f60718293a4b5c6d7e8f9   *,admin
//
// - NAME names the token in refusals and logs (the token itself never
//   appears in either): letters, digits and . _ @ -, unique in the file.
// - TOKEN is what clients send (`authorization: Bearer TOKEN`): at least 16
//   characters of RFC 6750's token alphabet (letters, digits and - . _ ~ + /,
//   then optional = padding), unique in the file. `openssl rand -hex 32`
//   makes a good one.
// - SCOPES is a comma-separated list of `*`, `admin`, `method:NAME` (a
//   kpi.v1.MetricService method, checked against the API) and
//   `metric:NAME` (a metric name, [a-z][a-z0-9_]*; not checked against the
//   plugins, which come and go). See authorizer.h for what each allows.
// - Blank lines and lines starting with # are ignored.
//
// The file must be readable by the server's user only (secret_file.h), and
// must hold at least one token. It is read once, at start.
//
// Thread-safe: functions only.
#ifndef KPI_SERVICE_TOKENS_FILE_H_
#define KPI_SERVICE_TOKENS_FILE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "authorizer.h"

namespace kpi {

// The tokens in `text`, the contents of the tokens file `source` (named in
// messages). INVALID_ARGUMENT names the line and what is wrong with it,
// never quoting a token.
absl::StatusOr<std::vector<Authorizer::Token>> ParseTokens(
    absl::string_view text, absl::string_view source);

// Reads the tokens file at `path` (refusing one others may read or change,
// see secret_file.h) and builds the Authorizer of its tokens.
absl::StatusOr<std::unique_ptr<Authorizer>> LoadTokensFile(
    const std::string& path);

}  // namespace kpi

#endif  // KPI_SERVICE_TOKENS_FILE_H_
