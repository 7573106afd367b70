// Which listen addresses count as local, and the warnings for listening
// beyond this host (service/transport_security.h).
#include "transport_security.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kpi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(AuthLocalAddressTest, LoopbackAndUnixSocketsAreLocal) {
  for (const char* address :
       {"127.0.0.1:50051", "127.1.2.3:0", "localhost:50051", "LOCALHOST:1",
        "[::1]:50051", "unix:/run/kpi/admin.sock", "unix:///run/kpi.sock",
        "unix-abstract:kpi"}) {
    EXPECT_TRUE(IsLocalAddress(address)) << address;
  }
}

TEST(AuthLocalAddressTest, EverythingElseIsReachableFromElsewhere) {
  for (const char* address :
       {"0.0.0.0:50051", "[::]:50051", "10.0.0.5:50051", "kpi.internal:50051",
        "[2001:db8::1]:50051", ":50051", "128.0.0.1:1"}) {
    EXPECT_FALSE(IsLocalAddress(address)) << address;
  }
}

TEST(AuthListenWarningsTest, NoneOnLoopback) {
  EXPECT_THAT(
      ListenWarnings("--listen", "127.0.0.1:50051", false, false, false),
      IsEmpty());
}

TEST(AuthListenWarningsTest, PlaintextBeyondLoopbackSaysWhyAndHowToFix) {
  const std::vector<std::string> warnings =
      ListenWarnings("--listen", "0.0.0.0:50051", /*tls=*/false,
                     /*client_certificates=*/false, /*tokens=*/true);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "warning: --listen 0.0.0.0:50051 accepts calls from other hosts "
            "without TLS: requests, results and bearer tokens cross the "
            "network in clear text, readable and changeable on the way; pass "
            "--tls-cert FILE --tls-key FILE, or listen on 127.0.0.1");
}

TEST(AuthListenWarningsTest, NobodyCheckedBeyondLoopback) {
  EXPECT_THAT(ListenWarnings("--listen", "[::]:1", /*tls=*/true, false, false),
              ElementsAre(HasSubstr("nothing checks who calls")));
  EXPECT_THAT(ListenWarnings("--listen", "[::]:1", true,
                             /*client_certificates=*/true, false),
              IsEmpty());
  EXPECT_THAT(ListenWarnings("--listen", "[::]:1", false, false, false),
              ElementsAre(HasSubstr("without TLS"),
                          HasSubstr("nothing checks who calls")));
}

TEST(AuthMetricsListenWarningTest, PlainHttpBeyondLoopback) {
  EXPECT_EQ(MetricsListenWarning("127.0.0.1:9464"), "");
  EXPECT_THAT(MetricsListenWarning("0.0.0.0:9464"),
              HasSubstr("--metrics-listen 0.0.0.0:9464 is plain HTTP without "
                        "authentication"));
}

TEST(AuthLoadServerTlsTest, NoCertificateMeansNoTls) {
  absl::StatusOr<ServerTls> tls = LoadServerTls({});
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_NE(tls->credentials, nullptr);
  EXPECT_EQ(tls->description, "no TLS");
}

TEST(AuthLoadServerTlsTest, UnreadableCertificateIsNamed) {
  const absl::Status status =
      LoadServerTls({"/nonexistent/server.pem", "/nonexistent/server.key", ""})
          .status();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "TLS certificate /nonexistent/server.pem: cannot read it: No such "
            "file or directory");
}

}  // namespace
}  // namespace kpi
