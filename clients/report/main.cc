// kpi-report: a report from CSV exports through a kpi-server (report_runner.h),
// written as report_command_line.h asks. Errors are one line on stderr and
// an ExitCode.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "credentials.h"
#include "html_report.h"
#include "json_report.h"
#include "kpi/client.h"
#include "manifest.h"
#include "markdown_report.h"
#include "report_command_line.h"
#include "report_runner.h"
#include "spec.h"

namespace kpi::report {
namespace {

int Fail(ExitCode code, absl::string_view message) {
  std::cerr << "kpi-report: " << message << "\n";
  return static_cast<int>(code);
}

// Writes `text` to DIR/NAME through a temporary file renamed over it, so a
// reader never sees half a report.
absl::Status WriteFile(const std::string& dir, const std::string& name,
                       const std::string& text) {
  const std::string path = absl::StrCat(dir, "/", name);
  const std::string partial = absl::StrCat(path, ".partial");
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
      return absl::DataLossError(absl::StrCat("cannot write ", partial));
  }
  std::error_code error;
  std::filesystem::rename(partial, path, error);
  if (error) {
    return absl::DataLossError(
        absl::StrCat("cannot rename ", partial, ": ", error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSpecFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("--spec: cannot read ", path));
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int Main(const std::vector<std::string>& args) {
  const char* env_server = std::getenv("KPI_SERVER");
  absl::StatusOr<ReportOptions> options =
      ParseReportCommandLine(args, env_server ? env_server : "");
  if (!options.ok()) {
    return Fail(ExitCode::kUsage, absl::StrCat(options.status().message(),
                                               "\nTry 'kpi-report --help'."));
  }
  if (options->help) {
    std::cout << ReportUsage();
    return static_cast<int>(ExitCode::kOk);
  }
  if (options->print_default_spec) {
    std::cout << kDefaultSpec;
    return static_cast<int>(ExitCode::kOk);
  }
  std::string spec_text = kDefaultSpec;
  std::string origin = "the built-in spec";
  if (!options->spec_file.empty()) {
    absl::StatusOr<std::string> text = ReadSpecFile(options->spec_file);
    if (!text.ok()) return Fail(ExitCode::kUsage, text.status().message());
    spec_text = *std::move(text);
    origin = options->spec_file;
  }
  absl::StatusOr<Spec> spec = ParseSpec(spec_text, origin);
  if (!spec.ok()) return Fail(ExitCode::kUsage, spec.status().message());

  Window window;
  if (spec->window_start) {
    window = {*spec->window_start, *spec->window_end};
  } else {
    absl::StatusOr<std::optional<Window>> manifest =
        ReadManifestWindow(options->data_dir);
    if (!manifest.ok()) {
      return Fail(ExitCode::kFailed, manifest.status().message());
    }
    if (!manifest->has_value()) {
      return Fail(
          ExitCode::kUsage,
          absl::StrCat(origin, ": window: missing, and ", options->data_dir,
                       " has no manifest.json to take it from; set "
                       "[window] start and end in the spec"));
    }
    window = **manifest;
  }

  absl::StatusOr<kpi::ClientOptions> client_options =
      kpi::cli::ClientOptionsFor(options->connection);
  if (!client_options.ok()) {
    return Fail(ExitCode::kUsage, client_options.status().message());
  }
  // A report from an earlier run must not pass for this run's: it goes
  // before anything is computed, and the new one appears only when whole.
  std::error_code error;
  std::filesystem::create_directories(options->out_dir, error);
  if (error) {
    return Fail(ExitCode::kFailed,
                absl::StrCat("--out: cannot create ", options->out_dir, ": ",
                             error.message()));
  }
  for (const char* name : {"report.json", "report.md", "report.html"}) {
    std::filesystem::remove(absl::StrCat(options->out_dir, "/", name), error);
  }

  // A server that is down is one clear error, before any file is read.
  const kpi::Client client(*std::move(client_options));
  if (absl::Status connected = client.Connect(); !connected.ok()) {
    return Fail(ExitCode::kFailed,
                absl::StrCat(connected.message(),
                             " (is it running? --server or $KPI_SERVER say "
                             "where)"));
  }
  RunOptions run;
  run.data_dir = options->data_dir;
  run.chunk_rows = options->chunk_rows;
  run.strict = options->strict;
  run.progress = !options->quiet && isatty(STDERR_FILENO);
  absl::StatusOr<Report> report = RunReport(*spec, window, client, run);
  if (!report.ok()) {
    return Fail(ExitCode::kFailed, absl::StrCat(report.status().message(),
                                                "\nNo report was written."));
  }
  report->server = options->connection.server;
  report->data_dir = options->data_dir;
  report->spec_origin = origin;
  if (options->json) {
    if (absl::Status s =
            WriteFile(options->out_dir, "report.json", JsonReport(*report));
        !s.ok()) {
      return Fail(ExitCode::kFailed, s.message());
    }
  }
  if (options->markdown) {
    if (absl::Status s =
            WriteFile(options->out_dir, "report.md", MarkdownReport(*report));
        !s.ok()) {
      return Fail(ExitCode::kFailed, s.message());
    }
  }
  if (options->html) {
    if (absl::Status s =
            WriteFile(options->out_dir, "report.html", HtmlReport(*report));
        !s.ok()) {
      return Fail(ExitCode::kFailed, s.message());
    }
  }
  const int64_t bad = report->bad_rows.total_rows();
  if (!options->quiet) {
    std::cerr << absl::StrCat(
        "kpi-report: ", report->rows, " rows in ", report->files.size(),
        " files, ", report->kpis.size(), " KPIs, ", bad, " bad rows, in ",
        absl::FormatDuration(
            absl::Trunc(report->elapsed, absl::Milliseconds(1))),
        "; report in ", options->out_dir, "\n");
  }
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace
}  // namespace kpi::report

int main(int argc, char** argv) {
  return kpi::report::Main(std::vector<std::string>(argv + 1, argv + argc));
}
