// EventLog: JSON lines that a real JSON parser accepts whatever the values
// hold, text lines that read as before plus quoted key=value fields, and
// lines that stay whole when threads write at once.
#include "event_log.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const absl::Time kNoon = absl::FromUnixMillis(1764676800123);  // 2025-12-02

// Parses one JSON line; fails the test if it is not a JSON object.
google::protobuf::Struct ParseJson(const std::string& line) {
  google::protobuf::Struct parsed;
  const auto status =
      google::protobuf::util::JsonStringToMessage(line, &parsed);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << line;
  return parsed;
}

std::string Field(const google::protobuf::Struct& object,
                  const std::string& key) {
  const auto found = object.fields().find(key);
  return found == object.fields().end() ? "<absent>"
                                        : found->second.string_value();
}

std::string Escaped(absl::string_view text) {
  std::string out;
  AppendJsonEscaped(text, &out);
  return out;
}

TEST(EventLogTest, JsonLineHasTimeEventAndFieldsInOrder) {
  const EventLog log(LogFormat::kJson);
  const std::vector<LogField> fields = {{"request_id", "abc-123"},
                                        {"rows", uint64_t{12}},
                                        {"duration_ms", 1.23456},
                                        {"delta", int64_t{-3}}};
  const std::string line = log.Format(kNoon, "call", fields);
  EXPECT_EQ(line,
            "{\"time\":\"2025-12-02T12:00:00.123Z\",\"event\":\"call\","
            "\"request_id\":\"abc-123\",\"rows\":12,\"duration_ms\":1.235,"
            "\"delta\":-3}\n");
  const google::protobuf::Struct parsed = ParseJson(line);
  EXPECT_EQ(Field(parsed, "event"), "call");
  EXPECT_EQ(parsed.fields().at("rows").number_value(), 12);
}

TEST(EventLogTest, JsonEscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Escaped("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(Escaped("C:\\plugins"), "C:\\\\plugins");
  EXPECT_EQ(Escaped("two\nlines\r\tend"), "two\\nlines\\r\\tend");
  EXPECT_EQ(Escaped(std::string("nul\0bell\x07"
                                "del\x7f",
                                13)),
            "nul\\u0000bell\\u0007del\\u007f");
  EXPECT_EQ(Escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");  // valid UTF-8 kept
}

TEST(EventLogTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(Escaped("a\xff"
                    "b"),
            "a\\ufffdb");
  EXPECT_EQ(Escaped("\xc3"), "\\ufffd");                        // truncated
  EXPECT_EQ(Escaped("\xc0\xaf"), "\\ufffd\\ufffd");             // overlong
  EXPECT_EQ(Escaped("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");  // surrogate
  EXPECT_EQ(Escaped("\xf4\x90\x80\x80"),
            "\\ufffd\\ufffd\\ufffd\\ufffd");  // past U+10FFFF
}

TEST(EventLogTest, EveryHostileValueStillMakesOneValidJsonLine) {
  const EventLog log(LogFormat::kJson);
  const std::string hostile = "q\"b\\n\nc\x01\x1f\x7f\xff\xfe\xc3(\xe2\x82";
  const std::vector<LogField> fields = {{"message", hostile},
                                        {"peer", "ipv4:127.0.0.1:5"}};
  const std::string line = log.Format(kNoon, "warning", fields);
  ASSERT_EQ(line.find('\n'), line.size() - 1) << line;
  const google::protobuf::Struct parsed = ParseJson(line);
  EXPECT_EQ(Field(parsed, "message"),
            "q\"b\\n\nc\x01\x1f\x7f\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd("
            "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(Field(parsed, "time"), "2025-12-02T12:00:00.123Z");
}

TEST(EventLogTest, TimeIsRfc3339UtcWithMilliseconds) {
  const EventLog log(LogFormat::kJson);
  const std::string line = log.Format(absl::Now(), "stopped", {});
  EXPECT_THAT(line, MatchesRegex("\\{\"time\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T"
                                 "[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z\","
                                 "\"event\":\"stopped\"\\}\n"));
}

TEST(EventLogTest, TextMessageReadsAsBeforeAndFieldsFollow) {
  const EventLog log(LogFormat::kText);
  const std::vector<LogField> message = {
      {"message", "listening on 127.0.0.1:50051 with plaintext"}};
  EXPECT_EQ(log.Format(kNoon, "listening", message),
            "kpi-server: listening on 127.0.0.1:50051 with plaintext\n");
  const std::vector<LogField> call = {{"request_id", "abc-123"},
                                      {"code", "INVALID_ARGUMENT"},
                                      {"duration_ms", 0.5},
                                      {"principal", ""},
                                      {"message", "input 'scores' row 2"}};
  EXPECT_EQ(log.Format(kNoon, "call", call),
            "kpi-server: call request_id=abc-123 code=INVALID_ARGUMENT "
            "duration_ms=0.500 principal=\"\" "
            "message=\"input 'scores' row 2\"\n");
}

TEST(EventLogTest, TextQuotesValuesWithSpacesQuotesAndOtherBytes) {
  const EventLog log(LogFormat::kText);
  const std::vector<LogField> fields = {
      {"a", "say \"hi\""}, {"b", "x=y"},     {"c", "back\\slash"},
      {"d", "two\nlines"}, {"e", "bad\xff"}, {"f", "plain-value_1.2:3"}};
  EXPECT_EQ(log.Format(kNoon, "e", fields),
            "kpi-server: e a=\"say \\\"hi\\\"\" b=\"x=y\" c=\"back\\\\slash\" "
            "d=\"two\\nlines\" e=\"bad\\ufffd\" f=plain-value_1.2:3\n");
}

TEST(EventLogTest, TextMessageStaysOneLine) {
  const EventLog log(LogFormat::kText);
  const std::vector<LogField> fields = {
      {"message", "refused plugin /p/x.so: bad\nsecond \"line\""}};
  EXPECT_EQ(log.Format(kNoon, "plugin_refused", fields),
            "kpi-server: refused plugin /p/x.so: bad\\nsecond \"line\"\n");
}

TEST(EventLogTest, ParsesItsFormats) {
  EXPECT_EQ(*ParseLogFormat("text"), LogFormat::kText);
  EXPECT_EQ(*ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_THAT(ParseLogFormat("xml").status().message(),
              HasSubstr("expected text or json, got 'xml'"));
}

// Eight threads write at once; every line comes out whole.
TEST(EventLogTest, LinesWrittenAtOnceNeverInterleave) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  const EventLog log(LogFormat::kJson, fileno(file));
  constexpr int kThreads = 8;
  constexpr int kLines = 500;
  const std::string long_value(3000, 'v');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, &long_value, t] {
      for (int i = 0; i < kLines; ++i) {
        log.Write("call", {{"thread", t}, {"i", i}, {"value", long_value}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::string all;
  std::rewind(file);
  char buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), file)) > 0;) {
    all.append(buffer, n);
  }
  std::fclose(file);
  const std::vector<std::string> lines =
      absl::StrSplit(all, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  for (const std::string& line : lines) {
    const google::protobuf::Struct parsed = ParseJson(line);
    ASSERT_EQ(Field(parsed, "value"), long_value);
  }
}

}  // namespace
}  // namespace kpi
