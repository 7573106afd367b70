#include "command_line.h"

#include <string>
#include <vector>

#include "cli_status.h"
#include "gtest/gtest.h"

namespace kpi::cli {
namespace {

absl::StatusOr<Invocation> Parse(std::vector<std::string> args,
                                 std::string env_server = "") {
  return ParseCommandLine(args, env_server);
}

void ExpectUsageError(const absl::StatusOr<Invocation>& invocation,
                      const std::string& message) {
  ASSERT_FALSE(invocation.ok());
  EXPECT_EQ(invocation.status().message(), message);
  EXPECT_EQ(ExitCodeFor(invocation.status()), ExitCode::kUsage);
}

TEST(ParseCommandLineTest, Defaults) {
  absl::StatusOr<Invocation> invocation = Parse({"list"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kList);
  EXPECT_EQ(invocation->options.server, "127.0.0.1:50051");
  EXPECT_EQ(invocation->options.timeout, absl::Seconds(30));
  EXPECT_FALSE(invocation->options.json);
  EXPECT_FALSE(invocation->help);
  EXPECT_TRUE(invocation->operands.empty());
  EXPECT_FALSE(invocation->input_json.has_value());
}

TEST(ParseCommandLineTest, ServerFromEnvironmentUnlessFlagged) {
  EXPECT_EQ(Parse({"list"}, "kpi:9000")->options.server, "kpi:9000");
  EXPECT_EQ(Parse({"--server", "a:1", "list"}, "kpi:9000")->options.server,
            "a:1");
  EXPECT_EQ(Parse({"list", "--server=b:2"}, "kpi:9000")->options.server, "b:2");
}

TEST(ParseCommandLineTest, FlagsBeforeAndAfterTheCommand) {
  absl::StatusOr<Invocation> invocation =
      Parse({"--timeout", "2.5", "compute", "nps", "scores=1,2", "--json",
             "--input-json", "@in.json", "confidence_level=0.9"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kCompute);
  EXPECT_EQ(invocation->options.timeout, absl::Milliseconds(2500));
  EXPECT_TRUE(invocation->options.json);
  EXPECT_EQ(invocation->input_json, "@in.json");
  EXPECT_EQ(
      invocation->operands,
      (std::vector<std::string>{"nps", "scores=1,2", "confidence_level=0.9"}));
}

TEST(ParseCommandLineTest, RequestIdOfOneTo128VisibleCharacters) {
  EXPECT_EQ(Parse({"list"})->options.request_id, "");
  EXPECT_EQ(Parse({"--request-id", "abc-123", "list"})->options.request_id,
            "abc-123");
  const std::string longest(128, 'x');
  EXPECT_EQ(Parse({"list", "--request-id=" + longest})->options.request_id,
            longest);
  const std::string refused =
      "--request-id: expected 1 to 128 visible ASCII characters without "
      "spaces, got ";
  ExpectUsageError(Parse({"--request-id", "a b", "list"}),
                   refused + "\"a b\" (see kpi --help)");
  ExpectUsageError(Parse({"--request-id=", "list"}),
                   refused + "\"\" (see kpi --help)");
  ExpectUsageError(Parse({"--request-id", std::string(129, 'x'), "list"}),
                   refused + "\"" + longest + "...\" (see kpi --help)");
}

TEST(ParseCommandLineTest, InputJsonFromStdinAndWithEquals) {
  EXPECT_EQ(Parse({"compute", "nps", "--input-json", "-"})->input_json, "-");
  EXPECT_EQ(Parse({"compute", "nps", "--input-json={\"a\":1}"})->input_json,
            "{\"a\":1}");
}

TEST(ParseCommandLineTest, GroupByRepeatedOrCommaSeparated) {
  absl::StatusOr<Invocation> invocation =
      Parse({"compute", "--group-by", "plan", "churn_rate",
             "--group-by=region, country", "end=open"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->group_by,
            (std::vector<std::string>{"plan", "region", "country"}));
  EXPECT_EQ(invocation->operands,
            (std::vector<std::string>{"churn_rate", "end=open"}));
  EXPECT_TRUE(Parse({"compute", "nps"})->group_by.empty());
}

TEST(ParseCommandLineTest, ProfileOfCompute) {
  absl::StatusOr<Invocation> invocation = Parse(
      {"compute", "health_score", "--profile", "enterprise", "customer=a"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->profile, "enterprise");
  EXPECT_EQ(invocation->operands,
            (std::vector<std::string>{"health_score", "customer=a"}));
  EXPECT_EQ(Parse({"compute", "health_score", "--profile=smb"})->profile,
            "smb");
  EXPECT_FALSE(Parse({"compute", "nps"})->profile.has_value());
}

TEST(ParseCommandLineTest, Reload) {
  absl::StatusOr<Invocation> invocation =
      Parse({"reload", "--json", "--server", "a:1"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kReload);
  EXPECT_TRUE(invocation->options.json);
  EXPECT_EQ(invocation->options.server, "a:1");
  EXPECT_TRUE(invocation->operands.empty());

  absl::StatusOr<Invocation> help = Parse({"help", "reload"});
  ASSERT_TRUE(help.ok()) << help.status();
  EXPECT_TRUE(help->help);
  EXPECT_EQ(help->command, Command::kReload);
}

TEST(ParseCommandLineTest, ProtosTakesADirectoryThenPlugins) {
  absl::StatusOr<Invocation> invocation =
      Parse({"protos", "out", "survey", "retention"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->command, Command::kProtos);
  EXPECT_EQ(invocation->operands,
            (std::vector<std::string>{"out", "survey", "retention"}));

  ExpectUsageError(Parse({"protos"}),
                   "protos needs the directory to write to: kpi protos DIR "
                   "[PLUGIN ...] (see kpi --help)");
  absl::StatusOr<Invocation> help = Parse({"help", "protos"});
  ASSERT_TRUE(help.ok()) << help.status();
  EXPECT_TRUE(help->help);
  EXPECT_EQ(help->command, Command::kProtos);
}

TEST(ParseCommandLineTest, DoubleDashEndsFlags) {
  absl::StatusOr<Invocation> invocation =
      Parse({"compute", "--", "nps", "--json"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_FALSE(invocation->options.json);
  EXPECT_EQ(invocation->operands, (std::vector<std::string>{"nps", "--json"}));
}

TEST(ParseCommandLineTest, Help) {
  absl::StatusOr<Invocation> bare = Parse({"--help"});
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->help);
  EXPECT_FALSE(bare->command.has_value());

  absl::StatusOr<Invocation> help = Parse({"help"});
  ASSERT_TRUE(help.ok());
  EXPECT_TRUE(help->help);
  EXPECT_FALSE(help->command.has_value());

  absl::StatusOr<Invocation> of_compute = Parse({"compute", "-h"});
  ASSERT_TRUE(of_compute.ok()) << of_compute.status();
  EXPECT_TRUE(of_compute->help);
  EXPECT_EQ(of_compute->command, Command::kCompute);

  absl::StatusOr<Invocation> help_describe = Parse({"help", "describe"});
  ASSERT_TRUE(help_describe.ok());
  EXPECT_TRUE(help_describe->help);
  EXPECT_EQ(help_describe->command, Command::kDescribe);
}

TEST(ParseCommandLineTest, UsageErrors) {
  ExpectUsageError(Parse({}),
                   "no command given; the commands are list, describe, "
                   "compute, protos, reload and help (see kpi --help)");
  ExpectUsageError(Parse({"run"}),
                   "unknown command \"run\"; the commands are list, describe, "
                   "compute, protos, reload and help (see kpi --help)");
  ExpectUsageError(Parse({"help", "run"}),
                   "unknown command \"run\"; the commands are list, describe, "
                   "compute, protos, reload and help (see kpi --help)");
  ExpectUsageError(Parse({"list", "--verbose"}),
                   "unknown flag \"--verbose\" (see kpi --help)");
  ExpectUsageError(Parse({"list", "--server"}),
                   "--server needs a value (see kpi --help)");
  ExpectUsageError(Parse({"list", "--server="}),
                   "--server: HOST:PORT is empty");
  ExpectUsageError(Parse({"list", "--timeout", "0"}),
                   "--timeout: \"0\" is not a positive number of seconds");
  ExpectUsageError(Parse({"list", "--timeout=soon"}),
                   "--timeout: \"soon\" is not a positive number of seconds");
  ExpectUsageError(Parse({"list", "nps"}),
                   "list takes no arguments, got \"nps\" (see kpi --help)");
  ExpectUsageError(
      Parse({"describe"}),
      "describe takes one argument, the metric's name (see kpi --help)");
  ExpectUsageError(
      Parse({"describe", "a", "b"}),
      "describe takes one argument, the metric's name (see kpi --help)");
  ExpectUsageError(Parse({"compute"}),
                   "compute needs the metric's name: kpi compute METRIC "
                   "[NAME=VALUE ...] (see kpi --help)");
  ExpectUsageError(Parse({"describe", "nps", "--input-json", "{}"}),
                   "--input-json is a flag of compute only (see kpi --help)");
  ExpectUsageError(Parse({"describe", "nps", "--group-by", "plan"}),
                   "--group-by is a flag of compute only (see kpi --help)");
  ExpectUsageError(Parse({"compute", "nps", "--group-by", "plan,,region"}),
                   "--group-by: empty column name in \"plan,,region\"");
  ExpectUsageError(Parse({"compute", "nps", "--group-by="}),
                   "--group-by: empty column name in \"\"");
  ExpectUsageError(Parse({"compute", "nps", "--group-by"}),
                   "--group-by needs a value (see kpi --help)");
  ExpectUsageError(Parse({"compute", "nps", "--profile="}),
                   "--profile: NAME is empty");
  ExpectUsageError(Parse({"compute", "nps", "--profile", ""}),
                   "--profile: NAME is empty");
  ExpectUsageError(Parse({"compute", "nps", "--profile"}),
                   "--profile needs a value (see kpi --help)");
  ExpectUsageError(Parse({"describe", "nps", "--profile", "smb"}),
                   "--profile is a flag of compute only (see kpi --help)");
  ExpectUsageError(Parse({"reload", "--profile", "smb"}),
                   "--profile is a flag of compute only (see kpi --help)");
  ExpectUsageError(Parse({"reload", "--group-by", "plan"}),
                   "--group-by is a flag of compute only (see kpi --help)");
  ExpectUsageError(Parse({"reload", "now"}),
                   "reload takes no arguments, got \"now\" (see kpi --help)");
}

TEST(ParseCommandLineTest, TokenAndTlsFlags) {
  absl::StatusOr<Invocation> invocation =
      Parse({"--token", "/run/kpi/token", "list", "--tls-ca=/etc/kpi/ca.pem",
             "--tls-cert", "c.pem", "--tls-key", "k.pem"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->options.token_file, "/run/kpi/token");
  EXPECT_EQ(invocation->options.token_env, "");
  EXPECT_TRUE(invocation->options.tls);
  EXPECT_EQ(invocation->options.tls_ca, "/etc/kpi/ca.pem");
  EXPECT_EQ(invocation->options.tls_cert, "c.pem");
  EXPECT_EQ(invocation->options.tls_key, "k.pem");

  invocation = Parse({"list", "--token-env", "KPI_TOKEN", "--tls"});
  ASSERT_TRUE(invocation.ok()) << invocation.status();
  EXPECT_EQ(invocation->options.token_env, "KPI_TOKEN");
  EXPECT_TRUE(invocation->options.tls);
  EXPECT_EQ(invocation->options.tls_ca, "");

  EXPECT_FALSE(Parse({"list"})->options.tls);
}

TEST(ParseCommandLineTest, TokenAndTlsFlagErrors) {
  ExpectUsageError(Parse({"list", "--token", "t", "--token-env", "T"}),
                   "--token and --token-env: give one of them (see kpi "
                   "--help)");
  ExpectUsageError(Parse({"list", "--tls-cert", "c.pem"}),
                   "--tls-cert and --tls-key go together: the client "
                   "certificate and its key (see kpi --help)");
  ExpectUsageError(Parse({"list", "--token="}), "--token is empty");
  ExpectUsageError(Parse({"list", "--tls-ca"}),
                   "--tls-ca needs a value (see kpi --help)");
}

}  // namespace
}  // namespace kpi::cli
