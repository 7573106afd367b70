#include "tokens_file.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kpi/v1/metric_service.pb.h"
#include "secret_file.h"

namespace kpi {
namespace {

constexpr size_t kMinTokenLength = 16;

bool IsNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' ||
         c == '_' || c == '@' || c == '-';
}

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" )
// *"=".
bool IsToken(absl::string_view token) {
  size_t i = 0;
  while (
      i < token.size() &&
      (absl::ascii_isalnum(static_cast<unsigned char>(token[i])) ||
       absl::string_view("-._~+/").find(token[i]) != absl::string_view::npos)) {
    ++i;
  }
  if (i == 0) return false;
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size();
}

bool IsMetricName(absl::string_view name) {
  if (name.empty() || !absl::ascii_islower(static_cast<unsigned char>(name[0])))
    return false;
  for (char c : name) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

bool IsMetricServiceMethod(absl::string_view name) {
  // Through a message of the same file, which links the file's descriptor
  // in (the service's own name is a constant that would not).
  const google::protobuf::ServiceDescriptor* service =
      v1::ComputeRequest::descriptor()->file()->FindServiceByName(
          "MetricService");
  return service != nullptr &&
         service->FindMethodByName(std::string(name)) != nullptr;
}

// Adds one scope to `principal`; an error says what is wrong with it.
absl::Status AddScope(absl::string_view scope, Principal& principal) {
  if (scope == "*") {
    principal.all_metrics = true;
  } else if (scope == "admin") {
    principal.admin = true;
  } else if (absl::ConsumePrefix(&scope, "method:")) {
    if (!IsMetricServiceMethod(scope)) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope method:", scope,
                       ": not a method of kpi.v1.MetricService (e.g. "
                       "method:ComputeNps, method:Compute)"));
    }
    principal.methods.emplace(scope);
  } else if (absl::ConsumePrefix(&scope, "metric:")) {
    if (!IsMetricName(scope)) {
      return absl::InvalidArgumentError(
          absl::StrCat("scope metric:", scope,
                       ": a metric name is [a-z][a-z0-9_]* (e.g. metric:nps)"));
    }
    principal.metrics.emplace(scope);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown scope '", scope,
                     "': a scope is *, admin, method:NAME or metric:NAME"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Authorizer::Token>> ParseTokens(
    absl::string_view text, absl::string_view source) {
  std::vector<Authorizer::Token> tokens;
  absl::flat_hash_set<std::string> names;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tokens file ", source, " line ", line_number, ": ", what));
    };
    const std::vector<absl::string_view> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 3) {
      return error(absl::StrCat(
          "expected NAME TOKEN SCOPE[,SCOPE...] (three fields), got ",
          fields.size(), " fields"));
    }
    const absl::string_view name = fields[0], token = fields[1];
    if (!std::all_of(name.begin(), name.end(), IsNameChar)) {
      return error(absl::StrCat("the name '", name,
                                "' has characters other than letters, "
                                "digits and . _ @ -"));
    }
    if (!names.insert(std::string(name)).second) {
      return error(absl::StrCat("the name '", name, "' is used twice"));
    }
    // The token is never quoted: this message goes to the log.
    if (!IsToken(token)) {
      return error(absl::StrCat(
          "the token of '", name,
          "' has characters a bearer token cannot have (letters, digits and "
          "- . _ ~ + / then = padding)"));
    }
    if (token.size() < kMinTokenLength) {
      return error(absl::StrCat("the token of '", name, "' is ", token.size(),
                                " characters; use at least ", kMinTokenLength,
                                " (e.g. openssl rand -hex 32)"));
    }
    Authorizer::Token entry;
    entry.digest = DigestToken(token);
    entry.principal.name = std::string(name);
    for (absl::string_view scope : absl::StrSplit(fields[2], ',')) {
      if (scope.empty()) {
        return error(
            absl::StrCat("the scopes of '", name, "' have an empty entry"));
      }
      if (absl::Status added = AddScope(scope, entry.principal); !added.ok()) {
        return error(absl::StrCat("token '", name, "': ", added.message()));
      }
    }
    for (const Authorizer::Token& other : tokens) {
      if (other.digest == entry.digest) {
        return error(absl::StrCat("the token of '", name, "' is the token of '",
                                  other.principal.name,
                                  "' too; each token must be unique"));
      }
    }
    tokens.push_back(std::move(entry));
  }
  if (tokens.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tokens file ", source,
        " holds no token: every call but health would be refused"));
  }
  return tokens;
}

absl::StatusOr<std::unique_ptr<Authorizer>> LoadTokensFile(
    const std::string& path) {
  absl::StatusOr<std::string> text = ReadSecretFile("tokens file", path);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<Authorizer::Token>> tokens =
      ParseTokens(*text, path);
  if (!tokens.ok()) return tokens.status();
  return std::make_unique<Authorizer>(*std::move(tokens));
}

}  // namespace kpi
