#include "cli_status.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "kpi/client.h"

namespace kpi::cli {
namespace {

using ::testing::StartsWith;

TEST(CliStatusTest, UsageError) {
  const absl::Status status =
      UsageError("scores: item 3 \"x\" is not a number");
  EXPECT_EQ(ExitCodeFor(status), ExitCode::kUsage);
  EXPECT_EQ(ErrorLine(status), "kpi: scores: item 3 \"x\" is not a number");
}

TEST(CliStatusTest, ServerErrorShowsTheCodeName) {
  const absl::Status not_found =
      ServerError(absl::StatusCode::kNotFound, "no metric named \"x\"");
  EXPECT_EQ(ExitCodeFor(not_found), ExitCode::kServerError);
  EXPECT_EQ(ErrorLine(not_found), "kpi: NOT_FOUND: no metric named \"x\"");
  const absl::Status invalid =
      ServerError(absl::StatusCode::kInvalidArgument, "scores: row 3 is 11");
  EXPECT_EQ(ExitCodeFor(invalid), ExitCode::kServerError);
  EXPECT_EQ(ErrorLine(invalid), "kpi: INVALID_ARGUMENT: scores: row 3 is 11");
}

TEST(CliStatusTest, ServerErrorEndsWithTheRequestIdTheServerSent) {
  const absl::Status status = ServerError(absl::StatusCode::kInvalidArgument,
                                          "scores: row 3 is 11", "abc-123");
  EXPECT_EQ(ExitCodeFor(status), ExitCode::kServerError);
  EXPECT_EQ(ErrorLine(status),
            "kpi: INVALID_ARGUMENT: scores: row 3 is 11 (request id abc-123)");
}

// A real client with nothing listening at its port (1: reserved, closed).
TEST(CliStatusTest, Unreachable) {
  ClientOptions options;
  options.target = "127.0.0.1:1";
  options.connect_timeout = absl::Seconds(1);
  Client client(options);
  const absl::Status status = ClientError(client.ListMetrics().status());
  EXPECT_EQ(ExitCodeFor(status), ExitCode::kUnreachable);
  EXPECT_THAT(ErrorLine(status),
              StartsWith("kpi: cannot reach kpi-server at 127.0.0.1:1: "));
}

TEST(CliStatusTest, AnErrorTheServerSentKeepsItsCodeAndRequestId) {
  const absl::Status status = ClientError(absl::NotFoundError("no metric"));
  EXPECT_EQ(ExitCodeFor(status), ExitCode::kServerError);
  EXPECT_EQ(ErrorLine(status), "kpi: NOT_FOUND: no metric");
}

TEST(CliStatusTest, OkAndUntaggedErrors) {
  EXPECT_EQ(ExitCodeFor(absl::OkStatus()), ExitCode::kOk);
  const absl::Status internal = absl::InternalError("broken");
  EXPECT_EQ(ExitCodeFor(internal), ExitCode::kServerError);
  EXPECT_EQ(ErrorLine(internal), "kpi: broken");
}

}  // namespace
}  // namespace kpi::cli
