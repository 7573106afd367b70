// Stale private copies: what a crashed or killed server leaves in $TMPDIR is
// removed at start, and nothing else -- never a copy a live server or worker
// holds, nor anything that is not exactly a private copy of this user.
//
// Each test points TMPDIR at a private directory of its own.
#include "private_copy.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "live_config.h"
#include "plugin_worker.h"
#include "tests/support/temp_dir.h"
#include "worker_mailbox.h"

extern char** environ;

namespace kpi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr uid_t kNobody = 65534;

class StaleCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char root[] = "/tmp/kpi-copies-XXXXXX";
    ASSERT_NE(mkdtemp(root), nullptr);
    root_ = root;
    const char* previous = std::getenv("TMPDIR");
    if (previous != nullptr) previous_tmpdir_ = previous;
    setenv("TMPDIR", root_.c_str(), 1);
  }
  void TearDown() override {
    if (previous_tmpdir_) {
      setenv("TMPDIR", previous_tmpdir_->c_str(), 1);
    } else {
      unsetenv("TMPDIR");
    }
    std::filesystem::remove_all(root_);
  }

  // A directory as a crashed server leaves it: kpi-plugin-XXXXXX, 0700,
  // holding a plugin file.
  std::string LeftBehind(const std::string& name) {
    const std::string directory = root_ + "/" + name;
    EXPECT_EQ(mkdir(directory.c_str(), 0700), 0) << directory;
    std::ofstream(directory + "/plugin.so") << "plugin bytes";
    return directory;
  }
  std::string Source() {
    const std::string source = root_ + "/source.so";
    std::ofstream(source) << "plugin bytes";
    return source;
  }
  static bool Exists(const std::string& path) {
    struct stat info;
    return lstat(path.c_str(), &info) == 0;
  }

  std::string root_;
  std::optional<std::string> previous_tmpdir_;
};

TEST_F(StaleCopyTest, RemovesCopiesNobodyHolds) {
  const std::string a = LeftBehind("kpi-plugin-Ab3xYz");
  const std::string b = LeftBehind("kpi-plugin-000000");
  const StaleCopyCleanup cleanup = RemoveStalePrivateCopies(root_);
  EXPECT_THAT(cleanup.removed, UnorderedElementsAre(a, b));
  EXPECT_THAT(cleanup.problems, IsEmpty());
  EXPECT_FALSE(Exists(a));
  EXPECT_FALSE(Exists(b));
}

TEST_F(StaleCopyTest, KeepsTheCopiesOfALiveServer) {
  const std::string stale = LeftBehind("kpi-plugin-stale1");
  absl::StatusOr<PrivateCopy> copy = PrivateCopy::Make(Source());
  ASSERT_TRUE(copy.ok()) << copy.status();
  ASSERT_THAT(copy->path(), ::testing::StartsWith(root_ + "/kpi-plugin-"));
  EXPECT_THAT(RemoveStalePrivateCopies(root_).removed, ElementsAre(stale));
  EXPECT_TRUE(Exists(copy->path()));
  EXPECT_THAT(RemoveStalePrivateCopies(root_).removed, IsEmpty());
}

// A worker that outlives its server (killed) keeps the copy it loaded: the
// real kpi-plugin-worker, started as the server starts it, on a copy no
// server holds.
TEST_F(StaleCopyTest, KeepsACopyALiveWorkerLoaded) {
  const std::string directory = root_ + "/kpi-plugin-Worker";
  ASSERT_EQ(mkdir(directory.c_str(), 0700), 0);
  const std::string plugin = directory + "/a_good.so";
  {
    std::ifstream in(std::string(KPI_FIXTURE_PLUGIN_DIR) + "/a_good.so",
                     std::ios::binary);
    std::ofstream(plugin, std::ios::binary) << in.rdbuf();
  }
  int sockets[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sockets), 0);
  fcntl(sockets[0], F_SETFD, FD_CLOEXEC);
  const std::string binary = DefaultWorkerBinary();
  const std::string control_fd = absl::StrCat(sockets[1]);
  absl::StatusOr<WorkerMailbox> mailbox = WorkerMailbox::Create();
  ASSERT_TRUE(mailbox.ok()) << mailbox.status();
  const int inherited_mailbox = dup(mailbox->fd());  // without CLOEXEC
  const std::string mailbox_fd = absl::StrCat(inherited_mailbox);
  const char* argv[] = {
      binary.c_str(),     "--plugin",     plugin.c_str(),     "--control-fd",
      control_fd.c_str(), "--mailbox-fd", mailbox_fd.c_str(), nullptr};
  pid_t worker = 0;
  ASSERT_EQ(posix_spawn(&worker, binary.c_str(), nullptr, nullptr,
                        const_cast<char**>(argv), environ),
            0);
  close(sockets[1]);
  close(inherited_mailbox);
  // The worker reports once it has loaded the plugin, and locked the copy
  // before that.
  char report;
  ASSERT_EQ(read(sockets[0], &report, 1), 1);

  EXPECT_THAT(RemoveStalePrivateCopies(root_).removed, IsEmpty());
  EXPECT_TRUE(Exists(plugin));

  close(sockets[0]);  // as when the server dies: the worker exits
  int status = 0;
  ASSERT_EQ(waitpid(worker, &status, 0), worker);
  EXPECT_THAT(RemoveStalePrivateCopies(root_).removed, ElementsAre(directory));
}

TEST_F(StaleCopyTest, KeepsACopyHeldByAnotherProcess) {
  const std::string directory = LeftBehind("kpi-plugin-Holder");
  // flock(1) holds a shared lock on the directory, as HoldPrivateCopy does,
  // until its standard input closes.
  int ready[2], hold[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(hold), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, hold[0], 0);
  posix_spawn_file_actions_adddup2(&actions, ready[1], 1);
  posix_spawn_file_actions_addclose(&actions, hold[1]);
  posix_spawn_file_actions_addclose(&actions, ready[0]);
  const char* argv[] = {"flock", "--shared", directory.c_str(),
                        "sh",    "-c",       "echo locked; exec cat >/dev/null",
                        nullptr};
  pid_t holder = 0;
  ASSERT_EQ(posix_spawnp(&holder, "flock", &actions, nullptr,
                         const_cast<char**>(argv), environ),
            0);
  posix_spawn_file_actions_destroy(&actions);
  close(hold[0]);
  close(ready[1]);
  char line[8];
  ASSERT_GT(read(ready[0], line, sizeof(line)), 0);

  EXPECT_THAT(RemoveStalePrivateCopies(root_).removed, IsEmpty());
  EXPECT_TRUE(Exists(directory));

  close(hold[1]);
  int status = 0;
  ASSERT_EQ(waitpid(holder, &status, 0), holder);
  close(ready[0]);
  EXPECT_THAT(RemoveStalePrivateCopies(root_).removed, ElementsAre(directory));
}

TEST_F(StaleCopyTest, TouchesNothingButExactlyNamedPrivateDirectories) {
  // Names that only look alike.
  for (const std::string name :
       {"kpi-plugin-short", "kpi-plugin-toolong1", "kpi-plugin-ab.cde",
        "kpi-plugins-abcdef", "kpi-plugin-", "other"}) {
    LeftBehind(name);
  }
  // A symlink with the right name, to a directory that must survive.
  const std::string elsewhere = LeftBehind("elsewhere");
  ASSERT_EQ(symlink(elsewhere.c_str(), (root_ + "/kpi-plugin-Link01").c_str()),
            0);
  // Not a directory.
  std::ofstream(root_ + "/kpi-plugin-File01") << "a file";
  // Not private, or holding a directory: reported, left alone.
  const std::string shared = LeftBehind("kpi-plugin-Shared");
  chmod(shared.c_str(), 0755);
  const std::string nested = LeftBehind("kpi-plugin-Nested");
  ASSERT_EQ(mkdir((nested + "/inner").c_str(), 0700), 0);

  const StaleCopyCleanup cleanup = RemoveStalePrivateCopies(root_);
  EXPECT_THAT(cleanup.removed, IsEmpty());
  EXPECT_THAT(cleanup.problems,
              UnorderedElementsAre(
                  shared + ": mode 0755, not a private copy's 0700",
                  nested + ": holds a directory, inner, which a private copy "
                           "never does"));
  for (const std::string name :
       {"kpi-plugin-short", "kpi-plugin-toolong1", "kpi-plugin-ab.cde",
        "kpi-plugins-abcdef", "kpi-plugin-", "other", "kpi-plugin-Link01",
        "kpi-plugin-File01", "kpi-plugin-Shared", "kpi-plugin-Nested"}) {
    EXPECT_TRUE(Exists(root_ + "/" + name)) << name;
  }
  EXPECT_TRUE(Exists(elsewhere + "/plugin.so"));
}

TEST_F(StaleCopyTest, LeavesOtherUsersCopiesAlone) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root (chown)";
  const std::string theirs = LeftBehind("kpi-plugin-Theirs");
  ASSERT_EQ(chown(theirs.c_str(), kNobody, kNobody), 0);
  const StaleCopyCleanup cleanup = RemoveStalePrivateCopies(root_);
  EXPECT_THAT(cleanup.removed, IsEmpty());
  EXPECT_THAT(cleanup.problems, IsEmpty());
  EXPECT_TRUE(Exists(theirs + "/plugin.so"));
}

// Copies made and dropped while another server cleans the same directory
// over and over: no live copy is ever removed. (A copy the cleaner removes
// between mkdtemp and its lock is made again; that window is two system
// calls wide, so this stress test seldom reaches it.)
TEST_F(StaleCopyTest, CopiesMadeWhileCleaningSurvive) {
  const std::string source = Source();
  std::atomic<bool> done{false};
  std::thread cleaner([&] {
    while (!done.load()) RemoveStalePrivateCopies(root_);
  });
  // The cleaner is joined before any failure is reported: a failed ASSERT
  // here would leave the thread joinable and abort the test binary,
  // hiding the message.
  std::string failure;
  for (int i = 0; i < 300 && failure.empty(); ++i) {
    absl::StatusOr<PrivateCopy> copy = PrivateCopy::Make(source);
    if (!copy.ok()) {
      failure = absl::StrCat("copy ", i, ": ", copy.status().ToString());
      break;
    }
    std::this_thread::yield();
    if (!Exists(copy->path())) {
      failure =
          absl::StrCat("copy ", i, " removed while in use: ", copy->path());
    }
  }
  done = true;
  cleaner.join();
  EXPECT_EQ(failure, "");
}

TEST_F(StaleCopyTest, TheServerCleansAtStart) {
  const std::string stale = LeftBehind("kpi-plugin-AtStrt");
  testing::TempDir plugins;
  std::vector<std::string> log;
  absl::StatusOr<std::unique_ptr<LiveConfig>> live =
      LiveConfig::Load({plugins.path()}, {}, "",
                       [&](absl::string_view line) { log.emplace_back(line); });
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_FALSE(Exists(stale));
  EXPECT_THAT(log, ::testing::Contains(
                       "removed 1 stale private plugin copies (kpi-plugin-*) "
                       "from " +
                       root_ + ", left by servers or workers that are gone"));
}

}  // namespace
}  // namespace kpi
