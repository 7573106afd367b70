#include "report_runner.h"

#include <sys/stat.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "column_chunk.h"
#include "column_map.h"
#include "csv_reader.h"
#include "field_values.h"
#include "metric_stream.h"
#include "progress.h"

namespace kpi::report {
namespace {

// The server ends a stream idle for 30 s (kpi-server
// --stream-idle-timeout-ms); a stream whose rows are all further on in the
// file gets an empty chunk after this long.
constexpr absl::Duration kKeepAlive = absl::Seconds(10);

// A chunk is sent once it holds this many bytes, whatever --chunk-rows
// says: kpi-server refuses messages over 4 MiB (--max-message-bytes), and
// long ids or segment names would pass that well before 50,000 rows.
constexpr size_t kMaxChunkBytes = 2 << 20;

kpi::v1::Value TimestampValue(absl::Time t) {
  kpi::v1::Value value;
  const int64_t micros = absl::ToUnixMicros(t);
  value.mutable_timestamp_value()->set_seconds(micros / 1000000);
  value.mutable_timestamp_value()->set_nanos(
      static_cast<int32_t>(micros % 1000000) * 1000);
  return value;
}

std::string Where(const KpiSpec& kpi, const Period& period) {
  return absl::StrCat("kpi '", kpi.id, "' (metric ", kpi.metric, "), period ",
                      period.label);
}

// One KPI over one period, fed from the chunks of its file.
struct Consumer {
  size_t kpi;     // index in Spec::kpis
  size_t period;  // index in the KPI's periods
  std::unique_ptr<MetricStream> stream;
  // Chunk column and the name it is sent as: the inputs, then group_by.
  std::vector<std::pair<size_t, std::string>> columns;
  int filter = -1;  // chunk column of the period filter, or -1
  bool cumulative = false;
  int64_t low = 0;  // the period, in microseconds
  int64_t high = 0;
};

// Everything needed to read one file and feed its consumers.
class FileRun {
 public:
  FileRun(const Spec& spec, const FileSpec& file, const Connection& connection,
          const RunOptions& options, Report& report, Progress& progress,
          int64_t bytes_before)
      : spec_(spec),
        file_(file),
        connection_(connection),
        options_(options),
        report_(report),
        progress_(progress),
        bytes_before_(bytes_before) {}

  // Reads the file and fills report_.kpis for its KPIs.
  absl::Status Run(const std::vector<size_t>& kpis);

 private:
  // Opens the call of KPI `k` (index in Spec::kpis) for its period `p`.
  Consumer OpenConsumer(size_t k, size_t p, const ColumnChunk& chunk);
  // Sends a chunk to every consumer, each the rows of its period.
  absl::Status Dispatch(const ColumnChunk& chunk);
  // Ends every call and stores its result.
  absl::Status FinishAll();
  // Ends every stream after a failure; returns `error`.
  absl::Status Abort(absl::Status error);
  void OnBadField(const ColumnChunk& chunk, int64_t line, size_t column,
                  int field_number, absl::string_view text, const char* reason);

  const Spec& spec_;
  const FileSpec& file_;
  const Connection& connection_;
  const RunOptions& options_;
  Report& report_;
  Progress& progress_;
  int64_t bytes_before_;
  std::vector<std::string> header_;
  std::vector<Consumer> consumers_;
  // The first bad field with --strict, as the run's error.
  absl::Status strict_error_;
};

absl::Status FileRun::Abort(absl::Status error) {
  for (Consumer& consumer : consumers_) consumer.stream->Cancel();
  for (Consumer& consumer : consumers_) consumer.stream->Finish().IgnoreError();
  consumers_.clear();
  return error;
}

void FileRun::OnBadField(const ColumnChunk& chunk, int64_t line, size_t column,
                         int field_number, absl::string_view text,
                         const char* reason) {
  const std::string& name = chunk.spec(column).name;
  const bool in_header =
      field_number > 0 && field_number <= static_cast<int>(header_.size());
  BadField field{
      file_.path,        line,
      field_number,      in_header ? header_[field_number - 1] : name,
      std::string(text), reason};
  if (options_.strict && strict_error_.ok()) {
    strict_error_ = absl::FailedPreconditionError(
        absl::StrCat("bad row (--strict): ", Describe(field)));
  }
  const int64_t seen =
      static_cast<int64_t>(report_.bad_rows.examples().size()) +
      report_.bad_rows.fields_not_kept();
  if (seen < options_.bad_fields_printed) {
    progress_.Done();
    std::cerr << "kpi-report: bad row: " << Describe(field) << "\n";
  }
  report_.bad_rows.AddField(std::move(field));
}

absl::Status FileRun::Run(const std::vector<size_t>& kpis) {
  const std::string path = absl::StrCat(options_.data_dir, "/", file_.path);
  absl::StatusOr<CsvReader> reader = CsvReader::Open(path, file_.delimiter);
  if (!reader.ok()) return reader.status();
  header_ = reader->header();

  // The columns some KPI of this file uses, in the spec's order.
  std::set<std::string> used;
  for (size_t k : kpis) {
    const KpiSpec& kpi = spec_.kpis[k];
    for (const auto& [input, column] : kpi.inputs) used.insert(column);
    for (const std::string& column : kpi.group_by) used.insert(column);
    if (kpi.period && !kpi.period->filter.empty()) {
      used.insert(kpi.period->filter);
    }
  }
  std::vector<const ColumnSpec*> columns;
  for (const ColumnSpec& column : file_.columns) {
    if (used.count(column.name) > 0) columns.push_back(&column);
  }
  absl::StatusOr<std::vector<int>> fields =
      MapColumns(file_.path, header_, columns);
  if (!fields.ok()) return fields.status();
  ColumnChunk chunk(columns, *fields);
  for (size_t k : kpis) {
    for (size_t p = 0; p < report_.kpis[k].periods.size(); ++p) {
      consumers_.push_back(OpenConsumer(k, p, chunk));
    }
  }

  FileStats& stats = report_.files.emplace_back();
  stats.name = file_.name;
  stats.path = file_.path;
  stats.delimiter = reader->delimiter();
  absl::Status status;
  const absl::Status read = reader->ReadRows(
      [&](absl::Span<const absl::string_view> record, int64_t line) {
        ++stats.rows;
        ++report_.rows;
        const bool good = chunk.AddRow(
            record, [&](size_t column, int field_number, absl::string_view text,
                        const char* reason) {
              OnBadField(chunk, line, column, field_number, text, reason);
            });
        if (!good) {
          ++stats.bad_rows;
          report_.bad_rows.AddRow(file_.path);
          if (!strict_error_.ok()) return false;
        }
        if (chunk.rows() >= static_cast<size_t>(options_.chunk_rows) ||
            chunk.bytes() >= kMaxChunkBytes) {
          status = Dispatch(chunk);
          chunk.Clear();
          progress_.Update(file_.path, bytes_before_ + reader->bytes_read(),
                           report_.rows);
          if (!status.ok()) return false;
        }
        return true;
      });
  if (!strict_error_.ok()) return Abort(strict_error_);
  if (!status.ok()) return status;  // Dispatch has aborted already
  if (!read.ok()) return Abort(read);
  if (chunk.rows() > 0) {
    if (absl::Status s = Dispatch(chunk); !s.ok()) return s;
  }
  progress_.Update(file_.path, bytes_before_ + reader->bytes_read(),
                   report_.rows);
  return FinishAll();
}

Consumer FileRun::OpenConsumer(size_t k, size_t p, const ColumnChunk& chunk) {
  const KpiSpec& kpi = spec_.kpis[k];
  const Period& period = report_.kpis[k].periods[p].period;
  // Columns of the chunk by name; the spec was checked, so each is there.
  auto chunk_column = [&](const std::string& name) {
    size_t i = 0;
    while (i + 1 < chunk.columns() && chunk.spec(i).name != name) ++i;
    return i;
  };
  Consumer consumer;
  consumer.kpi = k;
  consumer.period = p;
  kpi::v1::ComputeStreamRequest first;
  first.set_metric(kpi.metric);
  auto& parameters = *first.mutable_parameters();
  for (const auto& [name, value] : kpi.parameters) parameters[name] = value;
  for (const std::string& g : kpi.group_by) first.add_group_by(g);
  if (kpi.period) {
    const PeriodUse& use = *kpi.period;
    if (!use.start_parameter.empty()) {
      parameters[use.start_parameter] = TimestampValue(period.start);
    }
    if (!use.end_parameter.empty()) {
      parameters[use.end_parameter] = TimestampValue(period.end);
    }
    if (!use.at_parameter.empty()) {
      parameters[use.at_parameter] = TimestampValue(period.end);
    }
    if (!use.filter.empty()) {
      consumer.filter = static_cast<int>(chunk_column(use.filter));
      consumer.cumulative = use.cumulative;
      consumer.low = absl::ToUnixMicros(period.start);
      // The lookahead never reaches past the window: rows after its end
      // are not part of the report.
      consumer.high = absl::ToUnixMicros(
          std::min(period.end + absl::Hours(24) * use.lookahead_days,
                   report_.window.end));
    }
  }
  for (const auto& [input, column] : kpi.inputs) {
    consumer.columns.emplace_back(chunk_column(column), input);
  }
  for (const std::string& g : kpi.group_by) {
    consumer.columns.emplace_back(chunk_column(g), g);
  }
  // The server picks the metric's input form from the columns of the first
  // chunk: it carries them all, with no rows yet.
  for (const auto& [column, name] : consumer.columns) {
    chunk.AppendTo(column, nullptr, name, first.add_columns());
  }
  consumer.stream = std::make_unique<MetricStream>(connection_, first);
  return consumer;
}

absl::Status FileRun::FinishAll() {
  for (size_t i = 0; i < consumers_.size(); ++i) {
    Consumer& consumer = consumers_[i];
    absl::StatusOr<kpi::v1::MetricResult> result = consumer.stream->Finish();
    if (!result.ok()) {
      const KpiResults& kpi = report_.kpis[consumer.kpi];
      const absl::Status error = absl::Status(
          result.status().code(),
          absl::StrCat(Where(*kpi.kpi, kpi.periods[consumer.period].period),
                       ": ", result.status().message()));
      // The streams not finished yet are still open.
      consumers_.erase(consumers_.begin(), consumers_.begin() + i + 1);
      return Abort(error);
    }
    report_.kpis[consumer.kpi].periods[consumer.period].result =
        *std::move(result);
  }
  consumers_.clear();
  return absl::OkStatus();
}

absl::Status FileRun::Dispatch(const ColumnChunk& chunk) {
  std::vector<uint32_t> selected;
  const absl::Time now = absl::Now();
  for (size_t i = 0; i < consumers_.size(); ++i) {
    Consumer& consumer = consumers_[i];
    const std::vector<uint32_t>* rows = nullptr;
    if (consumer.filter >= 0) {
      selected.clear();
      const size_t f = static_cast<size_t>(consumer.filter);
      for (size_t r = 0; r < chunk.rows(); ++r) {
        const int64_t t = chunk.Int(f, r);
        if (t < consumer.high && (consumer.cumulative || t >= consumer.low)) {
          selected.push_back(static_cast<uint32_t>(r));
        }
      }
      rows = &selected;
      if (selected.empty() &&
          now - consumer.stream->last_write() < kKeepAlive) {
        continue;
      }
    }
    kpi::v1::ComputeStreamRequest request;
    if (rows == nullptr || !rows->empty()) {
      for (const auto& [column, name] : consumer.columns) {
        chunk.AppendTo(column, rows, name, request.add_columns());
      }
    }
    if (!consumer.stream->Write(request)) {
      // The server ended the call; Finish says why.
      absl::StatusOr<kpi::v1::MetricResult> result = consumer.stream->Finish();
      const KpiResults& kpi = report_.kpis[consumer.kpi];
      const absl::Status error = absl::Status(
          result.ok() ? absl::StatusCode::kInternal : result.status().code(),
          absl::StrCat(Where(*kpi.kpi, kpi.periods[consumer.period].period),
                       ": ",
                       result.ok() ? "the server answered before the end of "
                                     "the stream"
                                   : result.status().message()));
      consumers_.erase(consumers_.begin() + i);
      return Abort(error);
    }
  }
  return absl::OkStatus();
}

// Checks that the server serves every metric of the spec, so a typo or a
// plugin that is not loaded fails the run before any file is read.
absl::Status CheckMetrics(const Spec& spec, const Connection& connection) {
  grpc::ClientContext context;
  connection.Prepare(&context);
  kpi::v1::ListMetricsResponse response;
  const grpc::Status status = connection.stub().ListMetrics(
      &context, kpi::v1::ListMetricsRequest(), &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("ListMetrics on ", connection.server(),
                                     ": ", DescribeCallError(status, context)));
  }
  std::set<std::string> served;
  for (const auto& metric : response.metrics()) served.insert(metric.name());
  for (const KpiSpec& kpi : spec.kpis) {
    if (served.count(kpi.metric) == 0) {
      return absl::NotFoundError(absl::StrCat(
          "kpi '", kpi.id, "': the server at ", connection.server(),
          " serves no metric '", kpi.metric, "' (kpi --server ",
          connection.server(), " list shows what it has)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Report> RunReport(const Spec& spec, const Window& window,
                                 const Connection& connection,
                                 const RunOptions& options) {
  const absl::Time start = absl::Now();
  if (absl::Status s = CheckMetrics(spec, connection); !s.ok()) return s;
  Report report;
  report.window = window;
  report.periods = PlanPeriods(spec.periods, window.start, window.end);
  for (const KpiSpec& kpi : spec.kpis) {
    KpiResults& results = report.kpis.emplace_back();
    results.kpi = &kpi;
    if (kpi.period) {
      for (const Period& period : report.periods) {
        results.periods.push_back({period, {}});
      }
    } else {
      results.periods.push_back({WholeWindow(window.start, window.end), {}});
    }
  }
  // Files in the spec's order, each read once for all its KPIs.
  std::vector<std::pair<const FileSpec*, std::vector<size_t>>> files;
  int64_t total_bytes = 0;
  for (const FileSpec& file : spec.files) {
    std::vector<size_t> kpis;
    for (size_t k = 0; k < spec.kpis.size(); ++k) {
      if (spec.kpis[k].file == file.name) kpis.push_back(k);
    }
    if (kpis.empty()) continue;
    struct stat info;
    const std::string path = absl::StrCat(options.data_dir, "/", file.path);
    if (stat(path.c_str(), &info) == 0) total_bytes += info.st_size;
    files.emplace_back(&file, std::move(kpis));
  }
  Progress progress(options.progress, total_bytes);
  int64_t bytes_before = 0;
  for (const auto& [file, kpis] : files) {
    FileRun run(spec, *file, connection, options, report, progress,
                bytes_before);
    const absl::Status status = run.Run(kpis);
    progress.Done();
    if (!status.ok()) return status;
    struct stat info;
    const std::string path = absl::StrCat(options.data_dir, "/", file->path);
    if (stat(path.c_str(), &info) == 0) bytes_before += info.st_size;
  }
  report.elapsed = absl::Now() - start;
  return report;
}

}  // namespace kpi::report
