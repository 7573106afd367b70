// A report run: each file the spec uses is read once, in chunks; each chunk
// goes to every ComputeStream that needs the file (one per KPI and period,
// all open while the file is read), and the results are collected. Memory
// is one chunk per file plus what gRPC buffers, however large the files.
// A file with max_open_calls is read once per that many calls, which bounds
// the state its calls hold at once in the server. A file with a KPI that
// lists the customers most at risk (KpiSpec::at_risk) is read once more,
// for those customers' rows only (at_risk.h).
//
// A run is whole or fails: a metric call that fails, a server that goes
// away, a file that cannot be read or (with `strict`) a bad row ends it with
// an error naming the KPI, period, file or line, and no report.

#ifndef KPI_CLIENTS_REPORT_REPORT_RUNNER_H_
#define KPI_CLIENTS_REPORT_REPORT_RUNNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "at_risk.h"
#include "bad_rows.h"
#include "kpi/client.h"
#include "kpi/v1/result.pb.h"
#include "manifest.h"
#include "period_plan.h"
#include "spec.h"

namespace kpi::report {

struct RunOptions {
  // Where the spec's file paths are relative to.
  std::string data_dir;
  // Rows per chunk sent to each stream (fewer when they pass 2 MiB).
  int chunk_rows = 50000;
  // Any bad row fails the run.
  bool strict = false;
  // Draw the progress line on stderr.
  bool progress = false;
  // Bad fields printed on stderr as they are found; the rest are counted
  // (and kept in the report up to BadRows' limit).
  int bad_fields_printed = 20;
};

struct KpiPeriodResult {
  Period period;
  kpi::v1::MetricResult result;
  // For a KPI with at_risk: its lowest-scored customers, lowest first, with
  // their signals as the file has them.
  std::vector<AtRiskCustomer> at_risk;
};

struct KpiResults {
  const KpiSpec* kpi;
  std::vector<KpiPeriodResult> periods;  // oldest first
};

struct FileStats {
  std::string name;
  std::string path;
  char delimiter = ',';
  int64_t rows = 0;  // data rows, bad ones included
  int64_t bad_rows = 0;
};

struct Report {
  // Where the numbers come from, for the report's header (set by the caller).
  std::string server;
  std::string data_dir;
  std::string spec_origin;
  Window window;
  std::vector<Period> periods;
  std::vector<KpiResults> kpis;  // in the spec's order
  std::vector<FileStats> files;
  BadRows bad_rows;
  int64_t rows = 0;
  absl::Duration elapsed;
};

// Runs `spec` over `window`. Errors: a metric the server does not serve,
// a file or column that cannot be found, a failed call (the KPI, period
// and the server's status), a bad row with `options.strict`.
absl::StatusOr<Report> RunReport(const Spec& spec, const Window& window,
                                 const Client& client,
                                 const RunOptions& options);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_REPORT_RUNNER_H_
