// The report spec: which CSV files feed which metrics, with which columns and
// parameters, over which periods and segments, and each KPI's target. The
// format is TOML; docs/reports.md ("Reports (`kpi-report`)") documents every
// key, and default-spec.toml (compiled in as kDefaultSpec) is the spec for
// kpi-sample's files.
//
// ParseSpec refuses anything it does not understand: an unknown key, a value
// of the wrong type, a KPI naming a file or column the spec does not declare.
// The error names the key ("kpi[3].target.below: ..."), so a typo never
// silently turns into a default.

#ifndef KPI_CLIENTS_REPORT_SPEC_H_
#define KPI_CLIENTS_REPORT_SPEC_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "kpi/v1/values.pb.h"

namespace kpi::report {

// The TOML text of the built-in spec (default-spec.toml).
extern const char kDefaultSpec[];

// How a CSV field is read, and how its column travels to the server.
enum class ColumnType {
  kKey,        // an id: int64 keys when every id of a chunk is an integer,
               // else strings (docs/api.md, "Key columns")
  kTimestamp,  // ISO 8601 (field_values.h); microseconds
  kDouble,
  kInt64,
  kString,
};

// What an empty field means.
enum class EmptyField {
  kBad,      // a bad row: "missing value"
  kOpenEnd,  // a timestamp with no end yet: 9223372036854775807
  kAllowed,  // an empty string (string columns only)
};

struct ColumnSpec {
  // The name KPIs use for the column.
  std::string name;
  // Header names that match it, case-insensitively (column_map.h adds the
  // common aliases of `name`). Default: {name}.
  std::vector<std::string> headers;
  ColumnType type = ColumnType::kString;
  EmptyField empty = EmptyField::kBad;
  // For string columns: the values allowed; empty: any.
  std::vector<std::string> values;
  // For numbers: the range allowed (inclusive).
  std::optional<double> min;
  std::optional<double> max;
};

struct FileSpec {
  // The name KPIs use for the file (its key under [files]).
  std::string name;
  // Relative to --data.
  std::string path;
  // ',', ';' or '\t'; 0: detected from the header line.
  char delimiter = 0;
  // At most this many calls are open on the file at once; with more, the
  // file is read again for the next ones. Each call keeps its own state in
  // the server's plugin worker, and a record metric's state holds an entry
  // per customer it has seen, so this bounds the worker's memory where
  // many periods read one large file. 0: no bound (one pass).
  int max_open_calls = 0;
  std::vector<ColumnSpec> columns;

  // The column named `name`, or null.
  const ColumnSpec* Column(absl::string_view name) const;
};

// How a KPI's call sees its period [start, end).
struct PeriodUse {
  // Parameters that receive the period's start and end (e.g. churn_rate's
  // period_start and period_end); empty: none.
  std::string start_parameter;
  std::string end_parameter;
  // A parameter that receives the period's end (mrr's and rfm's as_of).
  std::string at_parameter;
  // A timestamp column: only rows with start <= value < end go to the
  // period's call (surveys, sessions); with `cumulative`, every row with
  // value < end; with `lookahead_days`, rows up to that many days after the
  // end too (a funnel with a conversion window: the later stages of
  // attempts that start in the period). Empty: every row goes to every
  // period's call.
  std::string filter;
  bool cumulative = false;
  int lookahead_days = 0;
  // Two timestamp columns, a row's [start, end): only rows active at some
  // instant of the closed period [start, end] go to its call, i.e. start <=
  // period end and end > period start. Exact for metrics that read records
  // at the period's two instants (churn_rate, retention_rate, mrr), and it
  // keeps each call's state (one entry per customer it sees) to the
  // customers of its period. Empty: no such filter.
  std::string active_start;
  std::string active_end;
  // With `active`: also rows that start before the period, whatever their
  // end -- what mrr_movements and revenue churn read to tell a reactivation
  // from a new customer. Together: every row with start <= period end.
  bool history = false;
  // Only the latest period gets a call (a snapshot, e.g. rfm as of the
  // window's end): for metrics whose answer is per customer.
  bool latest = false;
};

enum class TargetKind { kBelow, kAtMost, kAbove, kAtLeast };

struct Target {
  TargetKind kind = TargetKind::kBelow;
  double value = 0;
};

struct KpiSpec {
  // Unique; names the KPI in the report and in errors.
  std::string id;
  std::string title;
  std::string metric;
  // A FileSpec::name.
  std::string file;
  // Metric input name -> column name, in the spec's order.
  std::vector<std::pair<std::string, std::string>> inputs;
  // Sent in the first chunk; TOML strings, integers, floats, booleans and
  // date-times (as timestamps).
  std::map<std::string, kpi::v1::Value> parameters;
  // Columns of the file sent as group_by: every period gets per-segment
  // values beside the overall one.
  std::vector<std::string> group_by;
  // Absent: one call over all rows, for the whole window.
  std::optional<PeriodUse> period;
  std::optional<Target> target;
  // The result tables the report keeps (e.g. rfm's "segments" and not its
  // "customers", a row per customer); empty: all of them. Segments' results
  // keep the same ones.
  std::vector<std::string> tables;
  // How many of the lowest-scored customers the report lists, with their
  // signals (at_risk.h); 0: none. Only for a KPI of metric kAtRiskMetric
  // without a period (one call over all customers), where it defaults to
  // kDefaultAtRisk.
  int at_risk = 0;
};

// The metric whose KPIs list the customers most at risk, and how many by
// default.
inline constexpr char kAtRiskMetric[] = "health_score";
inline constexpr int kDefaultAtRisk = 10;
inline constexpr int kMaxAtRisk = 10000;

enum class PeriodUnit { kMonth, kWeek };

struct PeriodsSpec {
  PeriodUnit unit = PeriodUnit::kMonth;
  // How many periods, ending with the one holding the window's end.
  int last = 12;
};

struct Spec {
  // The data window; when unset, manifest.json in the data directory must
  // give it (kpi-sample writes one).
  std::optional<absl::Time> window_start;
  std::optional<absl::Time> window_end;
  PeriodsSpec periods;
  std::vector<FileSpec> files;
  std::vector<KpiSpec> kpis;

  const FileSpec* File(absl::string_view name) const;
};

// Parses and checks `toml`. `origin` names the text in errors (a path, or
// "the built-in spec"). Errors are InvalidArgument: "ORIGIN: KEY: reason",
// or "ORIGIN line L column C: reason" for TOML syntax.
absl::StatusOr<Spec> ParseSpec(absl::string_view toml,
                               absl::string_view origin);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_SPEC_H_
