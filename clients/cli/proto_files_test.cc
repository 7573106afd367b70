#include "proto_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace kpi::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ProtoFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "kpi-protos-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  static kpi::v1::GetMetricProtosResponse Files(
      std::initializer_list<std::pair<std::string, std::string>> files) {
    kpi::v1::GetMetricProtosResponse response;
    for (const auto& [path, content] : files) {
      kpi::v1::ProtoFile* file = response.add_files();
      file->set_path(path);
      file->set_content(content);
    }
    return response;
  }

  std::string Read(const std::string& relative) const {
    std::ifstream in(std::filesystem::path(directory_) / relative);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string directory_;
};

TEST_F(ProtoFilesTest, WritesEachFileAtItsPath) {
  const absl::StatusOr<std::vector<std::string>> written = WriteProtoFilesUnder(
      directory_, Files({{"kpi/plugins/a/v1/a.proto", "syntax = 1;\n"},
                         {"kpi/plugins/b/v2/b.proto", "b"}}));
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_THAT(*written, ElementsAre(directory_ + "/kpi/plugins/a/v1/a.proto",
                                    directory_ + "/kpi/plugins/b/v2/b.proto"));
  EXPECT_EQ(Read("kpi/plugins/a/v1/a.proto"), "syntax = 1;\n");
  EXPECT_EQ(Read("kpi/plugins/b/v2/b.proto"), "b");
}

// A server (or whoever answers in its place) cannot make kpi write outside
// the directory: an absolute path or a ".." refuses the whole answer.
TEST_F(ProtoFilesTest, APathLeavingTheDirectoryWritesNothing) {
  for (const std::string bad :
       {"/etc/evil.proto", "../evil.proto", "kpi/../../evil.proto", ""}) {
    const absl::StatusOr<std::vector<std::string>> written =
        WriteProtoFilesUnder(directory_,
                             Files({{"kpi/ok.proto", "ok"}, {bad, "x"}}));
    ASSERT_FALSE(written.ok()) << bad;
    EXPECT_EQ(written.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(written.status().message(),
                HasSubstr("the server sent the file path \"" + bad + "\""));
    EXPECT_TRUE(std::filesystem::is_empty(directory_)) << bad;
  }
}

TEST_F(ProtoFilesTest, AnUnwritableDirectoryIsAnErrorNamingThePath) {
  std::ofstream(std::filesystem::path(directory_) / "kpi") << "a file";
  const absl::StatusOr<std::vector<std::string>> written = WriteProtoFilesUnder(
      directory_, Files({{"kpi/plugins/a/v1/a.proto", "x"}}));
  ASSERT_FALSE(written.ok());
  EXPECT_THAT(
      written.status().message(),
      HasSubstr("cannot write " + directory_ + "/kpi/plugins/a/v1/a.proto"));
}

}  // namespace
}  // namespace kpi::cli
