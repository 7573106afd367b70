// kpi-report's command line: defaults, the server from $KPI_SERVER, formats,
// and errors that name the flag.

#include "report_command_line.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<ReportOptions> Parse(std::vector<std::string> args,
                                    const std::string& env_server = "") {
  return ParseReportCommandLine(args, env_server);
}

TEST(ParseReportCommandLine, DefaultsAreTheCliServerAndEveryFormat) {
  absl::StatusOr<ReportOptions> options = Parse({"--data", "d"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->connection.server, "127.0.0.1:50051");
  EXPECT_EQ(options->out_dir, "report");
  EXPECT_TRUE(options->json && options->markdown && options->html);
  EXPECT_FALSE(options->strict);
  EXPECT_EQ(options->chunk_rows, 50000);
  EXPECT_EQ(Parse({"--data", "d"}, "kpi.internal:443")->connection.server,
            "kpi.internal:443");
}

TEST(ParseReportCommandLine, ReadsEveryFlagInBothForms) {
  absl::StatusOr<ReportOptions> options =
      Parse({"--data=d", "--spec", "s.toml", "--server=h:1", "--out", "o",
             "--format=json,md", "--strict", "--quiet", "--chunk-rows", "10",
             "--timeout=5", "--token-env", "T", "--tls-ca", "ca.pem"});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->data_dir, "d");
  EXPECT_EQ(options->spec_file, "s.toml");
  EXPECT_EQ(options->connection.server, "h:1");
  EXPECT_TRUE(options->json && options->markdown);
  EXPECT_FALSE(options->html);
  EXPECT_TRUE(options->strict && options->quiet);
  EXPECT_EQ(options->chunk_rows, 10);
  EXPECT_EQ(options->connection.timeout, absl::Seconds(5));
  EXPECT_EQ(options->connection.token_env, "T");
  // A CA file means TLS.
  EXPECT_TRUE(options->connection.tls);
}

TEST(ParseReportCommandLine, ErrorsNameTheFlag) {
  const struct {
    std::vector<std::string> args;
    const char* error;
  } cases[] = {
      {{}, "--data DIR is required"},
      {{"--data"}, "--data needs a value"},
      {{"--data", "d", "--format", "pdf"}, "--format: 'pdf' is not one of"},
      {{"--data", "d", "--chunk-rows", "0"}, "--chunk-rows: '0'"},
      {{"--data", "d", "--timeout", "-1"}, "--timeout: '-1'"},
      {{"--data", "d", "--token", "f", "--token-env", "V"},
       "--token and --token-env"},
      {{"--data", "d", "--tls-cert", "c.pem"}, "--tls-cert and --tls-key"},
      {{"--data", "d", "--strict=yes"}, "--strict takes no value"},
      {{"--data", "d", "--colour"}, "unknown option '--colour'"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<ReportOptions> options = Parse(c.args);
    ASSERT_FALSE(options.ok()) << c.error;
    EXPECT_THAT(options.status().message(), HasSubstr(c.error));
  }
}

}  // namespace
}  // namespace kpi::report
