// Who may call, against real kpi-server processes on loopback (issue 10):
// TLS and mutual TLS with certificates openssl makes at test time, bearer
// tokens and their scopes, health open to all, Reload for admin tokens only
// or on a listener of its own, the kpi CLI with --token and --tls-ca, and
// the warning for listening beyond loopback in the clear.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "kpi/v1/admin_service.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerProcess;

constexpr char kOpsToken[] = "ops-token-5f0c3b9e2a7d41c88e6f";
constexpr char kAllToken[] = "all-token-9d8e7f6a5b4c3d2e1f0a";
constexpr char kNpsToken[] = "nps-token-0a1b2c3d4e5f60718293";

// A private directory of certificates and keys made with openssl: a CA; a
// server certificate for 127.0.0.1 and localhost; a client certificate; and
// a client certificate from another CA, which the server does not trust.
// Also the tokens file and a file holding one token for the CLI.
class TestFiles {
 public:
  static std::unique_ptr<TestFiles> Make() {
    auto files = std::unique_ptr<TestFiles>(new TestFiles);
    if (!files->MakeCa("ca") || !files->MakeCa("rogue-ca") ||
        !files->MakeCert("server", "ca", "localhost",
                         "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                         "extendedKeyUsage=serverAuth\n") ||
        !files->MakeCert("client", "ca", "kpi-test-client",
                         "extendedKeyUsage=clientAuth\n") ||
        !files->MakeCert("rogue-client", "rogue-ca", "kpi-test-rogue",
                         "extendedKeyUsage=clientAuth\n")) {
      return nullptr;
    }
    files->WriteSecret("tokens",
                       absl::StrCat("# NAME TOKEN SCOPES\n", "ops ", kOpsToken,
                                    " *,admin\n", "all  ", kAllToken, " *\n",
                                    "nps  ", kNpsToken, " metric:nps\n"));
    files->WriteSecret("nps.token", absl::StrCat(kNpsToken, "\n"));
    return files;
  }
  ~TestFiles() { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string Pem(const std::string& name) const {
    return ReadFile(Path(name));
  }
  const std::string& error() const { return error_; }
  void WriteSecret(const std::string& name, const std::string& text,
                   mode_t mode = 0600) const {
    std::ofstream(Path(name)) << text;
    chmod(Path(name).c_str(), mode);
  }

 private:
  TestFiles() {
    char dir[] = "/tmp/kpi-auth-test-XXXXXX";
    dir_ = mkdtemp(dir);
  }

  bool Run(std::vector<std::string> argv) {
    const CommandResult result = RunCommand(argv);
    if (result.exit_code != 0) {
      absl::StrAppend(&error_, argv[0], " ", argv[1], " failed (",
                      result.exit_code, "): ", result.err);
    }
    return result.exit_code == 0;
  }

  bool MakeCa(const std::string& name) {
    return Run({"openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                Path(name + ".key"),
                "-out",
                Path(name + ".pem"),
                "-days",
                "2",
                "-subj",
                "/CN=kpi-test-" + name,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign"});
  }

  bool MakeCert(const std::string& name, const std::string& ca,
                const std::string& common_name, const std::string& extensions) {
    std::ofstream(Path(name + ".ext")) << extensions;
    return Run({"openssl", "req", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                Path(name + ".key"), "-out", Path(name + ".csr"), "-subj",
                "/CN=" + common_name}) &&
           Run({"openssl", "x509", "-req", "-in", Path(name + ".csr"), "-CA",
                Path(ca + ".pem"), "-CAkey", Path(ca + ".key"),
                "-CAcreateserial", "-out", Path(name + ".pem"), "-days", "2",
                "-extfile", Path(name + ".ext")}) &&
           chmod(Path(name + ".key").c_str(), 0600) == 0;
  }

  std::string dir_;
  std::string error_;
};

std::unique_ptr<ServerProcess> StartServer(std::vector<std::string> args) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, args);
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(10));
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

std::shared_ptr<grpc::Channel> TlsChannel(const std::string& address,
                                          const std::string& ca_pem,
                                          const std::string& cert_pem = "",
                                          const std::string& key_pem = "") {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ca_pem;
  options.pem_cert_chain = cert_pem;
  options.pem_private_key = key_pem;
  return grpc::CreateChannel(address, grpc::SslCredentials(options));
}

std::shared_ptr<grpc::Channel> PlainChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

// One small typed call; its status.
grpc::Status CallNps(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& token = "") {
  v1::ComputeNpsRequest request;
  for (double score : {10, 9, 3}) request.add_scores(score);
  v1::ComputeNpsResponse response;
  grpc::Status status = v1::MetricService::NewStub(channel)->ComputeNps(
      Context(token).get(), request, &response);
  if (status.ok()) EXPECT_NEAR(response.result().value(), 33.333, 0.001);
  return status;
}

// ---- TLS and mutual TLS --------------------------------------------------

class AuthTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = TestFiles::Make().release();
    ASSERT_NE(files_, nullptr);
    ASSERT_EQ(files_->error(), "");
    tls_ = StartServer({"--tls-cert", files_->Path("server.pem"), "--tls-key",
                        files_->Path("server.key")})
               .release();
    mtls_ = StartServer({"--tls-cert", files_->Path("server.pem"), "--tls-key",
                         files_->Path("server.key"), "--tls-client-ca",
                         files_->Path("ca.pem")})
                .release();
  }
  static void TearDownTestSuite() {
    delete tls_;
    delete mtls_;
    delete files_;
  }
  void SetUp() override {
    ASSERT_NE(files_, nullptr);
    ASSERT_NE(tls_, nullptr);
    ASSERT_NE(mtls_, nullptr);
  }

  static TestFiles* files_;
  static ServerProcess* tls_;
  static ServerProcess* mtls_;
};
TestFiles* AuthTlsTest::files_ = nullptr;
ServerProcess* AuthTlsTest::tls_ = nullptr;
ServerProcess* AuthTlsTest::mtls_ = nullptr;

TEST_F(AuthTlsTest, CallOverTlsWorksWithTheCa) {
  const grpc::Status status =
      CallNps(TlsChannel(tls_->address(), files_->Pem("ca.pem")));
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(tls_->log(), HasSubstr("with TLS with certificate"));
}

TEST_F(AuthTlsTest, PlaintextClientFails) {
  const grpc::Status status = CallNps(PlainChannel(tls_->address()));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

TEST_F(AuthTlsTest, ClientThatDoesNotTrustTheCaFails) {
  const grpc::Status status =
      CallNps(TlsChannel(tls_->address(), files_->Pem("rogue-ca.pem")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

TEST_F(AuthTlsTest, MutualTlsWithoutAClientCertificateFails) {
  const grpc::Status status =
      CallNps(TlsChannel(mtls_->address(), files_->Pem("ca.pem")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

TEST_F(AuthTlsTest, MutualTlsWithAClientCertificateOfAnotherCaFails) {
  const grpc::Status status = CallNps(TlsChannel(
      mtls_->address(), files_->Pem("ca.pem"), files_->Pem("rogue-client.pem"),
      files_->Pem("rogue-client.key")));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE)
      << status.error_message();
}

TEST_F(AuthTlsTest, MutualTlsWithAClientCertificateWorks) {
  const grpc::Status status =
      CallNps(TlsChannel(mtls_->address(), files_->Pem("ca.pem"),
                         files_->Pem("client.pem"), files_->Pem("client.key")));
  EXPECT_TRUE(status.ok()) << status.error_message();
}

// A server that cannot use its TLS files or tokens file stops at start,
// exit 1, naming the file.
void ExpectRefusedAtStart(const std::vector<std::string>& args,
                          const std::string& message) {
  absl::StatusOr<std::unique_ptr<ServerProcess>> server =
      ServerProcess::Start(KPI_SERVER_BINARY, args);
  ASSERT_FALSE(server.ok()) << "started with " << args[1];
  EXPECT_THAT(std::string(server.status().message()),
              HasSubstr("kpi-server exited with 1 before serving"));
  EXPECT_THAT(std::string(server.status().message()), HasSubstr(message));
}

TEST_F(AuthTlsTest, UnusableFilesStopTheServerNamingTheFile) {
  const std::string cert = files_->Path("server.pem");
  const std::string key = files_->Path("server.key");
  ExpectRefusedAtStart(
      {"--tls-cert", files_->Path("missing.pem"), "--tls-key", key},
      absl::StrCat("TLS certificate ", files_->Path("missing.pem"),
                   ": cannot read it: No such file or directory"));
  ExpectRefusedAtStart(
      {"--tls-cert", files_->Path("server.ext"), "--tls-key", key},
      absl::StrCat("TLS certificate ", files_->Path("server.ext"),
                   ": holds no PEM certificate"));
  ExpectRefusedAtStart(
      {"--tls-cert", cert, "--tls-key", files_->Path("client.key")},
      absl::StrCat("TLS key ", files_->Path("client.key"),
                   ": is not the key of the certificate in ", cert));
  files_->WriteSecret("readable.key", files_->Pem("server.key"), 0644);
  ExpectRefusedAtStart(
      {"--tls-cert", cert, "--tls-key", files_->Path("readable.key")},
      absl::StrCat("TLS key ", files_->Path("readable.key"),
                   " is readable by every user (mode 0644"));
  ExpectRefusedAtStart(
      {"--tls-cert", cert, "--tls-key", key, "--tls-client-ca",
       files_->Path("server.ext")},
      absl::StrCat("TLS client CA file ", files_->Path("server.ext"),
                   ": holds no PEM certificate"));
  files_->WriteSecret("open.tokens", ReadFile(files_->Path("tokens")), 0660);
  ExpectRefusedAtStart({"--tokens-file", files_->Path("open.tokens")},
                       absl::StrCat("tokens file ", files_->Path("open.tokens"),
                                    " is writable by other users (mode 0660"));
  files_->WriteSecret("bad.tokens", "ops short *\n");
  ExpectRefusedAtStart(
      {"--tokens-file", files_->Path("bad.tokens")},
      absl::StrCat("tokens file ", files_->Path("bad.tokens"),
                   " line 1: the token of 'ops' is 5 characters"));
}

// ---- Bearer tokens -------------------------------------------------------

class AuthTokensTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = TestFiles::Make().release();
    ASSERT_NE(files_, nullptr);
    server_ = StartServer({"--tokens-file", files_->Path("tokens")}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete files_;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = PlainChannel(server_->address());
    stub_ = v1::MetricService::NewStub(channel_);
  }

  static TestFiles* files_;
  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::MetricService::Stub> stub_;
};
TestFiles* AuthTokensTest::files_ = nullptr;
ServerProcess* AuthTokensTest::server_ = nullptr;

TEST_F(AuthTokensTest, NoTokenIsUnauthenticated) {
  const grpc::Status status = CallNps(channel_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("this server requires a bearer token"));
  v1::ListMetricsResponse list;
  EXPECT_EQ(stub_->ListMetrics(Context().get(), v1::ListMetricsRequest(), &list)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTokensTest, WrongTokenIsUnauthenticatedAndNotEchoed) {
  const grpc::Status status =
      CallNps(channel_, "guessed-token-0123456789abcdef");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), Not(HasSubstr("guessed")));
  EXPECT_THAT(server_->log(), Not(HasSubstr("guessed")));
}

TEST_F(AuthTokensTest, RightTokenWorksForEveryWayToComputeItsMetric) {
  EXPECT_TRUE(CallNps(channel_, kNpsToken).ok());

  v1::ComputeRequest compute;
  compute.set_metric("nps");
  v1::Column* scores = compute.add_columns();
  scores->set_name("scores");
  for (double score : {10, 9, 3}) scores->mutable_doubles()->add_values(score);
  v1::ComputeResponse computed;
  grpc::Status status =
      stub_->Compute(Context(kNpsToken).get(), compute, &computed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NEAR(computed.result().value(), 33.333, 0.001);

  v1::ComputeStreamResponse streamed;
  auto context = Context(kNpsToken);
  auto writer = stub_->ComputeStream(context.get(), &streamed);
  v1::ComputeStreamRequest chunk;
  chunk.set_metric("nps");
  *chunk.add_columns() = *scores;
  ASSERT_TRUE(writer->Write(chunk));
  writer->WritesDone();
  status = writer->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NEAR(streamed.result().value(), 33.333, 0.001);

  v1::DescribeMetricRequest describe;
  describe.set_metric("nps");
  v1::DescribeMetricResponse described;
  EXPECT_TRUE(
      stub_->DescribeMetric(Context(kNpsToken).get(), describe, &described)
          .ok());
  v1::ListMetricsResponse list;
  EXPECT_TRUE(stub_
                  ->ListMetrics(Context(kNpsToken).get(),
                                v1::ListMetricsRequest(), &list)
                  .ok());
  v1::GetMetricProtosResponse protos;
  EXPECT_TRUE(stub_
                  ->GetMetricProtos(Context(kNpsToken).get(),
                                    v1::GetMetricProtosRequest(), &protos)
                  .ok());
  EXPECT_EQ(stub_
                ->GetMetricProtos(Context().get(), v1::GetMetricProtosRequest(),
                                  &protos)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTokensTest, TokenForNpsCallingChurnIsPermissionDenied) {
  v1::ComputeChurnRateRequest typed;
  typed.set_customers_at_start(1000);
  typed.set_customers_lost(50);
  v1::ComputeChurnRateResponse typed_response;
  grpc::Status status =
      stub_->ComputeChurnRate(Context(kNpsToken).get(), typed, &typed_response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "token 'nps' may not call ComputeChurnRate for metric "
            "'churn_rate': it has none of the scopes metric:churn_rate, "
            "method:ComputeChurnRate, * in the server's tokens file "
            "(kpi-server --tokens-file)");
  EXPECT_THAT(status.error_message(), Not(HasSubstr(kNpsToken)));

  // The generic call and the stream name the metric in the request.
  v1::ComputeRequest compute;
  compute.set_metric("churn_rate");
  (*compute.mutable_scalars())["customers_at_start"].set_int64_value(1000);
  (*compute.mutable_scalars())["customers_lost"].set_int64_value(50);
  v1::ComputeResponse computed;
  status = stub_->Compute(Context(kNpsToken).get(), compute, &computed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("metric:churn_rate"));

  v1::ComputeStreamResponse streamed;
  auto context = Context(kNpsToken);
  auto writer = stub_->ComputeStream(context.get(), &streamed);
  v1::ComputeStreamRequest chunk;
  chunk.set_metric("churn_rate");
  writer->Write(chunk);
  writer->WritesDone();
  status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(),
              HasSubstr("may not call ComputeStream for metric "
                        "'churn_rate'"));

  // A token with every metric may compute churn.
  status =
      stub_->ComputeChurnRate(Context(kAllToken).get(), typed, &typed_response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(AuthTokensTest, HealthNeedsNoToken) {
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  const grpc::Status status =
      grpc::health::v1::Health::NewStub(channel_)->Check(Context().get(),
                                                         request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(AuthTokensTest, ReloadNeedsTheAdminScope) {
  auto admin = v1::AdminService::NewStub(channel_);
  v1::ReloadResponse response;
  EXPECT_EQ(admin->Reload(Context().get(), v1::ReloadRequest(), &response)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  for (const char* token : {kNpsToken, kAllToken}) {
    const grpc::Status status =
        admin->Reload(Context(token).get(), v1::ReloadRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(status.error_message(),
                HasSubstr("may not call AdminService/Reload: it has none of "
                          "the scopes admin"));
    EXPECT_EQ(response.changes_size(), 0);
  }
  const grpc::Status status =
      admin->Reload(Context(kOpsToken).get(), v1::ReloadRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(response.metric_count(), 0);
}

TEST_F(AuthTokensTest, LoopbackListenerLogsNoWarning) {
  EXPECT_THAT(server_->log(), Not(HasSubstr("warning")));
  EXPECT_THAT(server_->log(), HasSubstr("bearer tokens required (3 in "));
}

TEST_F(AuthTokensTest, ReflectionStaysOpenAndBufCurlSendsATokenFromAFile) {
  const auto buf = [](std::vector<std::string> args) {
    args.insert(args.begin(), {KPI_BUF_BINARY, "curl", "--protocol", "grpc",
                               "--http2-prior-knowledge"});
    return RunCommand(args);
  };
  const std::string base = absl::StrCat("http://", server_->address());
  CommandResult r = buf({"--list-methods", base});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("kpi.v1.MetricService/ComputeNps"));

  files_->WriteSecret("headers",
                      absl::StrCat("Authorization: Bearer ", kNpsToken, "\n"));
  r = buf({"-H", "@" + files_->Path("headers"), "-d",
           R"({"scores": [10, 9, 3]})",
           base + "/kpi.v1.MetricService/ComputeNps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"value\": 33.3"));
  r = buf({"-d", R"({"scores": [10, 9, 3]})",
           base + "/kpi.v1.MetricService/ComputeNps"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("unauthenticated"));
}

// ---- The admin listener --------------------------------------------------

TEST(AuthAdminListenerTest, ReloadIsServedOnlyOnItsOwnUnixSocket) {
  testing::TempDir dir;
  const std::string socket = dir.File("admin.sock");
  std::unique_ptr<ServerProcess> server =
      StartServer({"--admin-listen", "unix:" + socket});
  ASSERT_NE(server, nullptr);
  struct stat info;
  ASSERT_EQ(stat(socket.c_str(), &info), 0);
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  v1::ReloadResponse response;
  grpc::Status status =
      v1::AdminService::NewStub(PlainChannel(server->address()))
          ->Reload(Context().get(), v1::ReloadRequest(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  status = v1::AdminService::NewStub(PlainChannel("unix:" + socket))
               ->Reload(Context().get(), v1::ReloadRequest(), &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(response.metric_count(), 0);
  // MetricService stays where it was.
  EXPECT_TRUE(CallNps(PlainChannel(server->address())).ok());
  server.reset();
  dir.Remove("admin.sock");
}

// ---- Listening beyond loopback -------------------------------------------

TEST(AuthListenWarningTest, AllInterfacesWithoutTlsWarnsAtStart) {
  std::unique_ptr<ServerProcess> server =
      StartServer({"--listen", "0.0.0.0:0", "--metrics-listen", "0.0.0.0:0"});
  ASSERT_NE(server, nullptr);
  const std::string log = server->log();
  EXPECT_THAT(log, HasSubstr("warning: --listen 0.0.0.0:0 accepts calls from "
                             "other hosts without TLS: requests, results and "
                             "bearer tokens cross the network in clear "
                             "text"));
  EXPECT_THAT(log, HasSubstr("pass --tls-cert FILE --tls-key FILE, or listen "
                             "on 127.0.0.1"));
  EXPECT_THAT(log, HasSubstr("warning: --listen 0.0.0.0:0 accepts calls from "
                             "other hosts and nothing checks who calls"));
  EXPECT_THAT(log, HasSubstr("warning: --metrics-listen 0.0.0.0:0 is plain "
                             "HTTP without authentication"));
  // It serves anyway, on every interface, loopback included.
  EXPECT_TRUE(CallNps(PlainChannel(server->address())).ok());
}

// ---- The kpi CLI ---------------------------------------------------------

class CliAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = TestFiles::Make().release();
    ASSERT_NE(files_, nullptr);
    server_ = StartServer({"--tls-cert", files_->Path("server.pem"),
                           "--tls-key", files_->Path("server.key"),
                           "--tls-client-ca", files_->Path("ca.pem"),
                           "--tokens-file", files_->Path("tokens")})
                  .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete files_;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  // kpi against the server with TLS (CA and client certificate) and
  // `flags` before `args`.
  static CommandResult Kpi(std::vector<std::string> flags,
                           const std::vector<std::string>& args,
                           const std::vector<std::string>& env = {}) {
    flags.insert(flags.begin(), {KPI_CLI_BINARY, "--server", server_->address(),
                                 "--timeout", "10"});
    flags.insert(flags.end(), args.begin(), args.end());
    return RunCommand(flags, "", env);
  }
  static std::vector<std::string> Tls() {
    return {"--tls-ca",   files_->Path("ca.pem"),
            "--tls-cert", files_->Path("client.pem"),
            "--tls-key",  files_->Path("client.key")};
  }
  static std::vector<std::string> Tls(std::vector<std::string> more) {
    std::vector<std::string> flags = Tls();
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
  }

  static TestFiles* files_;
  static ServerProcess* server_;
};
TestFiles* CliAuthTest::files_ = nullptr;
ServerProcess* CliAuthTest::server_ = nullptr;

TEST_F(CliAuthTest, TokenFileAndTlsCaWorkEndToEnd) {
  const CommandResult r = Kpi(Tls({"--token", files_->Path("nps.token")}),
                              {"compute", "nps", "scores=10,9,3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("nps = 33.3333 score"));
}

TEST_F(CliAuthTest, TokenFromTheEnvironmentWorks) {
  const CommandResult r =
      Kpi(Tls({"--token-env", "KPI_AUTH_TEST_TOKEN"}), {"list"},
          {"KPI_AUTH_TEST_TOKEN=" + std::string(kNpsToken)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("churn_rate"));
}

TEST_F(CliAuthTest, RefusalsReachTheUser) {
  CommandResult r = Kpi(Tls(), {"list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("kpi: UNAUTHENTICATED: this server requires a "
                               "bearer token"));
  r = Kpi(Tls({"--token", files_->Path("nps.token")}),
          {"compute", "churn_rate", "customers_at_start=1000",
           "customers_lost=50"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("kpi: PERMISSION_DENIED: token 'nps' may not "
                               "call DescribeMetric for metric "
                               "'churn_rate'"));
  r = Kpi(Tls({"--token", files_->Path("nps.token")}), {"reload"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("kpi: PERMISSION_DENIED"));
}

TEST_F(CliAuthTest, WithoutTheCaOrClientCertificateTheServerIsUnreachable) {
  // Plaintext.
  CommandResult r = Kpi({"--token", files_->Path("nps.token")}, {"list"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("kpi: cannot reach kpi-server at"));
  // TLS, but no client certificate.
  r = Kpi({"--tls-ca", files_->Path("ca.pem"), "--token",
           files_->Path("nps.token")},
          {"list"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

TEST_F(CliAuthTest, MissingTokenFileIsAUsageError) {
  const CommandResult r =
      Kpi(Tls({"--token", files_->Path("no-such.token")}), {"list"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--token takes a FILE holding the token"));
}

}  // namespace
}  // namespace kpi
