// A document's worked examples are true (KPI_DOC: docs/metrics.md,
// docs/predictive.md): every ```console block is replayed against a real
// kpi-server with the bundled plugins, and each command's output must be
// what the document shows. A failure names the document's line.
//
// The commands run in one bash per block (so a block's shell variables carry
// over), standard error with standard output, with `build/bin/kpi`
// resolved to the built CLI, `tools/node_modules/.bin/buf` to buf,
// the documented address 127.0.0.1:50051 to the test server's, and
// KPI_SERVER set to it. Output shown as JSON (buf curl, kpi --json) is
// compared as JSON; any other output line by line, exactly.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tests/docs/console_blocks.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi::testing {
namespace {

constexpr char kDoc[] = "docs/" KPI_DOC;
constexpr char kDocumentedAddress[] = "127.0.0.1:50051";
// Written before each command's output, to tell the outputs apart: ASCII's
// record separator, which no output contains.
constexpr char kCommandMark = '\036';
constexpr char kPrintCommandMark[] = "printf '\\036'\n";

std::string Doc() { return ReadFile(KPI_DOCS_DIR "/" KPI_DOC); }

// `command` as it runs here: the documented programs resolved to the built
// ones, the documented address to the test server's.
std::string Resolved(const std::string& command, const std::string& address) {
  std::string resolved = command;
  for (const auto& [program, built] :
       {std::pair<std::string, std::string>{"build/bin/kpi ", KPI_CLI_BINARY},
        {"tools/node_modules/.bin/buf ", KPI_BUF_BINARY}}) {
    if (absl::StartsWith(resolved, program)) {
      resolved = absl::StrCat(built, " ", resolved.substr(program.size()));
      break;
    }
  }
  return absl::StrReplaceAll(resolved, {{kDocumentedAddress, address}});
}

bool ParsesAsJson(const std::string& text, google::protobuf::Value* value) {
  return absl::StartsWith(text, "{") &&
         google::protobuf::util::JsonStringToMessage(text, value).ok();
}

// Checks one command's output against what the document shows.
void ExpectOutput(const ConsoleCommand& command, const std::string& actual) {
  SCOPED_TRACE(absl::StrCat(kDoc, ":", command.line, ": $ ", command.command));
  const std::string shown =
      command.output.empty()
          ? ""
          : absl::StrCat(absl::StrJoin(command.output, "\n"), "\n");
  google::protobuf::Value shown_json, actual_json;
  if (ParsesAsJson(shown, &shown_json) && ParsesAsJson(actual, &actual_json)) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equivalent(
        actual_json, shown_json))
        << kDoc << ":" << command.output_line
        << ": the JSON differs; the command printed\n"
        << actual;
    return;
  }
  // A final newline ends the last line rather than starting another.
  const std::vector<std::string> lines =
      absl::StrSplit(absl::StripSuffix(actual, "\n"), '\n');
  const size_t count = actual.empty() ? 0 : lines.size();
  const int first =
      command.output.empty() ? command.line + 1 : command.output_line;
  for (size_t i = 0; i < std::max(count, command.output.size()); ++i) {
    const std::string want =
        i < command.output.size() ? command.output[i] : "(nothing)";
    const std::string got = i < count ? lines[i] : "(nothing)";
    if (want != got) {
      ADD_FAILURE() << kDoc << ":" << first + static_cast<int>(i)
                    << ": the document shows\n  " << want
                    << "\nthe command printed\n  " << got << "\nin all:\n"
                    << actual;
      return;
    }
  }
}

class MetricsDocTest : public ::testing::TestWithParam<ConsoleBlock> {
 protected:
  // The server reads the parameter profiles the document shows, if any:
  // its one ```json block (metrics.md's, which health_score's example
  // names: --profile smb).
  static void SetUpTestSuite() {
    const std::vector<std::string> profiles = FencedTexts(Doc(), "json");
    ASSERT_LE(profiles.size(), 1u) << "the profiles file is the one ```json";
    profiles_ = new TempDir;
    std::vector<std::string> flags;
    if (!profiles.empty()) {
      flags = {"--profiles", profiles_->Install("profiles.json", profiles[0])};
    }
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(KPI_SERVER_BINARY, flags);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    delete profiles_;
    profiles_ = nullptr;
  }
  static ServerProcess* server_;
  static TempDir* profiles_;
};
ServerProcess* MetricsDocTest::server_ = nullptr;
TempDir* MetricsDocTest::profiles_ = nullptr;

TEST_P(MetricsDocTest, EveryCommandPrintsWhatTheDocumentShows) {
  ASSERT_NE(server_, nullptr);
  const ConsoleBlock& block = GetParam();
  std::string script = "exec 2>&1\n";
  for (const ConsoleCommand& command : block.commands) {
    absl::StrAppend(&script, kPrintCommandMark,
                    Resolved(command.command, server_->address()), "\n");
  }
  const CommandResult run =
      RunCommand({"bash", "-c", script}, "",
                 {absl::StrCat("KPI_SERVER=", server_->address())});
  // The text before the first mark is empty; then one output per command.
  const std::vector<std::string> outputs =
      absl::StrSplit(run.out, kCommandMark);
  ASSERT_EQ(outputs.size(), block.commands.size() + 1) << run.out;
  for (size_t i = 0; i < block.commands.size(); ++i) {
    ExpectOutput(block.commands[i], outputs[i + 1]);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Blocks, MetricsDocTest, ::testing::ValuesIn(ConsoleBlocks(Doc())),
    [](const ::testing::TestParamInfo<ConsoleBlock>& info) {
      return absl::StrCat("Line", info.param.line);
    });

}  // namespace

void PrintTo(const ConsoleBlock& block, std::ostream* os) {
  *os << kDoc << ":" << block.line;
}

}  // namespace kpi::testing
