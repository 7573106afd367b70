// Plugin files against a real kpi-server: a plugin whose directory sits in
// a directory every user can write is refused while the rest serve
// (plugin_file_policy.h), and the private copies a killed server leaves in
// $TMPDIR are removed by the next server's start (private_copy.h).
#include <dirent.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::ServerProcess;
using testing::TempDir;

const std::string kFixtures = KPI_FIXTURE_PLUGIN_DIR;
const std::string kReloadFixtures = KPI_RELOAD_FIXTURE_DIR;

std::set<std::string> Metrics(const ServerProcess& server) {
  auto stub = v1::MetricService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  v1::ListMetricsResponse response;
  const grpc::Status status = stub->ListMetrics(&context, {}, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> names;
  for (const auto& metric : response.metrics()) names.insert(metric.name());
  return names;
}

// The kpi-plugin-* directories in `root`.
std::set<std::string> Copies(const std::string& root) {
  std::set<std::string> copies;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "kpi-plugin-")) copies.insert(name);
  }
  return copies;
}

TEST(PluginFilesTest, APluginUnderAWorldWritableDirectoryIsRefused) {
  TempDir good;
  good.Install("reload.so", ReadFile(kReloadFixtures + "/reload_v1.so"));
  TempDir base;
  const std::string open = base.File("open");
  const std::string plugins = open + "/plugins";
  ASSERT_EQ(mkdir(open.c_str(), 0700), 0);
  ASSERT_EQ(chmod(open.c_str(), 0777), 0);
  ASSERT_EQ(mkdir(plugins.c_str(), 0755), 0);
  const std::string file = plugins + "/a_good.so";
  std::ofstream(file, std::ios::binary) << ReadFile(kFixtures + "/a_good.so");
  ASSERT_EQ(chmod(file.c_str(), 0755), 0);

  absl::StatusOr<std::unique_ptr<ServerProcess>> server = ServerProcess::Start(
      KPI_SERVER_BINARY,
      {"--plugin-dir", good.path(), "--plugin-dir", plugins});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT((*server)->log(),
              HasSubstr("refused plugin " + plugins + "/a_good.so: plugin " +
                        "directory " + plugins + ": directory " + open +
                        " is writable by every user (mode 0777"));
  const std::set<std::string> served = Metrics(**server);
  EXPECT_TRUE(served.count("fixture_reload_sum"));
  EXPECT_FALSE(served.count("fixture_sum"));
  server->reset();
  std::filesystem::remove_all(open);
}

TEST(PluginFilesTest, TheNextServerRemovesTheCopiesOfAKilledOne) {
  char root_template[] = "/tmp/kpi-tmpdir-XXXXXX";
  ASSERT_NE(mkdtemp(root_template), nullptr);
  const std::string root = root_template;
  std::optional<std::string> previous;
  if (const char* tmpdir = std::getenv("TMPDIR")) previous = tmpdir;
  setenv("TMPDIR", root.c_str(), 1);  // inherited by the servers

  TempDir plugins;
  plugins.Install("reload.so", ReadFile(kReloadFixtures + "/reload_v1.so"));
  absl::StatusOr<std::unique_ptr<ServerProcess>> first =
      ServerProcess::Start(KPI_SERVER_BINARY, {"--plugin-dir", plugins.path()});
  ASSERT_TRUE(first.ok()) << first.status();
  const std::set<std::string> left = Copies(root);
  ASSERT_FALSE(left.empty());
  (*first)->Signal(SIGKILL);
  (*first)->Wait();
  // Its workers exit once they see it gone; until then they hold the copy.
  for (const std::string& name : left) {
    const std::string path = root + "/" + name;
    for (int i = 0; i < 500; ++i) {
      const int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      ASSERT_GE(fd, 0) << path;
      const bool free = flock(fd, LOCK_EX | LOCK_NB) == 0;
      close(fd);
      if (free) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_EQ(Copies(root), left);  // a kill leaves them behind

  absl::StatusOr<std::unique_ptr<ServerProcess>> second =
      ServerProcess::Start(KPI_SERVER_BINARY, {"--plugin-dir", plugins.path()});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(
      (*second)->log(),
      HasSubstr("removed " + std::to_string(left.size()) +
                " stale private plugin copies (kpi-plugin-*) from " + root));
  const std::set<std::string> now = Copies(root);
  EXPECT_FALSE(now.empty());  // the second server's own
  for (const std::string& name : left) EXPECT_FALSE(now.count(name));
  EXPECT_TRUE(Metrics(**second).count("fixture_reload_sum"));

  second->reset();
  if (previous) {
    setenv("TMPDIR", previous->c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace kpi
