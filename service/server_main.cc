// kpi-server: loads the metric plugins and serves kpi.v1.MetricService and
// kpi.v1.AdminService with health checking and reflection until SIGINT or
// SIGTERM; reloads plugins and profiles on SIGHUP, on AdminService/Reload
// and (with --watch) when their files change.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/filesystem/path.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "absl/strings/match.h"
#include "admin_service.h"
#include "authorizer.h"
#include "call_log.h"
#include "compute_pool.h"
#include "event_log.h"
#include "file_watcher.h"
#include "health_service.h"
#include "host_events.h"
#include "live_config.h"
#include "metric_protos.h"
#include "metric_service.h"
#include "metrics_http.h"
#include "plugin_metrics.h"
#include "process_metrics.h"
#include "reflection_service.h"
#include "request_parser.h"
#include "server_options.h"
#include "server_transport.h"
#include "tokens_file.h"
#include "transport_security.h"
#include "unix_io.h"

namespace {

constexpr char kServiceName[] = "kpi.v1.MetricService";

// The plugin host's lines, as events named by their opening words.
std::function<void(absl::string_view)> HostLog(const kpi::EventLog& log) {
  return [&log](absl::string_view line) {
    log.Message(kpi::HostLineEvent(line), line);
  };
}

void Reload(const kpi::EventLog& log, kpi::LiveConfig& config,
            absl::string_view why) {
  log.Message("reloading", absl::StrCat("reloading (", why, ")"));
  absl::StatusOr<kpi::ServingConfig> reloaded = config.Reload();
  if (!reloaded.ok()) {
    log.Message("reload_failed",
                absl::StrCat("reload failed, nothing changed: ",
                             reloaded.status().message()));
  }
}

// Watches the plugin directories (*.so files) and the profiles file.
absl::StatusOr<std::unique_ptr<kpi::FileWatcher>> WatchFiles(
    const kpi::ServerOptions& options, kpi::LiveConfig& config,
    const kpi::EventLog& log) {
  std::vector<kpi::WatchedDirectory> watched;
  for (const std::string& directory : options.plugin_dirs) {
    watched.push_back({directory, [](absl::string_view name) {
                         return absl::EndsWith(name, ".so");
                       }});
  }
  if (!options.profiles_file.empty()) {
    const boost::filesystem::path file(options.profiles_file);
    const std::string directory =
        file.has_parent_path() ? file.parent_path().string() : ".";
    watched.push_back(
        {directory, [name = file.filename().string()](absl::string_view n) {
           return n == name;
         }});
  }
  // Long enough for a copy or an upgrade of several files to finish.
  constexpr std::chrono::milliseconds kSettle(300);
  return kpi::FileWatcher::Start(std::move(watched), kSettle, [&config, &log] {
    Reload(log, config, "files changed");
  });
}

// Health of "plugin:NAME" (its worker is serving) and "metric:NAME" (its
// plugin's); nullopt for other names. A plugin in process always serves.
std::optional<bool> PluginHealth(const kpi::LiveConfig& config,
                                 const std::string& service) {
  const kpi::ServingConfig serving = config.Current();
  auto serves = [](const kpi::PluginLibrary& library) {
    return library.worker() == nullptr || library.worker()->serving();
  };
  if (absl::StartsWith(service, "plugin:")) {
    const absl::string_view name = absl::string_view(service).substr(7);
    for (const auto& library : serving.registry->plugins()) {
      if (name == library->descriptor().name) return serves(*library);
    }
  } else if (absl::StartsWith(service, "metric:")) {
    const auto metric = serving.registry->Find(service.substr(7));
    if (metric != nullptr) return serves(metric->library());
  }
  return std::nullopt;
}

// GET /metrics: the calls, the plugins and the process; GET /healthz: the
// server's overall health, as grpc.health.v1 answers it for "".
absl::StatusOr<std::unique_ptr<kpi::MetricsHttpServer>> StartMetricsHttp(
    const std::string& address, const kpi::CallMetrics& calls,
    const kpi::LiveConfig& config, const kpi::HealthService& health) {
  kpi::MetricsHttpHandlers handlers;
  handlers.metrics = [&calls, &config] {
    std::string out;
    calls.AppendTo(&out);
    kpi::AppendPluginMetrics(kpi::ReadPluginCounters(config), &out);
    kpi::AppendProcessMetrics(&out);
    return out;
  };
  handlers.serving = [&health] { return health.Serving(""); };
  return kpi::MetricsHttpServer::Start(address, std::move(handlers));
}

// Who may call: the listeners' credentials and the bearer tokens, read and
// checked before anything else starts.
struct CallerChecks {
  kpi::ServerTls tls;
  std::unique_ptr<kpi::Authorizer> authorizer;  // null: no tokens
};

absl::StatusOr<CallerChecks> LoadCallerChecks(
    const kpi::ServerOptions& options) {
  CallerChecks checks;
  absl::StatusOr<kpi::ServerTls> tls = kpi::LoadServerTls(
      {options.tls_cert, options.tls_key, options.tls_client_ca});
  if (!tls.ok()) return tls.status();
  checks.tls = *std::move(tls);
  if (!options.tokens_file.empty()) {
    absl::StatusOr<std::unique_ptr<kpi::Authorizer>> authorizer =
        kpi::LoadTokensFile(options.tokens_file);
    if (!authorizer.ok()) return authorizer.status();
    checks.authorizer = *std::move(authorizer);
  }
  return checks;
}

// Logs the warnings for listening on `address` (`flag`).
void WarnAboutListener(const kpi::EventLog& log, absl::string_view flag,
                       absl::string_view address,
                       const kpi::ServerOptions& options) {
  for (const std::string& warning : kpi::ListenWarnings(
           flag, address, !options.tls_cert.empty(),
           !options.tls_client_ca.empty(), !options.tokens_file.empty())) {
    log.Message("warning", warning);
  }
}

// Serves `admin` alone on --admin-listen. A Unix socket is made mode 0600
// (created under umask 0177, then chmod-ed), so only the server's user can
// connect; other addresses get the main listener's credentials.
std::unique_ptr<grpc::Server> StartAdminListener(
    const kpi::EventLog& log, const kpi::ServerOptions& options,
    const CallerChecks& checks, kpi::AdminServiceImpl& admin) {
  const std::string& address = options.admin_listen;
  std::string socket_path;
  if (absl::StartsWith(address, "unix:")) {
    socket_path = address.substr(5);
    if (absl::StartsWith(socket_path, "//")) socket_path.erase(0, 2);
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(address,
                           socket_path.empty()
                               ? checks.tls.credentials
                               : grpc::InsecureServerCredentials(),
                           &port);
  kpi::ConfigureTransport(builder, options.max_message_bytes);
  builder.RegisterService(&admin);
  const mode_t umask_before = socket_path.empty() ? 0 : umask(0177);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!socket_path.empty()) {
    umask(umask_before);
    if (server != nullptr && chmod(socket_path.c_str(), 0600) != 0) {
      log.Message(
          "start_failed",
          absl::StrCat("--admin-listen: cannot chmod 600 ", socket_path));
      server->Shutdown();
      return nullptr;
    }
  }
  if (server == nullptr || port == 0) {
    log.Message("start_failed",
                absl::StrCat("--admin-listen: cannot listen on ", address));
    return nullptr;
  }
  log.Message("admin_listening",
              absl::StrCat("AdminService listens on ", address,
                           socket_path.empty()
                               ? absl::StrCat(" (port ", port, ")")
                               : std::string(" (a Unix socket, mode 0600)"),
                           ", not on ", options.listen));
  return server;
}

// Bounds shutdown whatever plugins do: when the grace has passed, gRPC
// cancels the calls still running and every plugin worker is killed (their
// calls fail at once); a call stuck in an in-process plugin's code cannot
// be stopped, so a second later the process exits regardless.
class ShutdownWatchdog {
 public:
  ShutdownWatchdog(std::chrono::seconds grace, const kpi::EventLog& log)
      : log_(log), thread_([this, grace] { Watch(grace); }) {}
  ~ShutdownWatchdog() {
    Disarm();
    thread_.join();
  }
  void Disarm() {
    std::lock_guard<std::mutex> lock(mutex_);
    disarmed_ = true;
    disarm_.notify_all();
  }

 private:
  void Watch(std::chrono::seconds grace) {
    const auto start = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    if (disarm_.wait_until(lock, start + grace, [this] { return disarmed_; })) {
      return;
    }
    kpi::PluginWorker::KillAll("the server is shutting down");
    if (disarm_.wait_until(lock, start + grace + std::chrono::milliseconds(900),
                           [this] { return disarmed_; })) {
      return;
    }
    log_.Message("shutdown_forced",
                 "calls still running in in-process plugin code after the "
                 "grace; exiting without them");
    std::_Exit(0);
  }

  const kpi::EventLog& log_;
  std::mutex mutex_;
  std::condition_variable disarm_;
  bool disarmed_ = false;
  std::thread thread_;
};

// --emit-proto: the loaded plugins' .proto files, their paths on stdout.
int EmitProtos(const kpi::LiveConfig& config,
               const kpi::ServerOptions& options) {
  std::vector<const kpi_plugin_descriptor*> plugins;
  for (const auto& library : config.Current().registry->plugins()) {
    plugins.push_back(&library->descriptor());
  }
  absl::StatusOr<std::vector<std::string>> written =
      kpi::WriteProtoFiles(plugins, options.emit_proto_dir);
  if (!written.ok()) {
    std::cerr << "kpi-server: --emit-proto: " << written.status().message()
              << "\n";
    return 1;
  }
  for (const std::string& path : *written) std::cout << path << "\n";
  return 0;
}

int Run(const kpi::ServerOptions& options, const kpi::EventLog& log) {
  // Block the shutdown signals in every thread gRPC will start; the main
  // thread takes them with sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  absl::StatusOr<CallerChecks> checks = LoadCallerChecks(options);
  if (!checks.ok()) {
    log.Message("start_failed", checks.status().message());
    return 1;
  }

  kpi::MetricRegistry::Options registry_options;
  registry_options.check_plugins = !options.skip_plugin_checks;
  registry_options.allow_writable = options.allow_writable_plugins;
  registry_options.plugin_sha256_file = options.plugin_sha256_file;
  registry_options.isolation = options.isolation;
  registry_options.directory_isolation = options.directory_isolation;
  registry_options.worker.memory_limit_bytes =
      static_cast<uint64_t>(options.worker_memory_limit_mb) << 20;
  registry_options.worker.cancel_grace =
      std::chrono::milliseconds(options.cancel_grace_ms);
  registry_options.worker.start_timeout =
      std::chrono::seconds(options.plugin_load_timeout_seconds);
  registry_options.worker.log = HostLog(log);
  absl::StatusOr<std::unique_ptr<kpi::LiveConfig>> config =
      kpi::LiveConfig::Load(options.plugin_dirs, registry_options,
                            options.profiles_file, HostLog(log));
  if (!config.ok()) {
    log.Message("start_failed", config.status().message());
    return 1;
  }
  if (!options.emit_proto_dir.empty()) return EmitProtos(**config, options);
  std::unique_ptr<kpi::FileWatcher> watcher;
  if (options.watch) {
    absl::StatusOr<std::unique_ptr<kpi::FileWatcher>> started =
        WatchFiles(options, **config, log);
    if (!started.ok()) {
      log.Message("start_failed", started.status().message());
      return 1;
    }
    watcher = *std::move(started);
  }

  kpi::CaptureProtobufParseErrors();
  // Two per core by default: a stream's chunk sent to a plugin worker waits
  // on the worker, not the CPU. (A unary call to a worker holds no thread
  // while it waits: the reply thread finishes it, host/reply_watcher.h.)
  const int threads =
      options.worker_threads > 0
          ? options.worker_threads
          : static_cast<int>(2 *
                             std::max(1u, std::thread::hardware_concurrency()));
  kpi::ComputePool pool(threads);
  kpi::ServingLimits limits;
  limits.max_calls_in_flight = options.max_calls_in_flight;
  limits.call.max_rows = static_cast<uint64_t>(options.max_rows_per_call);
  limits.call.max_distinct_keys =
      static_cast<uint64_t>(options.max_distinct_keys);
  limits.stream_idle_timeout =
      std::chrono::milliseconds(options.stream_idle_timeout_ms);
  limits.inline_request_bytes =
      static_cast<size_t>(options.inline_request_bytes);
  kpi::CallLog call_log(&log, options.log_calls);
  kpi::CallMetrics call_metrics(
      [&live = **config](absl::string_view metric) {
        return live.Current().registry->Find(metric) != nullptr;
      },
      options.log_calls == kpi::LogCalls::kNone ? nullptr : &call_log);
  kpi::MetricServiceImpl service(config->get(), &pool, &call_metrics, limits,
                                 checks->authorizer.get());
  kpi::AdminServiceImpl admin(config->get(), checks->authorizer.get());
  kpi::HealthService health({"", kServiceName},
                            [&config](const std::string& service) {
                              return PluginHealth(**config, service);
                            });
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, checks->tls.credentials, &port);
  kpi::ConfigureTransport(builder, options.max_message_bytes);
  builder.RegisterService(&service);
  for (grpc::Service* typed : service.startup_typed_services()) {
    builder.RegisterService(typed);
  }
  builder.RegisterCallbackGenericService(service.typed_methods_service());
  if (options.admin_listen.empty()) builder.RegisterService(&admin);
  builder.RegisterService(&health);
  std::vector<std::string> compiled_services = {
      kpi::v1::MetricService::service_full_name(), "grpc.health.v1.Health"};
  if (options.admin_listen.empty()) {
    compiled_services.push_back(kpi::v1::AdminService::service_full_name());
  }
  kpi::ReflectionServices reflection(std::move(compiled_services), [&service] {
    return service.CurrentTypedMethods();
  });
  builder.RegisterService(reflection.v1());
  builder.RegisterService(reflection.v1alpha());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    log.Message("start_failed",
                absl::StrCat("cannot listen on ", options.listen));
    return 1;
  }
  log.Message(
      "listening",
      absl::StrCat("listening on ", options.listen, " with ",
                   checks->tls.description, "; ",
                   checks->authorizer == nullptr
                       ? std::string("no bearer tokens (every caller allowed)")
                       : absl::StrCat("bearer tokens required (",
                                      checks->authorizer->size(), " in ",
                                      options.tokens_file, ")")));
  WarnAboutListener(log, "--listen", options.listen, options);
  std::unique_ptr<grpc::Server> admin_server;
  if (!options.admin_listen.empty()) {
    admin_server = StartAdminListener(log, options, *checks, admin);
    if (admin_server == nullptr) {
      server->Shutdown();
      return 1;
    }
    WarnAboutListener(log, "--admin-listen", options.admin_listen, options);
  }
  std::unique_ptr<kpi::MetricsHttpServer> metrics_http;
  if (!options.metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<kpi::MetricsHttpServer>> started =
        StartMetricsHttp(options.metrics_listen, call_metrics, **config,
                         health);
    if (!started.ok()) {
      log.Message("start_failed", started.status().message());
      server->Shutdown();
      return 1;
    }
    metrics_http = *std::move(started);
    if (const std::string warning =
            kpi::MetricsListenWarning(options.metrics_listen);
        !warning.empty()) {
      log.Message("warning", warning);
    }
    log.Message("metrics_listening",
                absl::StrCat("serving metrics on ", options.metrics_listen,
                             " (port ", metrics_http->port(), ")"));
  }
  {
    // Scoped: a snapshot held here would keep the first versions of the
    // plugins loaded after every reload.
    const kpi::ServingConfig serving = (*config)->Current();
    log.Message(
        "serving",
        absl::StrCat("serving ", serving.registry->metrics().size(),
                     " metrics from ", serving.registry->plugins().size(),
                     " plugins on port ", port, " with ", threads,
                     " compute threads"));
  }

  int signal_number = 0;
  while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
    Reload(log, **config, "SIGHUP");
  }
  log.Message("signal", absl::StrCat("received signal ", signal_number,
                                     ", finishing in-flight calls"));
  health.Shutdown();  // every service NOT_SERVING from now on
  const auto grace = std::chrono::seconds(options.shutdown_grace_seconds);
  ShutdownWatchdog watchdog(grace, log);
  if (admin_server != nullptr) {
    admin_server->Shutdown(std::chrono::system_clock::now() + grace);
  }
  server->Shutdown(std::chrono::system_clock::now() + grace);
  server->Wait();
  if (admin_server != nullptr) admin_server->Wait();
  watchdog.Disarm();
  if (metrics_http != nullptr) metrics_http->Stop();
  watcher.reset();
  log.Message("stopped", "stopped");
  return 0;
}

}  // namespace

// Before anything opens a file -- static initializers do (gRPC opens an
// eventfd) -- so that a server started with 0-2 closed does not write its
// log into whatever took those numbers.
__attribute__((constructor(101))) void ProtectStandardDescriptorsFirst() {
  kpi::ProtectStandardDescriptors();
}

int main(int argc, char** argv) {
  absl::StatusOr<kpi::ServerOptions> options =
      kpi::ParseServerOptions(argc, argv);
  if (!options.ok()) {
    std::cerr << "kpi-server: " << options.status().message() << "\n";
    return 2;
  }
  if (options->help) {
    std::cout << kpi::ServerUsage();
    return 0;
  }
  kpi::TuneAllocatorForLargeMessages();
  kpi::DisableMutexDeadlockDetection();
  // Never deleted (and held by a static, so leak checkers see it reached):
  // plugin worker threads may still log while the process exits.
  static const kpi::EventLog* const log =
      new kpi::EventLog(options->log_format);
  return Run(*options, *log);
}
