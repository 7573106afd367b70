#include "report_command_line.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kpi::report {
namespace {

absl::Status Usage(absl::string_view message) {
  return absl::InvalidArgumentError(message);
}

}  // namespace

absl::StatusOr<ReportOptions> ParseReportCommandLine(
    absl::Span<const std::string> args, absl::string_view env_server) {
  ReportOptions options;
  options.connection.server = env_server.empty()
                                  ? std::string(kpi::cli::kDefaultServer)
                                  : std::string(env_server);
  // A report streams whole files: an hour per metric call, not the CLI's
  // 30 s.
  options.connection.timeout = absl::Hours(1);
  bool formats_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> inline_value;
    if (const size_t eq = flag.find('=');
        absl::StartsWith(flag, "--") && eq != std::string::npos) {
      inline_value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    auto value = [&]() -> absl::StatusOr<std::string> {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) {
        return Usage(absl::StrCat(flag, " needs a value"));
      }
      return args[++i];
    };
    auto flag_without_value = [&]() -> absl::Status {
      if (inline_value) return Usage(absl::StrCat(flag, " takes no value"));
      return absl::OkStatus();
    };
    std::string* text_target = nullptr;
    if (flag == "-h" || flag == "--help") {
      options.help = true;
      continue;
    } else if (flag == "--print-default-spec") {
      options.print_default_spec = true;
      continue;
    } else if (flag == "--strict" || flag == "--quiet" || flag == "--tls") {
      if (absl::Status s = flag_without_value(); !s.ok()) return s;
      (flag == "--strict"  ? options.strict
       : flag == "--quiet" ? options.quiet
                           : options.connection.tls) = true;
      continue;
    } else if (flag == "--data") {
      text_target = &options.data_dir;
    } else if (flag == "--spec") {
      text_target = &options.spec_file;
    } else if (flag == "--out") {
      text_target = &options.out_dir;
    } else if (flag == "--server") {
      text_target = &options.connection.server;
    } else if (flag == "--token") {
      text_target = &options.connection.token_file;
    } else if (flag == "--token-env") {
      text_target = &options.connection.token_env;
    } else if (flag == "--tls-ca") {
      text_target = &options.connection.tls_ca;
    } else if (flag == "--tls-cert") {
      text_target = &options.connection.tls_cert;
    } else if (flag == "--tls-key") {
      text_target = &options.connection.tls_key;
    }
    if (text_target != nullptr) {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      if (v->empty()) return Usage(absl::StrCat(flag, " is empty"));
      *text_target = *v;
      continue;
    }
    if (flag == "--format") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      options.json = options.markdown = options.html = false;
      formats_given = true;
      for (absl::string_view f : absl::StrSplit(*v, ',')) {
        if (f == "json") {
          options.json = true;
        } else if (f == "md" || f == "markdown") {
          options.markdown = true;
        } else if (f == "html") {
          options.html = true;
        } else {
          return Usage(absl::StrCat("--format: '", f,
                                    "' is not one of: json, md, html"));
        }
      }
    } else if (flag == "--chunk-rows") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      if (!absl::SimpleAtoi(*v, &options.chunk_rows) ||
          options.chunk_rows < 1 || options.chunk_rows > 1000000) {
        return Usage(absl::StrCat("--chunk-rows: '", *v,
                                  "' is not a whole number 1..1000000"));
      }
    } else if (flag == "--timeout") {
      absl::StatusOr<std::string> v = value();
      if (!v.ok()) return v.status();
      double seconds;
      if (!absl::SimpleAtod(*v, &seconds) || !std::isfinite(seconds) ||
          seconds <= 0) {
        return Usage(absl::StrCat("--timeout: '", *v,
                                  "' is not a positive number of seconds"));
      }
      options.connection.timeout = absl::Seconds(seconds);
    } else {
      return Usage(absl::StrCat("unknown option '", args[i], "'"));
    }
  }
  if (options.help || options.print_default_spec) return options;
  if (options.data_dir.empty()) return Usage("--data DIR is required");
  if (formats_given && !options.json && !options.markdown && !options.html) {
    return Usage("--format names no format");
  }
  if (!options.connection.token_file.empty() &&
      !options.connection.token_env.empty()) {
    return Usage("--token and --token-env cannot both be given");
  }
  if (options.connection.tls_cert.empty() !=
      options.connection.tls_key.empty()) {
    return Usage("--tls-cert and --tls-key go together");
  }
  if (!options.connection.tls_ca.empty() ||
      !options.connection.tls_cert.empty()) {
    options.connection.tls = true;
  }
  return options;
}

std::string ReportUsage() {
  return R"(Usage: kpi-report --data DIR [options]
       kpi-report --print-default-spec

Reads the CSV exports in DIR once, streams them to a kpi-server (one
ComputeStream per KPI and period) and writes the report: report.json,
report.md and report.html (self-contained: no network) in --out.

  --data DIR           The directory of the CSV files (and, from kpi-sample,
                       manifest.json, which gives the data window).
  --spec FILE          The report spec (TOML; docs/reports.md). Default: the
                       built-in spec for kpi-sample's files
                       (--print-default-spec prints it).
  --server HOST:PORT   The kpi-server. Default: $KPI_SERVER when set, else
                       127.0.0.1:50051.
  --out DIR            Where the report goes; created if missing. Default:
                       report.
  --format LIST        Comma-separated: json, md, html. Default: all three.
  --strict             Any bad row fails the run (exit status 1).
  --quiet              No progress line. (It is drawn only when stderr is a
                       terminal anyway.)
  --chunk-rows N       Rows per chunk sent to each metric call (default
                       50000; fewer when a chunk passes 2 MiB).
  --timeout SECONDS    Deadline of each metric call (default 3600).
  --token FILE         A file holding the bearer token the server wants.
  --token-env VAR      An environment variable holding it.
  --tls                Connect with TLS (the system's CAs).
  --tls-ca FILE        PEM CAs that may sign the server's certificate.
  --tls-cert FILE      A client certificate (PEM) for mutual TLS ...
  --tls-key FILE       ... and its key.
  --print-default-spec Print the built-in spec and exit.
  -h, --help           This text.

Bad rows (a number that does not parse or is out of the column's range, a
missing field or value, a bad date, a value not among the column's values)
are printed on stderr (the first 20), left out of every KPI, and counted in
the report with file, line, column and reason.

Exit status: 0 the report was written; 1 the run failed (a metric call, the
server, a file, or a bad row with --strict) and no report was written; 2 the
command line or the spec is wrong.
)";
}

}  // namespace kpi::report
