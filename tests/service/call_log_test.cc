// CallLog as CallMetrics' observer: which calls get a `call` line under
// --log-calls none, errors and all, what the line holds, and what an OK
// call costs when it gets none.
#include "call_log.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "request_id.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;

constexpr int kOk = 0;
constexpr int kInvalidArgument = 3;

// A CallLog writing JSON into a temporary file, and the lines written.
class LoggedCalls {
 public:
  explicit LoggedCalls(LogCalls which)
      : file_(std::tmpfile()),
        log_(LogFormat::kJson, fileno(file_)),
        call_log_(&log_, which),
        metrics_([](absl::string_view metric) { return metric == "nps"; },
                 &call_log_) {}
  ~LoggedCalls() { std::fclose(file_); }

  CallMetrics& metrics() { return metrics_; }

  std::vector<google::protobuf::Struct> Lines() {
    std::string all;
    std::rewind(file_);
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file_)) > 0;) {
      all.append(buffer, n);
    }
    std::vector<google::protobuf::Struct> lines;
    const std::vector<std::string> split =
        absl::StrSplit(all, '\n', absl::SkipEmpty());
    for (const std::string& line : split) {
      google::protobuf::Struct parsed;
      const auto status =
          google::protobuf::util::JsonStringToMessage(line, &parsed);
      EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << line;
      lines.push_back(parsed);
    }
    return lines;
  }

 private:
  std::FILE* file_;
  EventLog log_;
  CallLog call_log_;
  CallMetrics metrics_;
};

std::string Text(const google::protobuf::Struct& line, const std::string& key) {
  const auto found = line.fields().find(key);
  return found == line.fields().end() ? "<absent>"
                                      : found->second.string_value();
}

double Number(const google::protobuf::Struct& line, const std::string& key) {
  const auto found = line.fields().find(key);
  return found == line.fields().end() ? -1 : found->second.number_value();
}

void FinishOne(CallMetrics& metrics, int code, absl::string_view message) {
  CallMetrics::Call call = metrics.Start("ComputeNps", "nps");
  call.SetRequestId("abc-123");
  call.SetPeer([] { return std::string("ipv4:127.0.0.1:40000"); });
  call.AddRows(3);
  call.AddRequestBytes(42);
  call.Finish(code, message);
}

TEST(CallLogTest, ErrorsLogsOnlyTheCallsThatFailed) {
  LoggedCalls logged(LogCalls::kErrors);
  FinishOne(logged.metrics(), kOk, "");
  FinishOne(logged.metrics(), kInvalidArgument,
            "input 'scores' row 2: 11 is above the maximum 10");
  const std::vector<google::protobuf::Struct> lines = logged.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const google::protobuf::Struct& line = lines[0];
  EXPECT_EQ(Text(line, "event"), "call");
  EXPECT_EQ(Text(line, "request_id"), "abc-123");
  EXPECT_EQ(Text(line, "method"), "ComputeNps");
  EXPECT_EQ(Text(line, "metric"), "nps");
  EXPECT_EQ(Text(line, "code"), "INVALID_ARGUMENT");
  EXPECT_EQ(Number(line, "rows"), 3);
  EXPECT_EQ(Number(line, "request_bytes"), 42);
  EXPECT_GE(Number(line, "duration_ms"), 0);
  EXPECT_EQ(Text(line, "peer"), "ipv4:127.0.0.1:40000");
  EXPECT_EQ(Text(line, "message"),
            "input 'scores' row 2: 11 is above the maximum 10");
  EXPECT_EQ(Text(line, "principal"), "<absent>");  // no tokens
}

TEST(CallLogTest, AllLogsOkCallsWithoutAMessage) {
  LoggedCalls logged(LogCalls::kAll);
  FinishOne(logged.metrics(), kOk, "");
  const std::vector<google::protobuf::Struct> lines = logged.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Text(lines[0], "code"), "OK");
  EXPECT_EQ(Text(lines[0], "message"), "<absent>");
}

TEST(CallLogTest, NoneLogsNothing) {
  LoggedCalls logged(LogCalls::kNone);
  FinishOne(logged.metrics(), kOk, "");
  FinishOne(logged.metrics(), kInvalidArgument, "bad");
  EXPECT_TRUE(logged.Lines().empty());
}

TEST(CallLogTest, NamesThePrincipalAndAMetricNotServedAsEmpty) {
  LoggedCalls logged(LogCalls::kAll);
  CallMetrics::Call call = logged.metrics().Start("Compute", "no_such_metric");
  call.SetPrincipal("dashboard");
  call.Finish(5, "no loaded plugin provides metric 'no_such_metric'");
  const std::vector<google::protobuf::Struct> lines = logged.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Text(lines[0], "principal"), "dashboard");
  EXPECT_EQ(Text(lines[0], "metric"), "");
  EXPECT_EQ(Text(lines[0], "code"), "NOT_FOUND");
}

// A call nobody finished is logged CANCELLED when it goes, without asking
// its transport -- which may be gone -- for the peer.
TEST(CallLogTest, AnAbandonedCallIsCancelledAndItsPeerNotAsked) {
  LoggedCalls logged(LogCalls::kErrors);
  {
    CallMetrics::Call call = logged.metrics().Start("ComputeNps", "nps");
    call.SetRequestId("gone-1");
    call.SetPeer([]() -> std::string {
      ADD_FAILURE() << "the peer of an abandoned call was asked";
      return "";
    });
  }
  const std::vector<google::protobuf::Struct> lines = logged.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Text(lines[0], "request_id"), "gone-1");
  EXPECT_EQ(Text(lines[0], "code"), "CANCELLED");
  EXPECT_EQ(Text(lines[0], "peer"), "");
}

TEST(CallLogTest, ParsesWhichCalls) {
  EXPECT_EQ(*ParseLogCalls("none"), LogCalls::kNone);
  EXPECT_EQ(*ParseLogCalls("errors"), LogCalls::kErrors);
  EXPECT_EQ(*ParseLogCalls("all"), LogCalls::kAll);
  EXPECT_THAT(ParseLogCalls("some").status().message(),
              HasSubstr("expected none, errors or all, got 'some'"));
}

}  // namespace
}  // namespace kpi
