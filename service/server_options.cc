#include "server_options.h"

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/filesystem/path.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace kpi {
namespace {

absl::StatusOr<int> PositiveInt(absl::string_view flag, absl::string_view text,
                                int min) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < min) {
    return absl::InvalidArgumentError(absl::StrCat(
        flag, ": expected a whole number >= ", min, ", got '", text, "'"));
  }
  return value;
}

struct NumberFlag {
  int* target;
  int min;
};

// The flags that take a whole number, with their smallest value.
absl::flat_hash_map<absl::string_view, NumberFlag> NumberFlags(
    ServerOptions& options) {
  return {
      {"--worker-threads", {&options.worker_threads, 1}},
      {"--max-calls-in-flight", {&options.max_calls_in_flight, 1}},
      {"--max-rows-per-call", {&options.max_rows_per_call, 1}},
      {"--max-distinct-keys", {&options.max_distinct_keys, 1}},
      {"--stream-idle-timeout-ms", {&options.stream_idle_timeout_ms, 1}},
      {"--inline-request-bytes", {&options.inline_request_bytes, 0}},
      {"--max-message-bytes", {&options.max_message_bytes, 1}},
      {"--shutdown-grace-seconds", {&options.shutdown_grace_seconds, 0}},
      {"--worker-memory-limit-mb", {&options.worker_memory_limit_mb, 0}},
      {"--cancel-grace-ms", {&options.cancel_grace_ms, 0}},
      {"--plugin-load-timeout-seconds",
       {&options.plugin_load_timeout_seconds, 1}},
  };
}

}  // namespace

std::string ServerUsage() {
  return absl::StrCat(
      "Usage: kpi-server [flags]\n"
      "\n"
      "Serves kpi.v1.MetricService (plus grpc.health.v1.Health and server\n"
      "reflection) with the metric plugins found in the plugin directories.\n"
      "\n"
      "Flags:\n"
      "  --listen HOST:PORT        address to listen on (default "
      "127.0.0.1:50051;\n"
      "                            port 0 picks a free port, printed at "
      "start)\n"
      "  --plugin-dir DIR[,isolation=MODE]\n"
      "                            load every *.so in DIR; repeatable "
      "(default:\n"
      "                            the bundled plugins, ",
      DefaultPluginDirectory(),
      ");\n"
      "                            MODE overrides --isolation for DIR\n"
      "  --isolation MODE          where plugin code runs: 'process' "
      "(default:\n"
      "                            one supervised worker process per "
      "plugin; a\n"
      "                            crash, hang or runaway costs only its "
      "own\n"
      "                            calls) or 'none' (in the server: faster, "
      "for\n"
      "                            trusted plugins only; a crash ends the\n"
      "                            server). Loading runs in a child either "
      "way\n"
      "  --worker-memory-limit-mb N  a plugin worker using more resident\n"
      "                            memory is killed and its calls fail\n"
      "                            RESOURCE_EXHAUSTED (default 2048; 0: no "
      "limit)\n"
      "  --cancel-grace-ms N       how much CPU time plugin code may use "
      "after\n"
      "                            its call is cancelled before its worker is\n"
      "                            killed (default 500; code getting no CPU\n"
      "                            meanwhile is killed at 20 times that)\n"
      "  --plugin-load-timeout-seconds N  how long loading and checking one\n"
      "                            plugin may take before it is refused\n"
      "                            (default 30)\n"
      "  --worker-threads N        threads computing calls (default: two "
      "per\n"
      "                            core, as streamed chunks sent to plugin\n"
      "                            workers wait on them); gRPC adds a few "
      "of\n"
      "                            its own, one thread finishes the replies "
      "of\n"
      "                            plugin workers, and no thread waits on a\n"
      "                            slow client\n"
      "  --max-calls-in-flight N   calls accepted at once, streams "
      "included;\n"
      "                            more are refused RESOURCE_EXHAUSTED "
      "(default\n"
      "                            1000)\n"
      "  --max-rows-per-call N     rows one call may carry, a stream "
      "included;\n"
      "                            more fail RESOURCE_EXHAUSTED (default\n"
      "                            2147483647)\n"
      "  --max-distinct-keys N     distinct keys (customers, visitors) one "
      "key\n"
      "                            input of one call may hold; more fail\n"
      "                            RESOURCE_EXHAUSTED (default 10000000)\n"
      "  --stream-idle-timeout-ms N  a ComputeStream whose client sends no\n"
      "                            chunk for this long fails "
      "DEADLINE_EXCEEDED\n"
      "                            (default 30000)\n"
      "  --inline-request-bytes N  unary requests up to N bytes to plugins\n"
      "                            in this process (isolation=none) are\n"
      "                            computed on gRPC's own thread, skipping\n"
      "                            the hand-over to the pool (default 16384;\n"
      "                            0: never)\n"
      "  --max-message-bytes N     largest request message accepted (default\n"
      "                            4194304); use ComputeStream for more. "
      "Compressed\n"
      "                            requests are refused (UNIMPLEMENTED): "
      "their\n"
      "                            inflated size is unknown until memory "
      "is spent\n"
      "  --shutdown-grace-seconds N  how long in-flight calls may finish "
      "after\n"
      "                            SIGINT/SIGTERM (default 10)\n"
      "  --skip-plugin-checks      load plugins without running the\n"
      "                            conformance checks (see kpi-plugin check)\n"
      "  --allow-writable-plugins  skip the plugin file policy: by default a\n"
      "                            plugin file is refused unless it, its\n"
      "                            directory and every directory above are\n"
      "                            owned by root or the server's user and\n"
      "                            not writable by group or others (a sticky\n"
      "                            directory like /tmp may be passed\n"
      "                            through), symlinks checked along their\n"
      "                            targets, as sshd's StrictModes: whoever\n"
      "                            can change them can run code in the "
      "server\n"
      "  --plugin-sha256-file FILE load only plugin files whose SHA-256 is\n"
      "                            listed in FILE, lines as sha256sum prints\n"
      "                            ('<hex digest>  <name>'); re-read at every\n"
      "                            reload\n"
      "  --metrics-listen HOST:PORT  serve Prometheus metrics (GET "
      "/metrics)\n"
      "                            and health (GET /healthz: 200 SERVING or "
      "503)\n"
      "                            over plain HTTP there (default: off; see\n"
      "                            docs/operating.md#metrics)\n"
      "  --tls-cert FILE           serve TLS with this PEM certificate "
      "chain\n"
      "                            (the server's certificate first); needs\n"
      "                            --tls-key\n"
      "  --tls-key FILE            the certificate's PEM private key; only "
      "the\n"
      "                            server's user may read it (chmod 600, or "
      "640\n"
      "                            owned by root)\n"
      "  --tls-client-ca FILE      require a client certificate signed by a "
      "CA\n"
      "                            in this PEM file (mutual TLS)\n"
      "  --tokens-file FILE        require a bearer token on every "
      "MetricService\n"
      "                            and AdminService call (metadata\n"
      "                            'authorization: Bearer TOKEN'); lines are\n"
      "                            'NAME TOKEN SCOPE[,SCOPE...]', scopes *,\n"
      "                            admin, method:NAME, metric:NAME. No token:\n"
      "                            UNAUTHENTICATED; no scope for the call:\n"
      "                            PERMISSION_DENIED. Health and reflection "
      "stay\n"
      "                            open. Readable by the server's user only\n"
      "  --admin-listen ADDRESS    serve kpi.v1.AdminService (Reload) only "
      "here,\n"
      "                            not on --listen; unix:PATH makes a socket "
      "of\n"
      "                            mode 0600 (only the server's user may "
      "reload)\n"
      "  --profiles FILE           named parameter profiles per metric, "
      "JSON:\n"
      "                            {\"health_score\": {\"smb\": "
      "{\"signals\": ...}}};\n"
      "                            a call picks one with its `profile` field\n"
      "  --emit-proto DIR          load the plugins, write the .proto file "
      "of\n"
      "                            each one's typed methods under DIR\n"
      "                            (kpi/plugins/PLUGIN/vMAJOR/PLUGIN.proto; "
      "see\n"
      "                            docs/clients.md) with the kpi.v1 files "
      "they\n"
      "                            import, print their paths and exit\n"
      "  --watch                   reload by itself when a plugin file or "
      "the\n"
      "                            profiles file changes (inotify)\n"
      "  --log-format FORMAT       'text' (default: 'kpi-server: ...' lines,\n"
      "                            fields as key=value) or 'json' (one "
      "object\n"
      "                            per line: time, event, fields); every "
      "line\n"
      "                            goes to stderr, one event per line\n"
      "  --log-calls WHICH         which MetricService calls get a 'call' "
      "line\n"
      "                            (request_id, method, metric, code,\n"
      "                            duration_ms, rows, request_bytes, "
      "principal,\n"
      "                            peer, message): 'none', 'errors' "
      "(default:\n"
      "                            the calls not OK) or 'all'\n"
      "  --help                    print this text\n"
      "\n"
      "Listening beyond loopback without TLS, or with nothing checking who\n"
      "calls, logs a warning at start; see docs/operating.md (\"Who may\n"
      "call\").\n"
      "\n"
      "A plugin that cannot be loaded, or fails a conformance check, is\n"
      "refused with one log line naming the file and the reason (the check);\n"
      "the others serve.\n"
      "\n"
      "On SIGHUP, on a kpi.v1.AdminService/Reload call, or (with --watch) "
      "when\n"
      "a file changes, the server re-reads the plugin directories and the\n"
      "profiles file: new, changed and removed plugins take effect for new\n"
      "calls, running calls finish on the version they started with, and a\n"
      "changed plugin that is refused leaves its previous version serving.\n"
      "\n"
      "A plugin worker that crashes fails only the calls it was serving\n"
      "(UNAVAILABLE, naming the plugin and the signal or exit status) and is\n"
      "restarted on the next call, after a backoff; after 3 failures in a\n"
      "row its health service names (plugin:NAME, metric:NAME) turn\n"
      "NOT_SERVING until a call succeeds.\n"
      "\n"
      "Every MetricService call has a request id: the client's metadata\n"
      "x-request-id when it is 1 to 128 visible ASCII characters without\n"
      "spaces, else one the server makes. It is sent back in the response's\n"
      "initial metadata x-request-id (failed calls included) and is the\n"
      "call line's request_id. See docs/operating.md (\"Logging\").\n"
      "\n"
      "On SIGINT or SIGTERM the server stops accepting calls, lets in-flight\n"
      "calls finish for the grace, cancels the rest, and exits 0 within the\n"
      "grace plus one second.\n");
}

std::string DefaultPluginDirectory() {
  boost::system::error_code error;
  boost::filesystem::path prefix =
      boost::dll::program_location(error).parent_path().parent_path();
  return (prefix / "lib" / "kpi-service" / "plugins").string();
}

absl::StatusOr<ServerOptions> ParseServerOptions(int argc, char** argv) {
  ServerOptions options;
  const auto number_flags = NumberFlags(options);
  const absl::flat_hash_map<absl::string_view, std::string*> text_flags = {
      {"--tls-cert", &options.tls_cert},
      {"--tls-key", &options.tls_key},
      {"--tls-client-ca", &options.tls_client_ca},
      {"--tokens-file", &options.tokens_file},
      {"--admin-listen", &options.admin_listen},
      {"--emit-proto", &options.emit_proto_dir},
  };
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (arg == "--skip-plugin-checks") {
      options.skip_plugin_checks = true;
      continue;
    }
    if (arg == "--allow-writable-plugins") {
      options.allow_writable_plugins = true;
      continue;
    }
    if (arg == "--watch") {
      options.watch = true;
      continue;
    }
    // Accept both "--flag value" and "--flag=value".
    absl::string_view flag = arg;
    absl::string_view value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != absl::string_view::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    auto take_value = [&]() -> absl::StatusOr<absl::string_view> {
      if (has_value) return value;
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(absl::StrCat(flag, " needs a value"));
      }
      return absl::string_view(argv[++i]);
    };
    if (flag == "--listen") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      options.listen = std::string(*v);
    } else if (flag == "--plugin-dir") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      absl::string_view directory = *v;
      constexpr absl::string_view kSuffix = ",isolation=";
      if (size_t at = directory.rfind(kSuffix); at != absl::string_view::npos) {
        absl::StatusOr<Isolation> isolation =
            ParseIsolation(directory.substr(at + kSuffix.size()));
        if (!isolation.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("--plugin-dir: ", isolation.status().message()));
        }
        directory = directory.substr(0, at);
        options.directory_isolation[std::string(directory)] = *isolation;
      }
      options.plugin_dirs.emplace_back(directory);
    } else if (flag == "--isolation") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      absl::StatusOr<Isolation> isolation = ParseIsolation(*v);
      if (!isolation.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--isolation: ", isolation.status().message()));
      }
      options.isolation = *isolation;
    } else if (flag == "--log-format") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      absl::StatusOr<LogFormat> format = ParseLogFormat(*v);
      if (!format.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--log-format: ", format.status().message()));
      }
      options.log_format = *format;
    } else if (flag == "--log-calls") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      absl::StatusOr<LogCalls> calls = ParseLogCalls(*v);
      if (!calls.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--log-calls: ", calls.status().message()));
      }
      options.log_calls = *calls;
    } else if (flag == "--metrics-listen") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      options.metrics_listen = std::string(*v);
    } else if (auto text = text_flags.find(flag); text != text_flags.end()) {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      if (v->empty()) {
        return absl::InvalidArgumentError(absl::StrCat(flag, " is empty"));
      }
      *text->second = std::string(*v);
    } else if (flag == "--profiles") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      options.profiles_file = std::string(*v);
    } else if (flag == "--plugin-sha256-file") {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      options.plugin_sha256_file = std::string(*v);
    } else if (auto number = number_flags.find(flag);
               number != number_flags.end()) {
      absl::StatusOr<absl::string_view> v = take_value();
      if (!v.ok()) return v.status();
      absl::StatusOr<int> n = PositiveInt(flag, *v, number->second.min);
      if (!n.ok()) return n.status();
      *number->second.target = *n;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag '", arg, "' (see --help)"));
    }
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together: the certificate and its key");
  }
  if (!options.tls_client_ca.empty() && options.tls_cert.empty()) {
    return absl::InvalidArgumentError(
        "--tls-client-ca needs --tls-cert and --tls-key: client certificates "
        "are checked over TLS");
  }
  if (options.plugin_dirs.empty()) {
    options.plugin_dirs.push_back(DefaultPluginDirectory());
  }
  return options;
}

}  // namespace kpi
