#include "credentials.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "cli_status.h"
#include "gtest/gtest.h"

namespace kpi::cli {
namespace {

// A file holding `contents`, removed at the end of the test.
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& contents) {
    char name[] = "/tmp/kpi-cli-credentials-XXXXXX";
    const int fd = mkstemp(name);
    path_ = name;
    close(fd);
    std::ofstream(path_) << contents;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

constexpr char kPem[] =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

TEST(ClientOptionsForTest, NothingGivenIsPlaintextWithoutToken) {
  absl::StatusOr<ClientOptions> credentials = ClientOptionsFor(Options());
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->token, "");
  EXPECT_FALSE(credentials->tls);
}

TEST(ClientOptionsForTest, TokenFileIsStrippedOfItsNewline) {
  ScratchFile file("0123456789abcdef0123\n");
  Options options;
  options.token_file = file.path();
  absl::StatusOr<ClientOptions> credentials = ClientOptionsFor(options);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->token, "0123456789abcdef0123");
}

TEST(ClientOptionsForTest, TokenFromTheEnvironment) {
  setenv("KPI_CREDENTIALS_TEST_TOKEN", "  tok-from-env-0123456789 ", 1);
  Options options;
  options.token_env = "KPI_CREDENTIALS_TEST_TOKEN";
  absl::StatusOr<ClientOptions> credentials = ClientOptionsFor(options);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_EQ(credentials->token, "tok-from-env-0123456789");
  unsetenv("KPI_CREDENTIALS_TEST_TOKEN");
}

TEST(ClientOptionsForTest, UnsetVariableIsAUsageError) {
  Options options;
  options.token_env = "KPI_CREDENTIALS_TEST_UNSET";
  absl::StatusOr<ClientOptions> credentials = ClientOptionsFor(options);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(ExitCodeFor(credentials.status()), ExitCode::kUsage);
  EXPECT_EQ(credentials.status().message(),
            "--token-env: the environment variable KPI_CREDENTIALS_TEST_UNSET "
            "is not set");
}

TEST(ClientOptionsForTest, MissingTokenFileSaysTheFlagTakesAFile) {
  Options options;
  options.token_file = "/nonexistent/kpi-token";
  absl::StatusOr<ClientOptions> credentials = ClientOptionsFor(options);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(ExitCodeFor(credentials.status()), ExitCode::kUsage);
  EXPECT_EQ(credentials.status().message(),
            "--token: cannot read /nonexistent/kpi-token: No such file or "
            "directory (--token takes a FILE holding the token, not the "
            "token: the command line is visible to every user)");
}

TEST(ClientOptionsForTest, EmptyOrSeveralWordTokensAreRefusedUnquoted) {
  ScratchFile empty("\n\n");
  ScratchFile two_words("secret-part-one secret-part-two\n");
  Options options;
  options.token_file = empty.path();
  EXPECT_EQ(ClientOptionsFor(options).status().message(),
            "--token " + empty.path() + " holds no token");
  options.token_file = two_words.path();
  const absl::Status status = ClientOptionsFor(options).status();
  EXPECT_EQ(ExitCodeFor(status), ExitCode::kUsage);
  EXPECT_EQ(status.message().find("secret-part"), absl::string_view::npos)
      << status;
}

TEST(ClientOptionsForTest, TlsFilesAreRead) {
  ScratchFile ca(kPem);
  Options options;
  options.tls = true;
  options.tls_ca = ca.path();
  absl::StatusOr<ClientOptions> credentials = ClientOptionsFor(options);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  EXPECT_TRUE(credentials->tls);
  EXPECT_EQ(credentials->ca_pem, kPem);
  EXPECT_EQ(credentials->cert_pem, "");
}

TEST(ClientOptionsForTest, TlsFileThatIsNotPemIsAUsageError) {
  ScratchFile ca("not a certificate");
  Options options;
  options.tls = true;
  options.tls_ca = ca.path();
  const absl::Status status = ClientOptionsFor(options).status();
  EXPECT_EQ(ExitCodeFor(status), ExitCode::kUsage);
  EXPECT_EQ(status.message(),
            "--tls-ca: " + ca.path() + " is not PEM (no -----BEGIN line)");
}

}  // namespace
}  // namespace kpi::cli
