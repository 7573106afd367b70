// Who may call (service/authorizer.h): the decision for each scope, and
// bearer-token authentication.
#include "authorizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Principal WithScopes(std::vector<std::string> methods,
                     std::vector<std::string> metrics, bool all = false,
                     bool admin = false) {
  Principal principal;
  principal.name = "dashboard";
  principal.methods.insert(methods.begin(), methods.end());
  principal.metrics.insert(metrics.begin(), metrics.end());
  principal.all_metrics = all;
  principal.admin = admin;
  return principal;
}

TEST(AuthorizeTest, MetricScopeAllowsEveryCallAboutThatMetricOnly) {
  const Principal nps = WithScopes({}, {"nps"});
  EXPECT_TRUE(Authorize(nps, "ComputeNps", "nps").ok());
  EXPECT_TRUE(Authorize(nps, "Compute", "nps").ok());
  EXPECT_TRUE(Authorize(nps, "ComputeStream", "nps").ok());
  EXPECT_TRUE(Authorize(nps, "DescribeMetric", "nps").ok());
  const absl::Status churn = Authorize(nps, "ComputeChurnRate", "churn_rate");
  EXPECT_EQ(churn.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(churn.message(),
            "token 'dashboard' may not call ComputeChurnRate for metric "
            "'churn_rate': it has none of the scopes metric:churn_rate, "
            "method:ComputeChurnRate, * in the server's tokens file "
            "(kpi-server --tokens-file)");
  EXPECT_EQ(Authorize(nps, "Compute", "churn_rate").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizeTest, MethodScopeAllowsThatMethodForEveryMetric) {
  const Principal compute = WithScopes({"Compute"}, {});
  EXPECT_TRUE(Authorize(compute, "Compute", "nps").ok());
  EXPECT_TRUE(Authorize(compute, "Compute", "churn_rate").ok());
  EXPECT_EQ(Authorize(compute, "ComputeStream", "nps").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Authorize(compute, "ComputeNps", "nps").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizeTest, StarAllowsAllOfMetricServiceButNotAdmin) {
  const Principal all = WithScopes({}, {}, /*all=*/true);
  EXPECT_TRUE(Authorize(all, "ComputeMrr", "mrr").ok());
  EXPECT_TRUE(AuthorizeMethod(all, "ComputeStream").ok());
  const absl::Status reload = AuthorizeAdmin(all, "Reload");
  EXPECT_EQ(reload.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reload.message(),
            "token 'dashboard' may not call AdminService/Reload: it has none "
            "of the scopes admin in the server's tokens file (kpi-server "
            "--tokens-file)");
  EXPECT_TRUE(
      AuthorizeAdmin(WithScopes({}, {}, false, /*admin=*/true), "Reload").ok());
}

TEST(AuthorizeTest, AdminAloneComputesNothing) {
  const Principal admin = WithScopes({}, {}, false, /*admin=*/true);
  EXPECT_EQ(Authorize(admin, "ComputeNps", "nps").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AuthorizeMethod(admin, "Compute").code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizeTest, WhatIsServedIsOpenToEveryToken) {
  const Principal none = WithScopes({}, {}, false, /*admin=*/true);
  for (const char* method : {"ListMetrics", "GetMetricProtos"}) {
    EXPECT_TRUE(AuthorizeMethod(none, method).ok()) << method;
    EXPECT_TRUE(Authorize(none, method, "").ok()) << method;
  }
}

TEST(AuthorizeMethodTest, MetricNamedInTheRequestIsDecidedLater) {
  // At the start of Compute the metric is unknown: a token with any metric
  // scope may go on to have its request parsed; one with none may not.
  EXPECT_TRUE(AuthorizeMethod(WithScopes({}, {"nps"}), "Compute").ok());
  EXPECT_TRUE(AuthorizeMethod(WithScopes({"Compute"}, {}), "Compute").ok());
  const absl::Status denied =
      AuthorizeMethod(WithScopes({"ComputeNps"}, {}), "ComputeStream");
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(denied.message(),
            "token 'dashboard' may not call ComputeStream: it has none of the "
            "scopes method:ComputeStream, metric:NAME, * in the server's "
            "tokens file (kpi-server --tokens-file)");
}

TEST(AuthorizeTest, HugeMetricNameIsQuotedOnce) {
  const std::string huge(100000, 'x');
  const absl::Status denied =
      Authorize(WithScopes({}, {"nps"}), "Compute", huge);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_LT(denied.message().size(), 700u);
}

Authorizer TwoTokens() {
  std::vector<Authorizer::Token> tokens(2);
  tokens[0].digest = DigestToken("first-token-0123456789");
  tokens[0].principal.name = "first";
  tokens[1].digest = DigestToken("second-token-0123456789");
  tokens[1].principal.name = "second";
  return Authorizer(std::move(tokens));
}

TEST(AuthenticateTest, KnownBearerTokenNamesItsPrincipal) {
  const Authorizer authorizer = TwoTokens();
  absl::StatusOr<const Principal*> principal =
      authorizer.Authenticate({"Bearer second-token-0123456789"});
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ((*principal)->name, "second");
  // The scheme is case-insensitive (RFC 7235).
  principal = authorizer.Authenticate({"bearer first-token-0123456789"});
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ((*principal)->name, "first");
}

TEST(AuthenticateTest, MissingOrWrongTokensAreUnauthenticated) {
  const Authorizer authorizer = TwoTokens();
  const absl::Status none =
      authorizer.Authenticate(std::vector<absl::string_view>{}).status();
  EXPECT_EQ(none.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(none.message(), HasSubstr("'authorization: Bearer TOKEN'"));

  const absl::Status wrong =
      authorizer.Authenticate({"Bearer guessed-token-0123456789"}).status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(wrong.message()), Not(HasSubstr("guessed")));

  const absl::Status basic =
      authorizer.Authenticate({"Basic Zmlyc3QtdG9rZW4="}).status();
  EXPECT_EQ(basic.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(std::string(basic.message()), Not(HasSubstr("Zmlyc3")));

  EXPECT_EQ(authorizer.Authenticate({"Bearer "}).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(authorizer
                .Authenticate({"Bearer first-token-0123456789",
                               "Bearer second-token-0123456789"})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
  // A prefix of a token is not the token.
  EXPECT_EQ(authorizer.Authenticate({"Bearer first-token"}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace kpi
