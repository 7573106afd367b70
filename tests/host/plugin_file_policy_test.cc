// The plugin file policy (sshd StrictModes) on real files: owners, group and
// world write bits, sticky directories and symlinks along the path, and the
// registry refusing what the policy refuses while the rest serve.
//
// Every tree lives in a fresh mkdtemp directory under /tmp (mode 0700; /tmp
// itself is the root-owned sticky directory the policy lets a path pass
// through). Tests that chown need root, as the suite runs here.
#include "plugin_file_policy.h"

#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "metric_registry.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr uid_t kNobody = 65534;

class PluginFilePolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char base[] = "/tmp/kpi-policy-XXXXXX";
    ASSERT_NE(mkdtemp(base), nullptr);
    base_ = base;
    user_ = getpwuid(geteuid())->pw_name;
    group_ = getgrgid(getegid())->gr_name;
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  // Paths are relative to the test's private directory.
  std::string Path(const std::string& relative) const {
    return base_ + "/" + relative;
  }
  std::string Dir(const std::string& relative, mode_t mode) {
    const std::string path = Path(relative);
    EXPECT_EQ(mkdir(path.c_str(), 0700), 0) << path;
    EXPECT_EQ(chmod(path.c_str(), mode), 0) << path;
    return path;
  }
  std::string File(const std::string& relative, mode_t mode,
                   const std::string& bytes = "plugin bytes") {
    const std::string path = Path(relative);
    std::ofstream(path, std::ios::binary) << bytes;
    EXPECT_EQ(chmod(path.c_str(), mode), 0) << path;
    return path;
  }
  std::string Link(const std::string& relative, const std::string& target) {
    const std::string path = Path(relative);
    EXPECT_EQ(symlink(target.c_str(), path.c_str()), 0) << path;
    return path;
  }
  static absl::Status CheckFile(const std::string& path) {
    return CheckPluginPath(path, PluginPathKind::kFile);
  }
  static absl::Status CheckDirectory(const std::string& path) {
    return CheckPluginPath(path, PluginPathKind::kDirectory);
  }

  std::string base_;
  // Who owns what a test creates: "root" and "root" as the suite runs here.
  std::string user_, group_;
};

TEST_F(PluginFilePolicyTest, TrustsAPluginInAPrivateOrReadOnlyDirectory) {
  const std::string private_dir = Dir("private", 0700);
  EXPECT_TRUE(CheckDirectory(private_dir).ok());
  EXPECT_TRUE(CheckFile(File("private/p.so", 0755)).ok());
  const std::string shared_dir = Dir("shared", 0755);
  EXPECT_TRUE(CheckDirectory(shared_dir).ok());
  EXPECT_TRUE(CheckFile(File("shared/p.so", 0755)).ok());
  EXPECT_TRUE(CheckFile(File("shared/read_only.so", 0444)).ok());
}

TEST_F(PluginFilePolicyTest, RefusesAGroupWritablePluginFile) {
  Dir("plugins", 0755);
  const std::string file = File("plugins/p.so", 0775);
  const absl::Status status = CheckFile(file);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "plugin file " + file + " is writable by its group " + group_ +
                " (mode 0775, owner " + user_ + ":" + group_ +
                "): whoever can write it can change it and run code in "
                "kpi-server; chmod go-w " +
                file + ", or pass --allow-writable-plugins");
}

TEST_F(PluginFilePolicyTest, RefusesAWorldWritablePluginFile) {
  Dir("plugins", 0755);
  const std::string file = File("plugins/p.so", 0757);
  EXPECT_THAT(std::string(CheckFile(file).message()),
              StartsWith("plugin file " + file +
                         " is writable by every user (mode 0757"));
}

TEST_F(PluginFilePolicyTest, RefusesAGroupWritablePluginDirectory) {
  const std::string dir = Dir("plugins", 0775);
  const std::string file = File("plugins/p.so", 0755);
  EXPECT_THAT(
      std::string(CheckDirectory(dir).message()),
      StartsWith("plugin directory " + dir + " is writable by its group " +
                 group_ + " (mode 0775, owner " + user_ + ":" + group_ +
                 "): whoever can write it can replace what is in it"));
  EXPECT_THAT(
      std::string(CheckFile(file).message()),
      StartsWith("plugin file " + file + ": directory " + dir +
                 " is writable by its group " + group_ + " (mode 0775"));
}

TEST_F(PluginFilePolicyTest, RefusesADirectoryWhoseParentEveryoneCanWrite) {
  const std::string open = Dir("open", 0777);
  const std::string plugins = Dir("open/plugins", 0755);
  const std::string file = File("open/plugins/p.so", 0755);
  const absl::Status status = CheckDirectory(plugins);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "plugin directory " + plugins + ": directory " + open +
                " is writable by every user (mode 0777, owner " + user_ + ":" +
                group_ +
                "): whoever can write it can replace what is in it and run "
                "code in kpi-server; chmod go-w " +
                open + ", or pass --allow-writable-plugins");
  EXPECT_THAT(std::string(CheckFile(file).message()),
              HasSubstr("directory " + open + " is writable by every user"));
}

TEST_F(PluginFilePolicyTest, RefusesASymlinkInADirectoryEveryoneCanWrite) {
  Dir("safe", 0755);
  const std::string target = File("safe/p.so", 0755);
  const std::string open = Dir("open", 0777);
  const std::string link = Link("open/link.so", target);
  ASSERT_TRUE(CheckFile(target).ok());
  const absl::Status status = CheckFile(link);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("plugin file " + link + ": directory " + open +
                         " is writable by every user (mode 0777"));
}

TEST_F(PluginFilePolicyTest, ChecksASymlinkAtItsTarget) {
  Dir("safe", 0755);
  const std::string open = Dir("open", 0777);
  File("open/p.so", 0755);
  const std::string absolute = Link("safe/absolute.so", Path("open/p.so"));
  const std::string relative = Link("safe/relative.so", "../open/p.so");
  for (const std::string& link : {absolute, relative}) {
    EXPECT_THAT(std::string(CheckFile(link).message()),
                StartsWith("plugin file " + link + ": directory " + open +
                           " is writable by every user"))
        << link;
  }
  const std::string writable_target = File("safe/writable.so", 0666);
  const std::string link = Link("safe/to_writable.so", "writable.so");
  EXPECT_THAT(std::string(CheckFile(link).message()),
              StartsWith("plugin file " + link + ": file " + writable_target +
                         " is writable by every user (mode 0666"));
}

TEST_F(PluginFilePolicyTest, ChecksEverySymlinkOfAChain) {
  Dir("safe", 0755);
  const std::string target = File("safe/p.so", 0755);
  const std::string open = Dir("open", 0777);
  Link("open/second.so", target);
  const std::string first = Link("safe/first.so", Path("open/second.so"));
  EXPECT_THAT(std::string(CheckFile(first).message()),
              StartsWith("plugin file " + first + ": directory " + open +
                         " is writable by every user"));
}

TEST_F(PluginFilePolicyTest, ChecksTheDirectoriesAlongADirectorySymlink) {
  const std::string open = Dir("open", 0777);
  Dir("open/plugins", 0755);
  Dir("safe", 0755);
  const std::string alias = Link("safe/plugins", "../open/plugins");
  EXPECT_THAT(std::string(CheckDirectory(alias).message()),
              StartsWith("plugin directory " + alias + ": directory " + open +
                         " is writable by every user"));
  File("open/plugins/p.so", 0755);
  EXPECT_THAT(std::string(CheckFile(alias + "/p.so").message()),
              HasSubstr("directory " + open + " is writable by every user"));
}

TEST_F(PluginFilePolicyTest, AcceptsAStickyDirectoryOnTheWayLikeTmp) {
  Dir("sticky", 01777);
  const std::string plugins = Dir("sticky/plugins", 0755);
  EXPECT_TRUE(CheckDirectory(plugins).ok());
  EXPECT_TRUE(CheckFile(File("sticky/plugins/p.so", 0755)).ok());
  // A symlink's target may sit in one too: nobody else can replace it.
  const std::string target = File("sticky/p.so", 0755);
  Link("sticky/plugins/link.so", target);
  EXPECT_TRUE(CheckFile(Path("sticky/plugins/link.so")).ok());
}

TEST_F(PluginFilePolicyTest, RefusesAStickyPluginDirectory) {
  // Anyone could add files to it, and every *.so in it is loaded.
  const std::string sticky = Dir("sticky", 01777);
  const std::string file = File("sticky/p.so", 0755);
  EXPECT_THAT(std::string(CheckDirectory(sticky).message()),
              StartsWith("plugin directory " + sticky +
                         " is writable by every user (mode 1777"));
  EXPECT_THAT(std::string(CheckFile(file).message()),
              StartsWith("plugin file " + file + ": directory " + sticky +
                         " is writable by every user (mode 1777"));
}

TEST_F(PluginFilePolicyTest, RefusesFilesOwnedByNobodyWhenTheServerIsRoot) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown)";
  const std::string dir = Dir("plugins", 0755);
  const std::string file = File("plugins/p.so", 0755);
  ASSERT_EQ(chown(file.c_str(), kNobody, kNobody), 0);
  const absl::Status status = CheckFile(file);
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status.message(),
            "plugin file " + file +
                " is owned by nobody (uid 65534), not by root or the user "
                "kpi-server runs as (root): its owner can change it and so "
                "run code in kpi-server; chown root " +
                file + ", or pass --allow-writable-plugins");

  ASSERT_EQ(chown(file.c_str(), 0, 0), 0);
  ASSERT_TRUE(CheckFile(file).ok());
  ASSERT_EQ(chown(dir.c_str(), kNobody, kNobody), 0);
  EXPECT_THAT(std::string(CheckDirectory(dir).message()),
              StartsWith("plugin directory " + dir + " is owned by nobody"));
  EXPECT_THAT(std::string(CheckFile(file).message()),
              StartsWith("plugin file " + file + ": directory " + dir +
                         " is owned by nobody"));
}

TEST_F(PluginFilePolicyTest, RefusesASymlinkOwnedByNobody) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown)";
  Dir("plugins", 0755);
  const std::string target = File("plugins/p.so", 0755);
  const std::string link = Link("plugins/link.so", "p.so");
  ASSERT_EQ(lchown(link.c_str(), kNobody, kNobody), 0);
  EXPECT_EQ(CheckFile(link).message(),
            "plugin file " + link +
                " is owned by nobody (uid 65534), not by root or the user "
                "kpi-server runs as (root): its owner can change it and so "
                "run code in kpi-server; chown -h root " +
                link + ", or pass --allow-writable-plugins");
}

TEST_F(PluginFilePolicyTest, TrustsRootAndTheServersOwnUserOnly) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown)";
  const std::string dir = Dir("plugins", 0755);
  const std::string mine = File("plugins/mine.so", 0755);
  const std::string roots = File("plugins/roots.so", 0755);
  const std::string theirs = File("plugins/theirs.so", 0755);
  ASSERT_EQ(chown(dir.c_str(), kNobody, kNobody), 0);
  ASSERT_EQ(chown(mine.c_str(), kNobody, kNobody), 0);
  ASSERT_EQ(chown(theirs.c_str(), 4242, 4242), 0);
  // As if the server ran as nobody.
  auto check = [](const std::string& path) {
    return CheckPluginPath(path, PluginPathKind::kFile, "plugin file", kNobody);
  };
  EXPECT_TRUE(check(mine).ok());
  EXPECT_TRUE(check(roots).ok());
  EXPECT_THAT(std::string(check(theirs).message()),
              StartsWith("plugin file " + theirs +
                         " is owned by 4242 (uid 4242), not by root or the "
                         "user kpi-server runs as (nobody)"));
}

TEST_F(PluginFilePolicyTest, ResolvesPathsRelativeToTheWorkingDirectory) {
  Dir("safe", 0755);
  File("safe/p.so", 0755);
  Dir("open", 0777);
  File("open/p.so", 0755);
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(Path("safe"));
  const absl::Status safe = CheckFile("p.so");
  const absl::Status open = CheckFile("../open/p.so");
  std::filesystem::current_path(before);
  EXPECT_TRUE(safe.ok()) << safe;
  EXPECT_THAT(std::string(open.message()),
              StartsWith("plugin file ../open/p.so: directory " + Path("open") +
                         " is writable by every user"));
}

TEST_F(PluginFilePolicyTest, ReportsWhatIsMissingOrOfTheWrongKind) {
  Dir("plugins", 0755);
  const std::string missing = Path("plugins/missing.so");
  const absl::Status status = CheckFile(missing);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "plugin file " + missing + ": cannot stat " +
                                  missing + ": No such file or directory");
  const std::string directory = Dir("plugins/dir.so", 0755);
  EXPECT_EQ(CheckFile(directory).message(),
            "plugin file " + directory + " is not a regular file");
  const std::string loop = Link("plugins/loop.so", "loop.so");
  EXPECT_THAT(std::string(CheckFile(loop).message()),
              HasSubstr("more than 40 symlinks"));
}

// Through the registry: a refusal is a load refusal like any broken plugin;
// the others serve.
TEST_F(PluginFilePolicyTest, TheRegistryRefusesWhatThePolicyRefuses) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown)";
  const std::string plugins = Dir("plugins", 0755);
  const std::string open = Dir("open", 0777);
  File("plugins/a_good.so", 0755,
       testing::ReadFile(std::string(KPI_FIXTURE_PLUGIN_DIR) + "/a_good.so"));
  const std::string reload =
      testing::ReadFile(std::string(KPI_RELOAD_FIXTURE_DIR) + "/reload_v1.so");
  File("open/reload.so", 0755, reload);
  Link("plugins/b_linked.so", Path("open/reload.so"));
  const std::string nobodys = File("plugins/c_nobody.so", 0755, reload);
  ASSERT_EQ(chown(nobodys.c_str(), kNobody, kNobody), 0);
  File("plugins/d_group.so", 0775, reload);

  std::vector<std::string> log;
  MetricRegistry::Options options;
  absl::StatusOr<std::shared_ptr<const MetricRegistry>> registry =
      MetricRegistry::Load(
          {plugins}, [&](absl::string_view line) { log.emplace_back(line); },
          options);
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_NE((*registry)->Find("fixture_sum"), nullptr);
  EXPECT_EQ((*registry)->Find("fixture_reload_sum"), nullptr);
  EXPECT_THAT(
      log,
      ::testing::IsSupersetOf({
          StartsWith("refused plugin " + plugins +
                     "/b_linked.so: plugin file " + plugins +
                     "/b_linked.so: directory " + open +
                     " is writable by every user (mode 0777"),
          StartsWith("refused plugin " + nobodys + ": plugin file " + nobodys +
                     " is owned by nobody (uid 65534)"),
          StartsWith("refused plugin " + plugins + "/d_group.so: plugin file " +
                     plugins + "/d_group.so is writable by its group"),
      }));

  // The operator's escape hatch.
  options.allow_writable = true;
  registry = MetricRegistry::Load(
      {plugins}, [](absl::string_view) {}, options);
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_NE((*registry)->Find("fixture_reload_sum"), nullptr);
}

}  // namespace
}  // namespace kpi
