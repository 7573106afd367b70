#include "plugin_worker.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "reply_watcher.h"
#include "shared_buffer.h"
#include "unix_io.h"
#include "worker_mailbox.h"
#include "worker_protocol.h"

extern char** environ;

namespace kpi {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kControlFd = 3;
constexpr int kMailboxFd = 4;
constexpr milliseconds kPollTick(20);
constexpr size_t kInitialChannelBytes = size_t{64} << 10;
constexpr size_t kMaxDescriptorBytes = size_t{64} << 20;
constexpr milliseconds kFirstBackoff(100);
constexpr milliseconds kMaxBackoff(30000);

std::atomic<bool> shutting_down{false};
std::mutex live_workers_mutex;
std::vector<PluginWorker*>& LiveWorkers() {
  static auto* workers = new std::vector<PluginWorker*>();
  return *workers;
}

std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    const char* name = sigabbrev_np(signal_number);
    return absl::StrCat("was killed by signal ", signal_number,
                        name ? absl::StrCat(" (SIG", name, ")") : "");
  }
  if (WIFEXITED(status)) {
    return absl::StrCat("exited with status ", WEXITSTATUS(status));
  }
  return "stopped";
}

// Waits for `pid` to exit (its sockets close a moment before it is a
// zombie) and returns its wait status; kills it if it lingers past a second.
int Reap(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    const pid_t reaped = waitpid(pid, &status, WNOHANG);
    if (reaped == pid) return status;
    if (reaped < 0 && errno != EINTR) return status;
    usleep(10000);
  }
  kill(pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// CPU time thread `tid` of process `pid` has used (user + system; the
// whole process's when `tid` is 0), or 0 if unknown.
milliseconds CpuTime(pid_t pid, uint32_t tid) {
  std::ifstream stat(tid == 0
                         ? absl::StrCat("/proc/", pid, "/stat")
                         : absl::StrCat("/proc/", pid, "/task/", tid, "/stat"));
  std::string line;
  if (!std::getline(stat, line)) return milliseconds(0);
  // Fields after the command name, which is in parentheses and may hold
  // spaces: state is field 3, utime and stime fields 14 and 15.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return milliseconds(0);
  std::istringstream fields(line.substr(close + 2));
  std::string field;
  uint64_t user = 0, system = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) user = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15) system = std::strtoull(field.c_str(), nullptr, 10);
  }
  return milliseconds((user + system) * 1000 / sysconf(_SC_CLK_TCK));
}

// Resident memory of `pid` in bytes, or 0 if unknown.
uint64_t ResidentBytes(pid_t pid) {
  std::ifstream statm(absl::StrCat("/proc/", pid, "/statm"));
  uint64_t pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

std::string Mib(uint64_t bytes) { return absl::StrCat(bytes >> 20, " MiB"); }

std::string Seconds(milliseconds duration) {
  return duration.count() % 1000 == 0
             ? absl::StrCat(duration.count() / 1000, " s")
             : absl::StrCat(duration.count(), " ms");
}

}  // namespace

std::string DefaultWorkerBinary() {
  char self[4096];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n > 0) {
    std::string beside(self, static_cast<size_t>(n));
    beside = beside.substr(0, beside.rfind('/') + 1) + "kpi-plugin-worker";
    if (access(beside.c_str(), X_OK) == 0) return beside;
  }
  return KPI_PLUGIN_WORKER_BUILD_PATH;
}

struct PluginWorker::Channel {
  Channel(uint32_t channel_number, SharedBuffer shared)
      : number(channel_number), buffer(std::move(shared)) {}
  const uint32_t number;  // in the order handed to the worker
  SharedBuffer buffer;
  // While a request is in flight (guarded by the process's mutex):
  bool busy = false;
  const Cancellation* cancellation = nullptr;
  ReplyCallback done;
  Wait wait;
};

struct PluginWorker::Process {
  ~Process() {
    if (!reaped && pid > 0) {
      kill(pid, SIGKILL);
      int status;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
    close(control);
  }
  pid_t pid = 0;
  // The control socket: channels' buffers go to the worker on it, and the
  // worker's doorbell bytes (replies posted) come back on it.
  int control = -1;
  uint64_t generation = 0;
  std::atomic<bool> dead{false};
  std::optional<WorkerMailbox> mailbox;  // made before the spawn

  // A request that found every channel busy (SendThen), written aside.
  struct Parked {
    std::string bytes;
    const Cancellation* cancellation;
    ReplyCallback done;
  };

  std::mutex mutex;  // guards what follows
  // Every channel opened, by number (null while one is being opened).
  std::vector<std::unique_ptr<Channel>> channels;
  size_t channels_counted = 0;  // opened or being opened
  std::vector<Channel*> idle;
  std::deque<Parked> parked;  // sent first come, first served
  std::chrono::steady_clock::time_point last_sweep;  // of `parked`
  // Being spawned (a restart): no pid, no channels yet; calls wait.
  bool starting = false;
  bool reaped = false;
  absl::Status death;       // what its calls get, once dead
  std::string kill_reason;  // why the server stopped it, if it did
  absl::StatusCode kill_code = absl::StatusCode::kUnavailable;

  // One channel handed over at a time: the worker numbers channels in the
  // order they come.
  std::mutex control_mutex;
  uint32_t channels_sent = 0;
  std::mutex requests_mutex;  // one producer on the request ring
  std::mutex replies_mutex;   // one consumer on the reply ring
};

// Watches one worker process on a reply thread: the doorbell bytes it
// writes on the control socket when it posts replies, and the socket's
// end when it dies. Lives as long as the process.
class PluginWorker::ProcessWatch final : public ReplyWatcher::Waiter {
 public:
  ProcessWatch(std::weak_ptr<PluginWorker> worker,
               std::shared_ptr<Process> process)
      : worker_(std::move(worker)), process_(std::move(process)) {}

  int fd() const override { return process_->control; }

  bool Readable() override {
    const bool closed = DrainDoorbells();
    // A worker unloaded meanwhile had nothing in flight (calls keep it).
    const std::shared_ptr<PluginWorker> worker = worker_.lock();
    if (worker == nullptr) return closed;
    if (!process_->dead) worker->TakeReplies(process_);
    if (closed) {
      worker->Died(*process_, "", absl::StatusCode::kUnavailable).IgnoreError();
    }
    return closed;
  }

  std::optional<absl::Status> Check() override {
    if (const std::shared_ptr<PluginWorker> worker = worker_.lock()) {
      if (!process_->dead) worker->CheckCalls(process_);
    }
    return std::nullopt;
  }

  // Only when the socket cannot be watched: the worker is of no use.
  void Ended(absl::Status status) override {
    if (const std::shared_ptr<PluginWorker> worker = worker_.lock()) {
      worker
          ->Died(*process_, std::string(status.message()),
                 absl::StatusCode::kUnavailable)
          .IgnoreError();
    }
  }

 private:
  // Reads every doorbell byte there is; true at the socket's end.
  bool DrainDoorbells() {
    char bytes[256];
    for (;;) {
      const ssize_t n =
          recv(process_->control, bytes, sizeof(bytes), MSG_DONTWAIT);
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
    }
  }

  const std::weak_ptr<PluginWorker> worker_;
  const std::shared_ptr<Process> process_;
};

std::string PluginWorker::plugin_name() const {
  return descriptor_ ? descriptor().name : path_;
}

void PluginWorker::Log(absl::string_view line) const {
  if (options_.log) options_.log(line);
}

absl::StatusOr<std::shared_ptr<PluginWorker::Process>> PluginWorker::Spawn(
    bool run_checks, bool exit_after_load, std::string* descriptor) {
  auto process = std::make_shared<Process>();
  if (absl::Status s =
          SpawnInto(process, run_checks, exit_after_load, descriptor);
      !s.ok()) {
    return s;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  process->generation = next_generation_++;
  return process;
}

absl::Status PluginWorker::SpawnInto(const std::shared_ptr<Process>& shared,
                                     bool run_checks, bool exit_after_load,
                                     std::string* descriptor) {
  Process& process = *shared;
  absl::StatusOr<WorkerMailbox> mailbox = WorkerMailbox::Create();
  if (!mailbox.ok()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "cannot create a worker mailbox: ", mailbox.status().message()));
  }
  process.mailbox.emplace(*std::move(mailbox));
  int sockets[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot create a worker socket: ", std::strerror(errno)));
  }
  // dup2 onto itself would keep CLOEXEC, and the mailbox's dup2 would
  // replace it.
  if (sockets[1] == kControlFd || sockets[1] == kMailboxFd) {
    const int moved = fcntl(sockets[1], F_DUPFD_CLOEXEC, 10);
    close(sockets[1]);
    sockets[1] = moved;
  }
  const std::string binary =
      options_.binary.empty() ? DefaultWorkerBinary() : options_.binary;
  std::vector<std::string> args = {binary,
                                   "--plugin",
                                   path_,
                                   "--control-fd",
                                   absl::StrCat(kControlFd),
                                   "--mailbox-fd",
                                   absl::StrCat(kMailboxFd),
                                   "--memory-limit-bytes",
                                   absl::StrCat(options_.memory_limit_bytes)};
  if (run_checks) args.push_back("--check");
  if (exit_after_load) args.push_back("--exit-after-load");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sockets[1], kControlFd);
  // A copy above both numbers, so neither dup2 undoes the other.
  const int mailbox_fd = fcntl(process.mailbox->fd(), F_DUPFD_CLOEXEC, 10);
  posix_spawn_file_actions_adddup2(&actions, mailbox_fd, kMailboxFd);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own session: a terminal's Ctrl-C reaches the server, which stops
  // its workers itself. No blocked signals, default dispositions.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) {
    sigaddset(&defaults, s);
  }
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID |
                                            POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, &attributes,
                                  argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close(sockets[1]);
  close(mailbox_fd);
  if (spawned != 0) {
    close(sockets[0]);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start the plugin worker ", binary, ": ",
                     std::strerror(spawned)));
  }
  process.pid = pid;
  process.control = sockets[0];

  std::string frame;
  const ReadResult read =
      ReceiveFrame(process.control, Clock::now() + options_.start_timeout,
                   kMaxDescriptorBytes, &frame);
  if (read != ReadResult::kOk) {
    std::string why;
    if (read == ReadResult::kTimeout) {
      kill(pid, SIGKILL);
      why = absl::StrCat("did not finish loading within ",
                         Seconds(options_.start_timeout),
                         " (its worker was killed)");
    } else if (read == ReadResult::kTooLarge) {
      kill(pid, SIGKILL);
      why = "sent a descriptor larger than 64 MiB";
    }
    const int status = Reap(pid);
    process.reaped = true;
    if (why.empty()) {
      why = absl::StrCat("crashed while loading: its worker ",
                         DescribeExit(status));
    }
    return absl::FailedPreconditionError(why);
  }
  WireReader in(frame);
  if (absl::Status loaded = ReadReply(in, descriptor); !loaded.ok()) {
    return absl::FailedPreconditionError(loaded.message());
  }
  if (exit_after_load) {
    const int status = Reap(pid);
    process.reaped = true;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "crashed after loading: its worker ", DescribeExit(status)));
    }
    return absl::OkStatus();
  }
  ReplyWatcher::For(process.control)
      .Watch(std::make_unique<ProcessWatch>(weak_from_this(), shared));
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<PluginWorker>> PluginWorker::Start(
    const std::string& path, WorkerOptions options) {
  std::shared_ptr<PluginWorker> worker(
      new PluginWorker(path, std::move(options)));
  absl::StatusOr<std::shared_ptr<Process>> process = worker->Spawn(
      worker->options_.run_checks, false, &worker->descriptor_bytes_);
  if (!process.ok()) return process.status();
  WireReader in(worker->descriptor_bytes_);
  absl::StatusOr<std::unique_ptr<const DescriptorCopy>> copy =
      DescriptorCopy::Read(in);
  if (!copy.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "its worker sent a malformed descriptor: ", copy.status().message()));
  }
  worker->descriptor_ = *std::move(copy);
  worker->current_ = *std::move(process);
  std::lock_guard<std::mutex> lock(live_workers_mutex);
  LiveWorkers().push_back(worker.get());
  return worker;
}

absl::Status PluginWorker::Check(const std::string& path,
                                 const WorkerOptions& options) {
  PluginWorker worker(path, options);
  std::string descriptor;
  return worker.Spawn(options.run_checks, true, &descriptor).status();
}

PluginWorker::~PluginWorker() {
  {
    std::lock_guard<std::mutex> lock(live_workers_mutex);
    auto& workers = LiveWorkers();
    workers.erase(std::remove(workers.begin(), workers.end(), this),
                  workers.end());
  }
  // Its ProcessWatch holds the process until the socket closes: end it
  // now, and reap it. Nothing is in flight (calls keep their plugin's
  // worker alive).
  std::shared_ptr<Process> process;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    process = current_;
  }
  if (process == nullptr) return;
  std::lock_guard<std::mutex> lock(process->mutex);
  if (!process->dead && !process->reaped && process->pid > 0) {
    kill(process->pid, SIGKILL);
    Reap(process->pid);
    process->reaped = true;
  }
}

void PluginWorker::KillAll(absl::string_view why) {
  shutting_down = true;
  std::lock_guard<std::mutex> lock(live_workers_mutex);
  for (PluginWorker* worker : LiveWorkers()) {
    std::shared_ptr<Process> process;
    {
      std::lock_guard<std::mutex> worker_lock(worker->mutex_);
      process = worker->current_;
    }
    if (process == nullptr) continue;
    std::lock_guard<std::mutex> process_lock(process->mutex);
    if (process->dead || !process->kill_reason.empty()) continue;
    process->kill_reason = std::string(why);
    // One still starting is stopped as soon as it is up (FinishRestart).
    if (!process->starting) kill(process->pid, SIGKILL);
  }
}

uint64_t PluginWorker::NewCall() {
  std::lock_guard<std::mutex> lock(mutex_);
  return next_call_++;
}

void PluginWorker::Drop(uint64_t generation, uint64_t call) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_ != nullptr && current_->generation == generation) {
    drops_.emplace_back(generation, call);
  }
}

bool PluginWorker::serving() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return consecutive_failures_ < kUnhealthyAfter;
}

pid_t PluginWorker::pid() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_ && !current_->dead ? current_->pid : 0;
}

uint64_t PluginWorker::restarts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return restarts_;
}

absl::Status PluginWorker::Died(Process& process,
                                const std::string& kill_reason,
                                absl::StatusCode kill_code) {
  std::unique_lock<std::mutex> lock(process.mutex);
  if (!kill_reason.empty() && process.kill_reason.empty() && !process.dead) {
    process.kill_reason = kill_reason;
    process.kill_code = kill_code;
    kill(process.pid, SIGKILL);
  }
  if (process.dead) return process.death;
  const int status = Reap(process.pid);
  process.reaped = true;
  const bool killed_by_us = !process.kill_reason.empty();
  const std::string how =
      killed_by_us ? absl::StrCat("was stopped: ", process.kill_reason)
                   : DescribeExit(status);
  process.death = absl::Status(
      killed_by_us ? process.kill_code : absl::StatusCode::kUnavailable,
      absl::StrCat("plugin '", plugin_name(), "': its worker ", how));
  process.dead = true;
  const absl::Status death = process.death;
  // Its calls in flight get the death; one already cancelled, its
  // cancellation.
  std::vector<std::pair<ReplyCallback, absl::Status>> failed;
  for (const std::unique_ptr<Channel>& channel : process.channels) {
    if (channel == nullptr || !channel->busy) continue;
    channel->busy = false;
    failed.emplace_back(
        std::move(channel->done),
        channel->wait.cancelled.ok() ? death : channel->wait.cancelled);
  }
  process.idle.clear();
  for (Process::Parked& request : process.parked) {
    failed.emplace_back(std::move(request.done), death);
  }
  process.parked.clear();
  milliseconds backoff;
  int failures;
  {
    std::lock_guard<std::mutex> worker_lock(mutex_);
    failures = ++consecutive_failures_;
    backoff = std::min(kMaxBackoff,
                       kFirstBackoff * (1 << std::min(failures - 1, 16)));
    restart_after_ = Clock::now() + backoff;
    last_death_ = process.death;
    drops_.clear();
  }
  // A shutdown's kills are no news.
  if (!shutting_down) {
    Log(absl::StrCat(
        "plugin ", plugin_name(), ": worker pid ", process.pid, " ", how, "; ",
        failures, " failure", failures == 1 ? "" : "s",
        " in a row, restarting on the next call after ", Seconds(backoff)));
  }
  lock.unlock();
  for (auto& [done, status] : failed) std::move(done)(status, {});
  return death;
}

absl::StatusOr<std::shared_ptr<PluginWorker::Process>> PluginWorker::Live(
    uint64_t generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_ != nullptr && !current_->dead &&
      (generation == 0 || generation == current_->generation)) {
    return current_;
  }
  if (generation != 0) {
    return absl::UnavailableError(
        absl::StrCat("plugin '", plugin_name(),
                     "': its worker was replaced while this call ran (",
                     last_death_.message(), ")"));
  }
  if (shutting_down) {
    return absl::UnavailableError(absl::StrCat(
        "plugin '", plugin_name(), "': the server is shutting down"));
  }
  const auto wait =
      std::chrono::duration_cast<milliseconds>(restart_after_ - Clock::now());
  if (wait.count() > 0) {
    return absl::UnavailableError(absl::StrCat(
        last_death_.message(), "; restarting it in ", Seconds(wait)));
  }
  // The restart runs on a thread of its own, however long the plugin takes
  // to load; calls meanwhile wait for it in the new process's queue.
  auto process = std::make_shared<Process>();
  process->generation = next_generation_++;
  process->starting = true;
  current_ = process;
  std::thread([self = shared_from_this(), process] {
    self->FinishRestart(process);
  }).detach();
  return current_;
}

void PluginWorker::FinishRestart(const std::shared_ptr<Process>& process) {
  std::string descriptor;
  absl::Status failure = SpawnInto(process, /*run_checks=*/false,
                                   /*exit_after_load=*/false, &descriptor);
  if (failure.ok() && descriptor != descriptor_bytes_) {
    failure = absl::FailedPreconditionError(
        "the restarted worker declared a different descriptor");
  }
  if (failure.ok()) {
    bool stop;
    {
      std::lock_guard<std::mutex> lock(process->mutex);
      process->starting = false;
      stop = !process->kill_reason.empty();  // KillAll came meanwhile
      if (stop) kill(process->pid, SIGKILL);
    }
    if (stop) {
      Died(*process, "", absl::StatusCode::kUnavailable).IgnoreError();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++restarts_;
    }
    Log(absl::StrCat("plugin ", plugin_name(), ": worker restarted (pid ",
                     process->pid, ")"));
    StartParked(process);
    return;
  }
  absl::Status death;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++consecutive_failures_;
    restart_after_ =
        Clock::now() +
        std::min(kMaxBackoff,
                 kFirstBackoff * (1 << std::min(consecutive_failures_, 16)));
    last_death_ = absl::UnavailableError(
        absl::StrCat("plugin '", plugin_name(),
                     "': restarting its worker failed: ", failure.message()));
    death = last_death_;
  }
  Log(death.message());
  std::deque<Process::Parked> parked;
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->pid > 0 && !process->reaped) {
      kill(process->pid, SIGKILL);
      Reap(process->pid);
      process->reaped = true;
    }
    process->starting = false;
    process->dead = true;
    process->death = death;
    parked = std::move(process->parked);
    process->parked.clear();
  }
  for (Process::Parked& request : parked) std::move(request.done)(death, {});
}

absl::StatusOr<PluginWorker::Channel*> PluginWorker::TryAcquire(
    Process& process) {
  {
    std::lock_guard<std::mutex> lock(process.mutex);
    if (process.dead) return process.death;
    if (process.starting) return nullptr;
    if (!process.idle.empty()) {
      Channel* channel = process.idle.back();
      process.idle.pop_back();
      return channel;
    }
    if (process.channels_counted >=
        std::min<size_t>(options_.max_channels, WorkerMailbox::kMaxChannels)) {
      return nullptr;
    }
    ++process.channels_counted;
  }
  return OpenChannel(process);
}

absl::StatusOr<PluginWorker::Channel*> PluginWorker::OpenChannel(
    Process& process) {
  absl::StatusOr<SharedBuffer> buffer =
      SharedBuffer::Create(kInitialChannelBytes);
  if (!buffer.ok()) {
    std::lock_guard<std::mutex> lock(process.mutex);
    --process.channels_counted;
    return absl::ResourceExhaustedError(absl::StrCat(
        "plugin '", plugin_name(), "': cannot open a worker channel"));
  }
  std::unique_ptr<Channel> channel;
  bool sent;
  {
    std::lock_guard<std::mutex> control(process.control_mutex);
    channel =
        std::make_unique<Channel>(process.channels_sent, *std::move(buffer));
    const int fd = channel->buffer.fd();
    sent = SendFds(process.control, &fd, 1);
    if (sent) ++process.channels_sent;
  }
  if (!sent) return Died(process, "", absl::StatusCode::kUnavailable);
  Channel* opened = channel.get();
  std::lock_guard<std::mutex> lock(process.mutex);
  if (process.channels.size() <= opened->number) {
    process.channels.resize(opened->number + 1);
  }
  process.channels[opened->number] = std::move(channel);
  return opened;
}

void PluginWorker::Release(const std::shared_ptr<Process>& process,
                           Channel* channel) {
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->dead) return;
    process->idle.push_back(channel);
    if (process->parked.empty()) return;
  }
  StartParked(process);
}

absl::Status PluginWorker::Exchange(
    uint64_t& generation, const std::function<void(WireWriter&)>& write,
    std::string* result, const Cancellation* cancellation) {
  struct Answer {
    std::mutex mutex;
    std::condition_variable given;
    bool answered = false;
    absl::Status status;
    std::string result;
  };
  auto answer = std::make_shared<Answer>();
  const absl::Status sent =
      SendThen(generation, write, cancellation,
               [answer](absl::Status status, std::string bytes) {
                 std::lock_guard<std::mutex> lock(answer->mutex);
                 answer->status = std::move(status);
                 answer->result = std::move(bytes);
                 answer->answered = true;
                 answer->given.notify_all();
               });
  if (!sent.ok()) return sent;
  std::unique_lock<std::mutex> lock(answer->mutex);
  answer->given.wait(lock, [&answer] { return answer->answered; });
  *result = std::move(answer->result);
  return answer->status;
}

absl::Status PluginWorker::Post(const std::shared_ptr<Process>& process,
                                Channel* channel,
                                const std::function<void(WireWriter&)>& write,
                                const Cancellation* cancellation,
                                ReplyCallback done) {
  SharedBuffer& buffer = channel->buffer;
  WireWriter out([&buffer](size_t size) -> char* {
    char* base = buffer.Reserve(kBodyOffset + size);
    return base ? base + kBodyOffset : nullptr;
  });
  WriteRequest(process->generation, out, write);
  if (!out.ok()) {
    Release(process, channel);
    return NoMemoryForChunk();
  }
  return Ring(process, channel, out.size(), cancellation, std::move(done));
}

absl::Status PluginWorker::NoMemoryForChunk() const {
  return absl::ResourceExhaustedError(
      absl::StrCat("plugin '", plugin_name(),
                   "': no memory to pass this chunk to its worker"));
}

absl::Status PluginWorker::SendThen(
    uint64_t& generation, const std::function<void(WireWriter&)>& write,
    const Cancellation* cancellation, ReplyCallback done) {
  absl::StatusOr<std::shared_ptr<Process>> live = Live(generation);
  if (!live.ok()) return live.status();
  std::shared_ptr<Process> process = *std::move(live);
  absl::StatusOr<Channel*> channel = TryAcquire(*process);
  if (!channel.ok()) return channel.status();
  generation = process->generation;
  if (*channel != nullptr) {
    return Post(process, *channel, write, cancellation, std::move(done));
  }
  Process::Parked parked{std::string(), cancellation, std::move(done)};
  std::string& bytes = parked.bytes;
  WireWriter out([&bytes](size_t size) -> char* {
    if (bytes.size() < size) bytes.resize(std::max(size, 2 * bytes.size()));
    return bytes.data();
  });
  WriteRequest(generation, out, write);
  bytes.resize(out.size());
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->dead) return process->death;
    process->parked.push_back(std::move(parked));
  }
  // A channel may have freed since TryAcquire.
  StartParked(process);
  return absl::OkStatus();
}

void PluginWorker::StartParked(const std::shared_ptr<Process>& process) {
  for (;;) {
    Channel* channel = nullptr;
    Process::Parked next;
    {
      std::lock_guard<std::mutex> lock(process->mutex);
      if (process->dead || process->starting || process->parked.empty()) {
        return;  // FinishRestart starts them once the worker is up
      }
      if (!process->idle.empty()) {
        channel = process->idle.back();
        process->idle.pop_back();
      } else if (process->channels_counted <
                 std::min<size_t>(options_.max_channels,
                                  WorkerMailbox::kMaxChannels)) {
        ++process->channels_counted;
      } else {
        return;  // the next channel given back starts it
      }
      next = std::move(process->parked.front());
      process->parked.pop_front();
    }
    if (channel == nullptr) {
      absl::StatusOr<Channel*> opened = OpenChannel(*process);
      if (!opened.ok()) {
        std::move(next.done)(opened.status(), {});
        continue;
      }
      channel = *opened;
    }
    // A call that ended while it waited is not sent.
    if (next.cancellation != nullptr) {
      if (absl::Status s = next.cancellation->Check(); !s.ok()) {
        Release(process, channel);
        std::move(next.done)(s, {});
        continue;
      }
    }
    char* base = channel->buffer.Reserve(kBodyOffset + next.bytes.size());
    if (base == nullptr) {
      Release(process, channel);
      std::move(next.done)(NoMemoryForChunk(), {});
      continue;
    }
    std::memcpy(base + kBodyOffset, next.bytes.data(), next.bytes.size());
    // Not sent (the worker died meanwhile): `done` is still ours.
    ReplyCallback done = std::move(next.done);
    const absl::Status sent = Ring(process, channel, next.bytes.size(),
                                   next.cancellation, std::move(done));
    if (!sent.ok()) return;  // Died failed the rest
  }
}

void PluginWorker::WriteRequest(uint64_t generation, WireWriter& out,
                                const std::function<void(WireWriter&)>& write) {
  std::vector<uint64_t> drops;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [drop_generation, call] : drops_) {
      if (drop_generation == generation) drops.push_back(call);
    }
    drops_.clear();
  }
  for (uint64_t call : drops) WriteCallOp(out, WorkerOp::kDrop, call);
  write(out);
}

absl::Status PluginWorker::Ring(const std::shared_ptr<Process>& process,
                                Channel* channel, size_t size,
                                const Cancellation* cancellation,
                                ReplyCallback done) {
  ChannelHeader& header = channel->buffer.header();
  header.cancel.store(kNotCancelled, std::memory_order_relaxed);
  // Until a worker thread takes the request: no thread's CPU is its.
  header.worker_thread.store(0, std::memory_order_relaxed);
  header.used = size;
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->dead) return process->death;
    channel->busy = true;
    channel->cancellation = cancellation;
    channel->done = std::move(done);
    channel->wait = Wait();
  }
  bool queued;
  {
    std::lock_guard<std::mutex> lock(process->requests_mutex);
    queued = process->mailbox->PushRequest(channel->number);
  }
  // Only a worker that wrote over the ring's counters fills it.
  if (!queued) {
    Died(*process, "it corrupted its request ring", absl::StatusCode::kInternal)
        .IgnoreError();
  }
  return absl::OkStatus();
}

void PluginWorker::SweepParked(Process& process) {
  std::vector<std::pair<Process::Parked, absl::Status>> ended;
  {
    std::lock_guard<std::mutex> lock(process.mutex);
    const Clock::time_point now = Clock::now();
    if (now - process.last_sweep < kPollTick) return;
    process.last_sweep = now;
    for (auto it = process.parked.begin(); it != process.parked.end();) {
      absl::Status status = it->cancellation == nullptr
                                ? absl::OkStatus()
                                : it->cancellation->Check();
      if (status.ok()) {
        ++it;
        continue;
      }
      ended.emplace_back(std::move(*it), std::move(status));
      it = process.parked.erase(it);
    }
  }
  for (auto& [request, status] : ended) {
    std::move(request.done)(std::move(status), {});
  }
}

void PluginWorker::TakeReplies(const std::shared_ptr<Process>& process) {
  do {
    for (;;) {
      absl::StatusOr<std::optional<uint32_t>> next;
      {
        std::lock_guard<std::mutex> lock(process->replies_mutex);
        next = process->mailbox->PopReply();
      }
      if (!next.ok()) {
        Died(*process, "it sent a malformed reply", absl::StatusCode::kInternal)
            .IgnoreError();
        return;
      }
      if (!next->has_value()) break;
      TakeReply(process, **next);
      if (process->dead) return;
    }
  } while (process->mailbox->ArmServer());
}

void PluginWorker::TakeReply(const std::shared_ptr<Process>& process,
                             uint32_t number) {
  Channel* channel = nullptr;
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->dead) return;
    if (number < process->channels.size() &&
        process->channels[number] != nullptr &&
        process->channels[number]->busy) {
      channel = process->channels[number].get();
    }
  }
  // The channel is ours until given back: the worker is done with it.
  // A reply past 2 GiB is a worker gone wrong, not a result.
  std::string result;
  absl::Status status;
  bool malformed = channel == nullptr;
  if (!malformed) {
    SharedBuffer& buffer = channel->buffer;
    const uint64_t used = buffer.header().used;
    malformed =
        used > (uint64_t{1} << 31) || !buffer.MapAtLeast(kBodyOffset + used);
    if (!malformed) {
      WireReader in(buffer.data() + kBodyOffset, used);
      status = ReadReply(in, &result);
      malformed = !in.status().ok();
    }
  }
  if (malformed) {
    Died(*process, "it sent a malformed reply", absl::StatusCode::kInternal)
        .IgnoreError();
    return;
  }
  ReplyCallback done;
  bool parked;
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->dead) return;  // Died answered it
    done = std::move(channel->done);
    channel->busy = false;
    channel->cancellation = nullptr;
    process->idle.push_back(channel);
    parked = !process->parked.empty();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    consecutive_failures_ = 0;
  }
  if (parked) StartParked(process);
  std::move(done)(std::move(status), std::move(result));
}

void PluginWorker::CheckCalls(const std::shared_ptr<Process>& process) {
  // While its channels are busy, calls waiting for one that end (deadline,
  // client gone) are answered now, and their requests freed.
  SweepParked(*process);
  const Clock::time_point now = Clock::now();
  bool busy = false;
  // A call whose plugin code ran on past the grace after its cancellation:
  // it gets its cancellation, and the worker is stopped.
  ReplyCallback overdue;
  absl::Status overdue_status;
  {
    std::lock_guard<std::mutex> lock(process->mutex);
    if (process->dead) return;
    for (const std::unique_ptr<Channel>& channel : process->channels) {
      if (channel == nullptr || !channel->busy) continue;
      busy = true;
      Wait& wait = channel->wait;
      if (now - wait.started < kPollTick) continue;
      ChannelHeader& header = channel->buffer.header();
      const uint32_t thread =
          header.worker_thread.load(std::memory_order_relaxed);
      if (channel->cancellation != nullptr && wait.cancelled.ok()) {
        wait.cancelled = channel->cancellation->Check();
        if (!wait.cancelled.ok()) {
          header.cancel.store(ReasonOf(wait.cancelled),
                              std::memory_order_relaxed);
        }
      }
      if (wait.cancelled.ok()) continue;
      // A request still queued (every worker thread busy) has no plugin
      // code running yet: its grace starts when a thread takes it, and it
      // sees its cancellation at once.
      if (!wait.grace_started) {
        if (thread != 0) {
          wait.grace_started = true;
          wait.cancelled_at = now;
          wait.cpu_at_cancel = CpuTime(process->pid, thread);
        }
      } else if (now - wait.cancelled_at > options_.cancel_grace &&
                 // The grace is the call's time on the CPU, not the
                 // clock's: plugin code that had little CPU since (a
                 // machine under load, or code asleep) is not killed for
                 // it -- until 20 graces.
                 (CpuTime(process->pid, thread) - wait.cpu_at_cancel >=
                      options_.cancel_grace ||
                  now - wait.cancelled_at > 20 * options_.cancel_grace)) {
        channel->busy = false;
        overdue = std::move(channel->done);
        overdue_status =
            absl::Status(wait.cancelled.code(),
                         absl::StrCat(wait.cancelled.message(), "; plugin '",
                                      plugin_name(), "' did not stop within ",
                                      Seconds(options_.cancel_grace),
                                      ", so its worker was stopped"));
        break;
      }
    }
  }
  if (overdue) {
    // Its other calls get the death; this one, its cancellation.
    Died(*process,
         absl::StrCat("a call's plugin code did not return within ",
                      Seconds(options_.cancel_grace), " of its cancellation"),
         absl::StatusCode::kUnavailable)
        .IgnoreError();
    std::move(overdue)(std::move(overdue_status), {});
    return;
  }
  if (busy && options_.memory_limit_bytes > 0) {
    const uint64_t resident = ResidentBytes(process->pid);
    if (resident > options_.memory_limit_bytes) {
      Died(
          *process,
          absl::StrCat("it used ", Mib(resident), ", over its memory limit of ",
                       Mib(options_.memory_limit_bytes)),
          absl::StatusCode::kResourceExhausted)
          .IgnoreError();
    }
  }
}

}  // namespace kpi
