// The allow list of plugin SHA-256 digests (--plugin-sha256-file): its
// format is sha256sum's (lists are written by the real sha256sum here), and a
// registry with one loads only listed plugins.
#include "plugin_digests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "metric_registry.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::StartsWith;
using testing::TempDir;

// What sha256sum prints for `file`: "<digest>  <file>\n".
std::string Sha256sumLine(const std::string& file) {
  const testing::CommandResult result =
      testing::RunCommand({"sha256sum", file});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

class PluginDigestsTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = directory_.WriteInPlace(name, bytes);
    chmod(path.c_str(), 0644);
    return path;
  }
  TempDir directory_;
};

TEST_F(PluginDigestsTest, HashesAsFips180Does) {
  // FIPS 180-2, appendix B.1, and the digest of no bytes.
  absl::StatusOr<std::string> abc =
      PluginDigests::Sha256OfFile(Write("abc", "abc"));
  ASSERT_TRUE(abc.ok()) << abc.status();
  EXPECT_EQ(*abc,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(*PluginDigests::Sha256OfFile(Write("empty", "")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(PluginDigestsTest, ReadsWhatSha256sumPrints) {
  const std::string listed = Write("listed.so", "listed bytes");
  const std::string binary = Write("binary.so", "binary-mode bytes");
  const std::string other = Write("other.so", "other bytes");
  std::string binary_line = Sha256sumLine(binary);
  binary_line.replace(64, 2, " *");  // sha256sum --binary
  const std::string list =
      Write("plugins.sha256",
            "# reviewed plugins\n\n" + Sha256sumLine(listed) + binary_line);
  absl::StatusOr<PluginDigests> digests = PluginDigests::Load(list);
  ASSERT_TRUE(digests.ok()) << digests.status();
  EXPECT_EQ(digests->size(), 2u);
  EXPECT_TRUE(digests->Check(listed, listed).ok());
  EXPECT_TRUE(digests->Check(binary, binary).ok());
  const absl::Status refused = digests->Check(other, "/plugins/other.so");
  EXPECT_EQ(refused.code(), absl::StatusCode::kPermissionDenied);
  const std::string digest = Sha256sumLine(other).substr(0, 64);
  EXPECT_EQ(refused.message(),
            "its SHA-256 " + digest + " is not in the plugin digest list " +
                list +
                "; if this file is trusted, add it (sha256sum "
                "/plugins/other.so >> " +
                list + ") and reload");
}

TEST_F(PluginDigestsTest, NamesTheLineThatIsNotADigest) {
  const std::string list = Write(
      "plugins.sha256", Sha256sumLine(Write("a.so", "a")) + "0123abc  b.so\n");
  const absl::StatusOr<PluginDigests> digests = PluginDigests::Load(list);
  EXPECT_EQ(digests.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(digests.status().message(),
            "plugin digest list " + list +
                " line 2: expected '<64 hex digits>  <file name>', as "
                "sha256sum prints");
}

class DigestRegistryTest : public PluginDigestsTest {
 protected:
  void SetUp() override {
    plugins_.Install(
        "a_good.so",
        testing::ReadFile(std::string(KPI_FIXTURE_PLUGIN_DIR) + "/a_good.so"));
    plugins_.Install("reload.so",
                     testing::ReadFile(std::string(KPI_RELOAD_FIXTURE_DIR) +
                                       "/reload_v1.so"));
    list_ = Write("plugins.sha256", Sha256sumLine(plugins_.File("a_good.so")));
    options_.plugin_sha256_file = list_;
  }
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> Load() {
    return MetricRegistry::Load(
        {plugins_.path()},
        [this](absl::string_view l) { log_.emplace_back(l); }, options_);
  }
  TempDir plugins_;
  std::string list_;
  MetricRegistry::Options options_;
  std::vector<std::string> log_;
};

TEST_F(DigestRegistryTest, LoadsOnlyListedPlugins) {
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> registry = Load();
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_NE((*registry)->Find("fixture_sum"), nullptr);
  EXPECT_EQ((*registry)->Find("fixture_reload_sum"), nullptr);
  const std::string reload = plugins_.File("reload.so");
  EXPECT_THAT(log_, ::testing::Contains(
                        "refused plugin " + reload + ": its SHA-256 " +
                        Sha256sumLine(reload).substr(0, 64) +
                        " is not in the plugin digest list " + list_ +
                        "; if this file is trusted, add it (sha256sum " +
                        reload + " >> " + list_ + ") and reload"));

  // Listed, and reloaded: it serves.
  std::ofstream(list_, std::ios::app) << Sha256sumLine(reload);
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> reloaded =
      (*registry)->Reload([](absl::string_view) {});
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_NE((*reloaded)->Find("fixture_reload_sum"), nullptr);
}

TEST_F(DigestRegistryTest, TheListIsEnforcedEvenWithWritablePluginsAllowed) {
  options_.allow_writable = true;
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> registry = Load();
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ((*registry)->Find("fixture_reload_sum"), nullptr);
}

TEST_F(DigestRegistryTest, AListThatCannotBeTrustedOrReadFailsTheLoad) {
  chmod(list_.c_str(), 0666);
  EXPECT_THAT(std::string(Load().status().message()),
              StartsWith("plugin digest list " + list_ +
                         " is writable by every user (mode 0666"));
  options_.plugin_sha256_file = directory_.File("missing.sha256");
  EXPECT_EQ(Load().status().code(), absl::StatusCode::kFailedPrecondition);
  options_.plugin_sha256_file = Write("bad.sha256", "not a digest\n");
  EXPECT_EQ(Load().status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kpi
