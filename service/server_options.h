// ServerOptions: kpi-server's command line.
#ifndef KPI_SERVICE_SERVER_OPTIONS_H_
#define KPI_SERVICE_SERVER_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "call_log.h"
#include "event_log.h"
#include "plugin_library.h"

namespace kpi {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  // Empty means the bundled plugins (see DefaultPluginDirectory).
  std::vector<std::string> plugin_dirs;
  // Where plugin code runs: the default, and per directory
  // (--plugin-dir DIR,isolation=none).
  Isolation isolation = Isolation::kProcess;
  absl::flat_hash_map<std::string, Isolation> directory_isolation;
  // Plugin workers: memory limit (0: none), how long a plugin may run on
  // after its call is cancelled, how long loading may take.
  int worker_memory_limit_mb = 2048;
  int cancel_grace_ms = 500;
  int plugin_load_timeout_seconds = 30;
  // Threads computing calls (ComputePool); 0 means two per core.
  int worker_threads = 0;
  // Calls accepted and not finished; more are refused RESOURCE_EXHAUSTED.
  int max_calls_in_flight = 1000;
  // Rows one call (a stream included) may carry.
  int max_rows_per_call = 2147483647;
  // Distinct keys one KEY input of one call may hold.
  int max_distinct_keys = 10000000;
  // How long a stream may wait for its client's next chunk.
  int stream_idle_timeout_ms = 30000;
  // Unary requests up to this size, to plugins in this process, are
  // computed on gRPC's thread; 0: every call goes to the pool.
  int inline_request_bytes = 16384;
  int max_message_bytes = 4 * 1024 * 1024;
  // How long in-flight calls may run after SIGINT/SIGTERM.
  int shutdown_grace_seconds = 10;
  // Load plugins without running the conformance checks (conformance.h).
  bool skip_plugin_checks = false;
  // Skip the plugin file policy (plugin_file_policy.h): load plugins that
  // users other than root and the server's could change.
  bool allow_writable_plugins = false;
  // The allow list of plugin SHA-256 digests (plugin_digests.h); empty for
  // none.
  std::string plugin_sha256_file;
  // The parameter profiles file (parameter_profiles.h); empty for none.
  std::string profiles_file;
  // Where Prometheus metrics (GET /metrics) and the plain-HTTP health
  // (GET /healthz) are served; empty for nowhere.
  std::string metrics_listen;
  // TLS (transport_security.h): the certificate chain and key, PEM; both
  // empty for none. With client_ca, clients must present a certificate
  // signed by one of its CAs.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // The bearer tokens file (tokens_file.h); empty: every call is allowed.
  std::string tokens_file;
  // Where kpi.v1.AdminService is served instead of on `listen` (e.g.
  // unix:/run/kpi/admin.sock, created mode 0600); empty: on `listen`.
  std::string admin_listen;
  // Not empty: write the plugins' .proto files (metric_protos.h) under
  // this directory and exit instead of serving.
  std::string emit_proto_dir;
  // Reload when a file in a plugin directory (or the profiles file) changes,
  // as on SIGHUP.
  bool watch = false;
  // How log lines are written (event_log.h), and which calls get one
  // (call_log.h).
  LogFormat log_format = LogFormat::kText;
  LogCalls log_calls = LogCalls::kErrors;
  bool help = false;
};

// Parses argv. INVALID_ARGUMENT names the flag at fault (also --tls-cert
// without --tls-key or the reverse, and --tls-client-ca without them).
absl::StatusOr<ServerOptions> ParseServerOptions(int argc, char** argv);

// The text --help prints.
std::string ServerUsage();

// The directory holding the bundled plugins: <exe>/../lib/kpi-service/plugins,
// in the build tree and when installed alike.
std::string DefaultPluginDirectory();

}  // namespace kpi

#endif  // KPI_SERVICE_SERVER_OPTIONS_H_
