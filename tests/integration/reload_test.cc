// Reloading a real kpi-server without a restart: by SIGHUP, by
// AdminService/Reload and by --watch, under concurrent load; failed
// replacements; and parameter profiles from a --profiles file.
//
// The plugin directory is private to each test and holds reload.so, a copy
// of reload_v1.so or reload_v2.so (plugin fixture_reload, metric
// fixture_reload_sum = the sum of `values`, versions 1.0.0 and 2.0.0).
#include <dirent.h>
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "kpi/v1/admin_service.grpc.pb.h"
#include "kpi/v1/metric_service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/raw_calls.h"
#include "tests/support/temp_dir.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::ServerProcess;

const std::string kReloadFixtures = KPI_RELOAD_FIXTURE_DIR;

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

v1::ComputeRequest SumRequest(std::initializer_list<double> values) {
  v1::ComputeRequest request;
  request.set_metric("fixture_reload_sum");
  v1::Column* column = request.add_columns();
  column->set_name("values");
  for (double v : values) column->mutable_doubles()->add_values(v);
  return request;
}

// A ComputeStream chunk of fixture_reload_sum with one value.
v1::ComputeStreamRequest SumChunk(double value) {
  v1::ComputeStreamRequest chunk;
  chunk.set_metric("fixture_reload_sum");
  v1::Column* column = chunk.add_columns();
  column->set_name("values");
  column->mutable_doubles()->add_values(value);
  return chunk;
}

class ReloadServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = directory_.path();
    Install(1);
  }
  void TearDown() override {
    // Close the channel first: the server's shutdown would otherwise wait
    // for the connection to go idle.
    metrics_.reset();
    admin_.reset();
    server_.reset();
  }
  void Start(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--plugin-dir", dir_});
    absl::StatusOr<std::unique_ptr<ServerProcess>> server =
        ServerProcess::Start(KPI_SERVER_BINARY, extra);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    metrics_ = v1::MetricService::NewStub(channel);
    admin_ = v1::AdminService::NewStub(channel);
  }
  std::string Plugin() const { return dir_ + "/reload.so"; }
  void Install(int version) { Install(absl::StrCat("reload_v", version)); }
  // A reload fixture by name (e.g. "reload_v1_1").
  void Install(const std::string& fixture) {
    directory_.Install("reload.so", ReadFile(absl::StrCat(kReloadFixtures, "/",
                                                          fixture, ".so")));
  }
  void InstallJunk() {
    directory_.Install("reload.so", "not a shared library\n");
  }
  v1::ReloadResponse ReloadByRpc() {
    v1::ReloadResponse response;
    grpc::Status status = admin_->Reload(Context().get(), {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }
  // Sends SIGHUP and waits until the server has logged the reload's end.
  void ReloadBySignal() {
    const size_t done = Count(server_->log(), "reloaded: ") +
                        Count(server_->log(), "reload failed");
    server_->Signal(SIGHUP);
    for (int i = 0; i < 1000; ++i) {
      const std::string log = server_->log();
      if (Count(log, "reloaded: ") + Count(log, "reload failed") > done) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no reload after SIGHUP; log:\n" << server_->log();
  }
  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  }
  // The version ListMetrics reports for fixture_reload_sum, "" if absent.
  std::string ListedVersion() {
    v1::ListMetricsResponse listed;
    EXPECT_TRUE(metrics_->ListMetrics(Context().get(), {}, &listed).ok());
    for (const v1::MetricInfo& metric : listed.metrics()) {
      if (metric.name() == "fixture_reload_sum") {
        EXPECT_EQ(metric.plugin_file(), Plugin());
        return metric.plugin_version();
      }
    }
    return "";
  }

  testing::TempDir directory_;
  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::MetricService::Stub> metrics_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

TEST_F(ReloadServerTest, TheAdminRpcReportsWhatChanged) {
  Start();
  EXPECT_EQ(ListedVersion(), "1.0.0");
  v1::ReloadResponse unchanged = ReloadByRpc();
  EXPECT_EQ(unchanged.changes_size(), 0);
  EXPECT_EQ(unchanged.metric_count(), 1);

  Install(2);
  v1::ReloadResponse replaced = ReloadByRpc();
  ASSERT_EQ(replaced.changes_size(), 1);
  EXPECT_EQ(replaced.changes(0).kind(), v1::PLUGIN_CHANGE_KIND_REPLACED);
  EXPECT_EQ(replaced.changes(0).file(), Plugin());
  EXPECT_EQ(replaced.changes(0).plugin(), "fixture_reload");
  EXPECT_EQ(replaced.changes(0).plugin_version(), "2.0.0");
  EXPECT_EQ(ListedVersion(), "2.0.0");
}

TEST_F(ReloadServerTest, SighupReloads) {
  Start();
  Install(2);
  ReloadBySignal();
  EXPECT_EQ(ListedVersion(), "2.0.0");
  EXPECT_THAT(
      server_->log(),
      HasSubstr("replaced plugin fixture_reload 2.0.0 from " + Plugin()));
}

TEST_F(ReloadServerTest, AFailedReplacementKeepsThePreviousVersionServing) {
  Start();
  InstallJunk();
  v1::ReloadResponse response = ReloadByRpc();
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).kind(), v1::PLUGIN_CHANGE_KIND_KEPT_PREVIOUS);
  EXPECT_EQ(response.changes(0).plugin_version(), "1.0.0");
  EXPECT_THAT(response.changes(0).reason(),
              HasSubstr("not a loadable shared library"));

  v1::ComputeResponse computed;
  grpc::Status status =
      metrics_->Compute(Context().get(), SumRequest({1, 2}), &computed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(computed.result().value(), 3);
  EXPECT_EQ(computed.result().plugin_version(), "1.0.0");
}

TEST_F(ReloadServerTest, ARemovedPluginStopsServing) {
  Start();
  directory_.Remove("reload.so");
  v1::ReloadResponse response = ReloadByRpc();
  ASSERT_EQ(response.changes_size(), 1);
  EXPECT_EQ(response.changes(0).kind(), v1::PLUGIN_CHANGE_KIND_REMOVED);
  EXPECT_EQ(response.metric_count(), 0);
  v1::ComputeResponse computed;
  EXPECT_EQ(metrics_->Compute(Context().get(), SumRequest({1}), &computed)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReloadServerTest, AStreamStartedBeforeAReloadFinishesOnTheOldVersion) {
  Start();
  v1::ComputeStreamResponse response;
  grpc::ClientContext context;
  auto stream = metrics_->ComputeStream(&context, &response);
  v1::ComputeStreamRequest chunk = SumChunk(5);
  ASSERT_TRUE(stream->Write(chunk));
  // The first chunk has been handled once a later call on the same channel
  // is answered: HTTP/2 keeps their order on the wire, and the handler reads
  // the chunk before it looks anything up.
  ASSERT_EQ(ListedVersion(), "1.0.0");

  Install(2);
  ASSERT_EQ(ReloadByRpc().changes_size(), 1);
  v1::ComputeResponse fresh;
  ASSERT_TRUE(metrics_->Compute(Context().get(), SumRequest({1}), &fresh).ok());
  EXPECT_EQ(fresh.result().plugin_version(), "2.0.0");

  chunk.clear_metric();
  ASSERT_TRUE(stream->Write(chunk));
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.result().value(), 10);
  EXPECT_EQ(response.result().plugin_version(), "1.0.0");
}

// Callers hammer the server (unary and streamed calls) while the plugin is
// replaced back and forth twenty times, by SIGHUP and by RPC, with one
// failed replacement among them: not one call may fail.
TEST_F(ReloadServerTest, ReloadsUnderConcurrentLoadFailNoCall) {
  Start();
  std::atomic<bool> stop{false};
  std::atomic<int> succeeded{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  std::set<std::string> versions;
  auto record = [&](const grpc::Status& status, const v1::MetricResult& result,
                    double expected) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!status.ok()) {
      failures.push_back(status.error_message());
    } else if (result.value() != expected) {
      failures.push_back(absl::StrCat("value ", result.value()));
    } else {
      versions.insert(result.plugin_version());
      ++succeeded;
    }
  };
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) {
    callers.emplace_back([&] {
      while (!stop) {
        v1::ComputeResponse response;
        grpc::Status status =
            metrics_->Compute(Context().get(), SumRequest({1, 2}), &response);
        record(status, response.result(), 3);
      }
    });
  }
  callers.emplace_back([&] {
    while (!stop) {
      v1::ComputeStreamResponse response;
      grpc::ClientContext context;
      auto stream = metrics_->ComputeStream(&context, &response);
      const v1::ComputeStreamRequest chunk = SumChunk(2);
      for (int i = 0; i < 5; ++i) {
        stream->Write(chunk);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      stream->WritesDone();
      grpc::Status status = stream->Finish();
      record(status, response.result(), 10);
    }
  });

  for (int round = 0; round < 20; ++round) {
    if (round == 10) {
      InstallJunk();
      ASSERT_EQ(ReloadByRpc().changes(0).kind(),
                v1::PLUGIN_CHANGE_KIND_KEPT_PREVIOUS);
    }
    Install(round % 2 == 0 ? 2 : 1);
    if (round % 2 == 0) {
      ReloadBySignal();
    } else {
      ASSERT_EQ(ReloadByRpc().changes_size(), 1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  stop = true;
  for (std::thread& caller : callers) caller.join();

  EXPECT_THAT(failures, ::testing::IsEmpty());
  EXPECT_GT(succeeded.load(), 100);
  EXPECT_EQ(versions, (std::set<std::string>{"1.0.0", "2.0.0"}));
  EXPECT_EQ(Count(server_->log(), "replaced plugin fixture_reload"), 20u);
}

// The server loads each plugin from a private copy under $TMPDIR, removed
// when the library is unloaded: once no call uses the old version, only the
// new version's copy is left.
TEST_F(ReloadServerTest, TheOldVersionIsUnloadedOnceNoCallUsesIt) {
  testing::TempDir tmp;
  const char* saved = getenv("TMPDIR");
  const std::string previous = saved != nullptr ? saved : "";
  setenv("TMPDIR", tmp.path().c_str(), 1);
  Start();
  if (previous.empty()) {
    unsetenv("TMPDIR");
  } else {
    setenv("TMPDIR", previous.c_str(), 1);
  }
  auto copies = [&] {
    std::vector<std::string> names;
    if (DIR* dir = opendir(tmp.path().c_str())) {
      while (dirent* entry = readdir(dir)) {
        if (std::string(entry->d_name).rfind("kpi-plugin-", 0) == 0) {
          names.push_back(entry->d_name);
        }
      }
      closedir(dir);
    }
    return names;
  };
  const std::vector<std::string> first = copies();
  ASSERT_EQ(first.size(), 1u);

  Install(2);
  ASSERT_EQ(ReloadByRpc().changes_size(), 1);
  const std::vector<std::string> after = copies();
  ASSERT_EQ(after.size(), 1u) << "the old version is still loaded";
  EXPECT_NE(after[0], first[0]);
}

// The typed methods follow the plugins: version 2.0.0 of the fixture moves
// its method to package ...v2 (a new major version, a new package), and
// the v1 method is gone with the old version -- through reflection too.
TEST_F(ReloadServerTest, TypedMethodsFollowAReloadThatChangesTheMajorVersion) {
  Start();
  // fixture_reload_sum's request: values = 3, packed doubles {1, 2}.
  std::string request = "\x1a\x10";
  for (const double value : {1.0, 2.0}) {
    request.append(reinterpret_cast<const char*>(&value), sizeof(value));
  }
  const std::string v1_method =
      "/kpi.plugins.fixture_reload.v1.FixtureReloadService/"
      "ComputeFixtureReloadSum";
  const std::string v2_method =
      "/kpi.plugins.fixture_reload.v2.FixtureReloadService/"
      "ComputeFixtureReloadSum";
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  std::string answer;
  ASSERT_TRUE(testing::RawUnary(channel, v1_method, request, &answer).ok());
  v1::ComputeResponse result;
  ASSERT_TRUE(result.ParseFromString(answer));
  EXPECT_EQ(result.result().value(), 3);
  EXPECT_EQ(testing::RawUnary(channel, v2_method, request).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);

  Install(2);
  ASSERT_EQ(ReloadByRpc().changes_size(), 1);
  const grpc::Status gone = testing::RawUnary(channel, v1_method, request);
  EXPECT_EQ(gone.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_THAT(gone.error_message(), HasSubstr(v1_method));
  ASSERT_TRUE(testing::RawUnary(channel, v2_method, request, &answer).ok());
  ASSERT_TRUE(result.ParseFromString(answer));
  EXPECT_EQ(result.result().value(), 3);
  const testing::CommandResult listed = testing::RunCommand(
      {KPI_BUF_BINARY, "curl", "--protocol", "grpc", "--http2-prior-knowledge",
       "--list-methods", absl::StrCat("http://", server_->address())});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(v2_method.substr(1)));
  EXPECT_THAT(listed.out, Not(HasSubstr(v1_method.substr(1))));
}

// Version 1.1.0 appends an input (offsets, added to the sum): the typed
// method keeps its path and its numbers, so a request written for 1.0.0
// still gets its answer, and one that sets the new field (4) is summed
// with it.
TEST_F(ReloadServerTest, TypedMethodsGainAnInputAppendedByAMinorVersion) {
  Start();
  const std::string method =
      "/kpi.plugins.fixture_reload.v1.FixtureReloadService/"
      "ComputeFixtureReloadSum";
  // values = 3 and offsets = 4, packed doubles.
  auto column = [](int field, std::vector<double> numbers) {
    std::string bytes(1, static_cast<char>((field << 3) | 2));
    bytes += static_cast<char>(numbers.size() * sizeof(double));
    for (const double number : numbers) {
      bytes.append(reinterpret_cast<const char*>(&number), sizeof(number));
    }
    return bytes;
  };
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  auto sum = [&](const std::string& request) {
    std::string answer;
    const grpc::Status status =
        testing::RawUnary(channel, method, request, &answer);
    v1::ComputeResponse response;
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(response.ParseFromString(answer));
    return response.result().value();
  };
  EXPECT_EQ(sum(column(3, {1, 2})), 3);

  Install("reload_v1_1");
  ASSERT_EQ(ReloadByRpc().changes_size(), 1);
  EXPECT_EQ(sum(column(3, {1, 2})), 3);
  EXPECT_EQ(sum(column(3, {1, 2}) + column(4, {10, 20})), 33);
}

TEST_F(ReloadServerTest, WatchReloadsWhenAPluginFileChanges) {
  Start({"--watch"});
  Install(2);
  std::string version;
  for (int i = 0; i < 500 && version != "2.0.0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    version = ListedVersion();
  }
  EXPECT_EQ(version, "2.0.0") << server_->log();

  directory_.Remove("reload.so");
  for (int i = 0; i < 500 && !version.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    version = ListedVersion();
  }
  EXPECT_EQ(version, "") << server_->log();
}

TEST_F(ReloadServerTest, AFailedReloadByDirectoryLossChangesNothing) {
  Start();
  const std::string moved = dir_ + ".moved";
  ASSERT_EQ(std::rename(dir_.c_str(), moved.c_str()), 0);
  v1::ReloadResponse response;
  grpc::Status status = admin_->Reload(Context().get(), {}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("does not exist"));
  EXPECT_EQ(ListedVersion(), "1.0.0");
  ASSERT_EQ(std::rename(moved.c_str(), dir_.c_str()), 0);
}

}  // namespace
}  // namespace kpi
