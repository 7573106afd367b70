// The tokens file (service/tokens_file.h) and the rule for files that hold
// secrets (service/secret_file.h).
#include "tokens_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret_file.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFile[] =
    R"(# NAME      TOKEN                              SCOPES
dashboard   5f0c3b9e2a7d41c88e6f1a2b3c4d5e6f   metric:nps,metric:csat

	billing	9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a	method:ComputeMrr,metric:mrr
ops         0a1b2c3d4e5f60718293a4b5c6d7e8f9   *,admin
)";

TEST(AuthTokensFileTest, ReadsNamesScopesAndDigests) {
  absl::StatusOr<std::vector<Authorizer::Token>> tokens =
      ParseTokens(kFile, "tokens");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 3u);
  const Principal& dashboard = (*tokens)[0].principal;
  EXPECT_EQ(dashboard.name, "dashboard");
  EXPECT_FALSE(dashboard.all_metrics);
  EXPECT_FALSE(dashboard.admin);
  EXPECT_TRUE(dashboard.methods.empty());
  EXPECT_EQ(dashboard.metrics,
            (absl::flat_hash_set<std::string>{"nps", "csat"}));
  EXPECT_EQ((*tokens)[0].digest,
            DigestToken("5f0c3b9e2a7d41c88e6f1a2b3c4d5e6f"));
  const Principal& billing = (*tokens)[1].principal;
  EXPECT_EQ(billing.methods, (absl::flat_hash_set<std::string>{"ComputeMrr"}));
  EXPECT_EQ(billing.metrics, (absl::flat_hash_set<std::string>{"mrr"}));
  const Principal& ops = (*tokens)[2].principal;
  EXPECT_TRUE(ops.all_metrics);
  EXPECT_TRUE(ops.admin);
}

void ExpectRefused(absl::string_view text, absl::string_view message) {
  absl::StatusOr<std::vector<Authorizer::Token>> tokens =
      ParseTokens(text, "/etc/kpi/tokens");
  ASSERT_FALSE(tokens.ok()) << text;
  EXPECT_EQ(tokens.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(tokens.status().message(), message);
}

TEST(AuthTokensFileTest, RefusalsNameTheLineAndNeverTheToken) {
  ExpectRefused("# only a comment\n\n",
                "tokens file /etc/kpi/tokens holds no token: every call but "
                "health would be refused");
  ExpectRefused("ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9\n",
                "tokens file /etc/kpi/tokens line 1: expected NAME TOKEN "
                "SCOPE[,SCOPE...] (three fields), got 2 fields");
  ExpectRefused("\nops short-secret *\n",
                "tokens file /etc/kpi/tokens line 2: the token of 'ops' is 12 "
                "characters; use at least 16 (e.g. openssl rand -hex 32)");
  ExpectRefused("ops 0a1b2c3d4e5f6071:8293a4b5c6d7e8f9 *\n",
                "tokens file /etc/kpi/tokens line 1: the token of 'ops' has "
                "characters a bearer token cannot have (letters, digits and - "
                ". _ ~ + / then = padding)");
  ExpectRefused("ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9 metric:NPS\n",
                "tokens file /etc/kpi/tokens line 1: token 'ops': scope "
                "metric:NPS: a metric name is [a-z][a-z0-9_]* (e.g. "
                "metric:nps)");
  ExpectRefused("ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9 method:ComputeNPS\n",
                "tokens file /etc/kpi/tokens line 1: token 'ops': scope "
                "method:ComputeNPS: not a method of kpi.v1.MetricService "
                "(e.g. method:ComputeNps, method:Compute)");
  ExpectRefused("ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9 reload\n",
                "tokens file /etc/kpi/tokens line 1: token 'ops': unknown "
                "scope 'reload': a scope is *, admin, method:NAME or "
                "metric:NAME");
  ExpectRefused("ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9 *,\n",
                "tokens file /etc/kpi/tokens line 1: the scopes of 'ops' "
                "have an empty entry");
  ExpectRefused(
      "ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9 *\n"
      "ops 1a1b2c3d4e5f60718293a4b5c6d7e8f9 *\n",
      "tokens file /etc/kpi/tokens line 2: the name 'ops' is used twice");
  ExpectRefused(
      "ops 0a1b2c3d4e5f60718293a4b5c6d7e8f9 *\n"
      "ci 0a1b2c3d4e5f60718293a4b5c6d7e8f9 metric:nps\n",
      "tokens file /etc/kpi/tokens line 2: the token of 'ci' is the token of "
      "'ops' too; each token must be unique");
}

TEST(AuthLoadTokensFileTest, RefusesAFileOthersCanRead) {
  testing::TempDir dir;
  const std::string path = dir.Install("tokens", kFile);  // mode 0755
  absl::StatusOr<std::unique_ptr<Authorizer>> authorizer = LoadTokensFile(path);
  ASSERT_FALSE(authorizer.ok());
  EXPECT_EQ(authorizer.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(authorizer.status().message(),
              HasSubstr("tokens file " + path +
                        " is readable by every user "
                        "(mode 0755"));
  EXPECT_THAT(authorizer.status().message(), HasSubstr("chmod 600 " + path));

  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  authorizer = LoadTokensFile(path);
  ASSERT_TRUE(authorizer.ok()) << authorizer.status();
  EXPECT_EQ((*authorizer)->size(), 3u);
  EXPECT_TRUE((*authorizer)
                  ->Authenticate({"Bearer 0a1b2c3d4e5f60718293a4b5c6d7e8f9"})
                  .ok());
}

TEST(AuthLoadTokensFileTest, MissingFileIsNamed) {
  const absl::Status status = LoadTokensFile("/nonexistent/tokens").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "tokens file /nonexistent/tokens: cannot read it: No such file or "
            "directory");
}

TEST(AuthSecretFileTest, PostgresRule) {
  constexpr uid_t kServer = 1000, kRoot = 0, kOther = 1001;
  auto check = [](mode_t mode, uid_t owner) {
    return CheckSecretFileMode("tokens file", "/t", S_IFREG | mode, owner,
                               kServer);
  };
  EXPECT_TRUE(check(0600, kServer).ok());
  EXPECT_TRUE(check(0400, kServer).ok());
  EXPECT_TRUE(check(0600, kRoot).ok());
  EXPECT_TRUE(check(0640, kRoot).ok());  // root:kpi, for an unprivileged server
  EXPECT_EQ(check(0640, kServer).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(check(0660, kRoot).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(check(0604, kRoot).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(check(0602, kServer).code(), absl::StatusCode::kPermissionDenied);
  const absl::Status other = check(0600, kOther);
  EXPECT_EQ(other.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(other.message(), HasSubstr("is owned by uid 1001"));
  EXPECT_EQ(
      CheckSecretFileMode("tokens file", "/t", S_IFDIR | 0700, kServer, kServer)
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace kpi
