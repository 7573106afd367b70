#include "input_json.h"

#include <fstream>
#include <sstream>
#include <string>

#include "cli_status.h"
#include "gtest/gtest.h"

namespace kpi::cli {
namespace {

TEST(ReadInputJsonTest, ArgumentIsTheJson) {
  std::istringstream in("unused");
  EXPECT_EQ(*ReadInputJson("{\"a\": 1}", in), "{\"a\": 1}");
}

TEST(ReadInputJsonTest, DashReadsStdin) {
  std::istringstream in("{\"scores\": [1, 2]}\n");
  EXPECT_EQ(*ReadInputJson("-", in), "{\"scores\": [1, 2]}\n");
}

TEST(ReadInputJsonTest, AtReadsAFile) {
  const std::string path = testing::TempDir() + "/input_json_test.json";
  std::ofstream(path) << "{\"customers_lost\": 5}";
  std::istringstream in;
  EXPECT_EQ(*ReadInputJson("@" + path, in), "{\"customers_lost\": 5}");
}

TEST(ReadInputJsonTest, MissingFileIsAUsageError) {
  std::istringstream in;
  absl::StatusOr<std::string> text =
      ReadInputJson("@/nonexistent/kpi.json", in);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(),
            "--input-json: cannot open \"/nonexistent/kpi.json\": No such "
            "file or directory");
  EXPECT_EQ(ExitCodeFor(text.status()), ExitCode::kUsage);
}

TEST(ParseInputJsonTest, Object) {
  absl::StatusOr<google::protobuf::Struct> json =
      ParseInputJson(" {\"scores\": [10, 9], \"mode\": \"mean\"} ");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_EQ(json->fields().at("scores").list_value().values_size(), 2);
  EXPECT_EQ(json->fields().at("mode").string_value(), "mean");
}

TEST(ParseInputJsonTest, NotAnObject) {
  for (const char* text : {"[1, 2]", "3", "", "\"x\""}) {
    absl::StatusOr<google::protobuf::Struct> json = ParseInputJson(text);
    ASSERT_FALSE(json.ok()) << text;
    EXPECT_EQ(json.status().message(),
              "--input-json: expected a JSON object like "
              "{\"scores\": [10, 9, 3]}");
    EXPECT_EQ(ExitCodeFor(json.status()), ExitCode::kUsage);
  }
}

TEST(ParseInputJsonTest, InvalidJson) {
  absl::StatusOr<google::protobuf::Struct> json =
      ParseInputJson("{\"scores\": [10, 9,}");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(ExitCodeFor(json.status()), ExitCode::kUsage);
  EXPECT_EQ(json.status().message().substr(0, 28),
            "--input-json: not valid JSON");
}

}  // namespace
}  // namespace kpi::cli
