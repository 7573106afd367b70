#include "credentials.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "cli_status.h"

namespace kpi::cli {
namespace {

absl::StatusOr<std::string> ReadFile(absl::string_view flag,
                                     const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::string message =
        absl::StrCat(flag, ": cannot read ", path, ": ", std::strerror(errno));
    if (flag == "--token") {
      absl::StrAppend(&message,
                      " (--token takes a FILE holding the token, not the "
                      "token: the command line is visible to every user)");
    }
    return UsageError(message);
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// `text` stripped, or a UsageError naming `source`.
absl::StatusOr<std::string> Token(absl::string_view text,
                                  absl::string_view source) {
  const absl::string_view token = absl::StripAsciiWhitespace(text);
  if (token.empty()) {
    return UsageError(absl::StrCat(source, " holds no token"));
  }
  for (char c : token) {
    if (c <= ' ' || c > '~') {
      return UsageError(
          absl::StrCat(source,
                       " holds more than one word, or characters a token "
                       "cannot have (spaces, control characters)"));
    }
  }
  return std::string(token);
}

}  // namespace

absl::StatusOr<ClientOptions> ClientOptionsFor(const Options& options) {
  ClientOptions credentials;
  credentials.target = options.server;
  credentials.timeout = options.timeout;
  credentials.request_id = options.request_id;
  if (!options.token_file.empty()) {
    absl::StatusOr<std::string> text = ReadFile("--token", options.token_file);
    if (!text.ok()) return text.status();
    absl::StatusOr<std::string> token =
        Token(*text, absl::StrCat("--token ", options.token_file));
    if (!token.ok()) return token.status();
    credentials.token = *std::move(token);
  } else if (!options.token_env.empty()) {
    const char* value = std::getenv(options.token_env.c_str());
    if (value == nullptr) {
      return UsageError(absl::StrCat("--token-env: the environment variable ",
                                     options.token_env, " is not set"));
    }
    absl::StatusOr<std::string> token = Token(
        value, absl::StrCat("--token-env: the variable ", options.token_env));
    if (!token.ok()) return token.status();
    credentials.token = *std::move(token);
  }
  credentials.tls = options.tls;
  const struct {
    absl::string_view flag;
    const std::string& path;
    std::string& pem;
  } files[] = {{"--tls-ca", options.tls_ca, credentials.ca_pem},
               {"--tls-cert", options.tls_cert, credentials.cert_pem},
               {"--tls-key", options.tls_key, credentials.key_pem}};
  for (const auto& file : files) {
    if (file.path.empty()) continue;
    absl::StatusOr<std::string> pem = ReadFile(file.flag, file.path);
    if (!pem.ok()) return pem.status();
    if (pem->find("-----BEGIN ") == std::string::npos) {
      return UsageError(absl::StrCat(file.flag, ": ", file.path,
                                     " is not PEM (no -----BEGIN line)"));
    }
    file.pem = *std::move(pem);
  }
  return credentials;
}

}  // namespace kpi::cli
