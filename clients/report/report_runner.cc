#include "report_runner.h"

#include <sys/stat.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
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

// Drops the tables of `result` and of its segments' results not named in
// `keep` (all are kept when it is empty): a per-customer table would make
// the report as long as the customer list.
void KeepTables(const std::vector<std::string>& keep,
                kpi::v1::MetricResult& result) {
  if (keep.empty()) return;
  auto* tables = result.mutable_tables();
  tables->erase(std::remove_if(tables->begin(), tables->end(),
                               [&](const kpi::v1::ResultTable& table) {
                                 return std::find(keep.begin(), keep.end(),
                                                  table.name()) == keep.end();
                               }),
                tables->end());
  for (kpi::v1::SegmentResult& segment : *result.mutable_segments()) {
    KeepTables(keep, *segment.mutable_result());
  }
}

// Whether some KPI of `kpis` (indexes in spec.kpis) lists customers at
// risk, so its file is read once more for their signals.
bool ListsAtRisk(const Spec& spec, const std::vector<size_t>& kpis) {
  return std::any_of(kpis.begin(), kpis.end(),
                     [&](size_t k) { return spec.kpis[k].at_risk > 0; });
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
  // Chunk columns of PeriodUse::active, or -1; the closed period they are
  // tested against, in microseconds.
  int active_start = -1;
  int active_end = -1;
  bool history = false;
  int64_t period_start = 0;
  int64_t period_end = 0;

  // Whether this call's period filters the rows it gets.
  bool Filters() const { return filter >= 0 || active_start >= 0; }
  // Whether row `r` of `chunk` goes to this call.
  bool Wants(const ColumnChunk& chunk, size_t r) const {
    if (filter >= 0) {
      const int64_t t = chunk.Int(static_cast<size_t>(filter), r);
      if (t >= high || (!cumulative && t < low)) return false;
    }
    if (active_start >= 0) {
      const int64_t start = chunk.Int(static_cast<size_t>(active_start), r);
      if (start > period_end) return false;
      const int64_t end = chunk.Int(static_cast<size_t>(active_end), r);
      if (end <= period_start && !(history && start < period_start)) {
        return false;
      }
    }
    return true;
  }
};

// How many of a file's `calls` are open at once: all of them, or its
// max_open_calls (then the file is read once per that many).
size_t OpenCallsPerPass(const FileSpec& file, size_t calls) {
  if (file.max_open_calls <= 0) return std::max<size_t>(calls, 1);
  return static_cast<size_t>(file.max_open_calls);
}

// Everything needed to read one file and feed its consumers.
class FileRun {
 public:
  // `bytes_before`: what the files read before this one weigh, for the
  // progress line; `file_bytes`: this file's size.
  FileRun(const Spec& spec, const FileSpec& file, const Client& client,
          const RunOptions& options, Report& report, Progress& progress,
          int64_t bytes_before, int64_t file_bytes)
      : spec_(spec),
        file_(file),
        client_(client),
        options_(options),
        report_(report),
        progress_(progress),
        bytes_before_(bytes_before),
        file_bytes_(file_bytes) {}

  // Reads the file, in as many passes as its max_open_calls asks, and
  // fills report_.kpis for its KPIs; then, when some of them list customers
  // at risk, once more for those customers' signals.
  absl::Status Run(const std::vector<size_t>& kpis);

 private:
  // Reads the file once more and gives each at-risk customer of `kpis` the
  // signals of their rows. A row with a bad field, which no call received,
  // is skipped as it was then. `pass`: the read's number, for the progress
  // line.
  absl::Status ReadAtRiskSignals(const std::vector<size_t>& kpis, size_t pass);
  // Reads the file once for `calls` ((KPI, period) indexes), the
  // `pass`-th time it is read.
  absl::Status Pass(absl::Span<const std::pair<size_t, size_t>> calls,
                    size_t pass);
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
  const Client& client_;
  const RunOptions& options_;
  Report& report_;
  Progress& progress_;
  int64_t bytes_before_;
  int64_t file_bytes_;
  // The columns the KPIs use, in the spec's order.
  std::vector<const ColumnSpec*> columns_;
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
  // The columns some KPI of this file uses, in the spec's order.
  std::set<std::string> used;
  for (size_t k : kpis) {
    const KpiSpec& kpi = spec_.kpis[k];
    for (const auto& [input, column] : kpi.inputs) used.insert(column);
    for (const std::string& column : kpi.group_by) used.insert(column);
    if (kpi.period) {
      for (const std::string* column :
           {&kpi.period->filter, &kpi.period->active_start,
            &kpi.period->active_end}) {
        if (!column->empty()) used.insert(*column);
      }
    }
  }
  for (const ColumnSpec& column : file_.columns) {
    if (used.count(column.name) > 0) columns_.push_back(&column);
  }
  // The calls in the spec's order (KPI, then period), at most
  // max_open_calls of them a pass.
  std::vector<std::pair<size_t, size_t>> calls;
  for (size_t k : kpis) {
    for (size_t p = 0; p < report_.kpis[k].periods.size(); ++p) {
      calls.emplace_back(k, p);
    }
  }
  const size_t per_pass = OpenCallsPerPass(file_, calls.size());
  report_.files.push_back({file_.name, file_.path});
  size_t passes = 0;
  for (size_t first = 0; first < calls.size(); first += per_pass) {
    const size_t count = std::min(per_pass, calls.size() - first);
    if (absl::Status s =
            Pass(absl::MakeConstSpan(calls).subspan(first, count), passes++);
        !s.ok()) {
      return s;
    }
  }
  return ReadAtRiskSignals(kpis, passes);
}

absl::Status FileRun::ReadAtRiskSignals(const std::vector<size_t>& kpis,
                                        size_t pass) {
  // Per KPI with customers to explain: its collector and the chunk columns
  // of its customer, signal and value inputs.
  struct Reading {
    std::unique_ptr<SignalCollector> collector;
    int columns[3] = {-1, -1, -1};
  };
  std::vector<Reading> readings;
  for (size_t k : kpis) {
    const KpiSpec& kpi = spec_.kpis[k];
    for (KpiPeriodResult& r : report_.kpis[k].periods) {
      if (kpi.at_risk == 0 || r.at_risk.empty()) continue;
      Reading& reading = readings.emplace_back();
      reading.collector =
          std::make_unique<SignalCollector>(r.at_risk, DeclaredSignals(kpi));
      static constexpr const char* kInputs[] = {"customer", "signal", "value"};
      for (int i = 0; i < 3; ++i) {
        for (const auto& [input, column] : kpi.inputs) {
          if (input != kInputs[i]) continue;
          for (size_t c = 0; c < columns_.size(); ++c) {
            if (columns_[c]->name == column) {
              reading.columns[i] = static_cast<int>(c);
            }
          }
        }
      }
    }
  }
  if (readings.empty()) return absl::OkStatus();
  const std::string path = absl::StrCat(options_.data_dir, "/", file_.path);
  absl::StatusOr<CsvReader> reader = CsvReader::Open(path, file_.delimiter);
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::vector<int>> fields =
      MapColumns(file_.path, reader->header(), columns_);
  if (!fields.ok()) return fields.status();
  // The chunk only judges each row as the passes did: it holds one at most.
  ColumnChunk chunk(columns_, *fields);
  const int64_t bytes_before = bytes_before_ + pass * file_bytes_;
  int64_t rows = 0;
  const absl::Status read = reader->ReadRows(
      [&](absl::Span<const absl::string_view> record, int64_t) {
        const bool good = chunk.AddRow(
            record, [](size_t, int, absl::string_view, const char*) {});
        chunk.Clear();
        if (++rows % options_.chunk_rows == 0) {
          progress_.Update(file_.path, bytes_before + reader->bytes_read(),
                           report_.rows);
        }
        if (!good) return true;
        for (Reading& reading : readings) {
          if (std::find(std::begin(reading.columns), std::end(reading.columns),
                        -1) != std::end(reading.columns)) {
            continue;
          }
          auto field = [&](int input) {
            return absl::StripAsciiWhitespace(
                record[(*fields)[reading.columns[input]]]);
          };
          double value = 0;
          const char* reason;
          if (!ParseDouble(field(2), &value, &reason)) continue;
          reading.collector->Add(field(0), field(1), value);
        }
        return true;
      });
  if (!read.ok()) return read;
  for (Reading& reading : readings) reading.collector->Finish();
  progress_.Update(file_.path, bytes_before + reader->bytes_read(),
                   report_.rows);
  return absl::OkStatus();
}

absl::Status FileRun::Pass(absl::Span<const std::pair<size_t, size_t>> calls,
                           size_t pass) {
  const std::string path = absl::StrCat(options_.data_dir, "/", file_.path);
  absl::StatusOr<CsvReader> reader = CsvReader::Open(path, file_.delimiter);
  if (!reader.ok()) return reader.status();
  header_ = reader->header();
  absl::StatusOr<std::vector<int>> fields =
      MapColumns(file_.path, header_, columns_);
  if (!fields.ok()) return fields.status();
  ColumnChunk chunk(columns_, *fields);
  for (const auto& [k, p] : calls) {
    consumers_.push_back(OpenConsumer(k, p, chunk));
  }
  // Rows and bad rows are counted, and bad fields reported, on the first
  // pass; later passes skip the same rows silently.
  const bool first_pass = pass == 0;
  FileStats& stats = report_.files.back();
  stats.delimiter = reader->delimiter();
  const int64_t bytes_before = bytes_before_ + pass * file_bytes_;
  int64_t rows = 0;
  absl::Status status;
  const absl::Status read = reader->ReadRows(
      [&](absl::Span<const absl::string_view> record, int64_t line) {
        ++rows;
        const bool good = chunk.AddRow(
            record, [&](size_t column, int field_number, absl::string_view text,
                        const char* reason) {
              if (first_pass) {
                OnBadField(chunk, line, column, field_number, text, reason);
              }
            });
        if (!good && first_pass) {
          ++stats.bad_rows;
          report_.bad_rows.AddRow(file_.path);
          if (!strict_error_.ok()) return false;
        }
        if (chunk.rows() >= static_cast<size_t>(options_.chunk_rows) ||
            chunk.bytes() >= kMaxChunkBytes) {
          status = Dispatch(chunk);
          chunk.Clear();
          progress_.Update(file_.path, bytes_before + reader->bytes_read(),
                           report_.rows + (first_pass ? rows : 0));
          if (!status.ok()) return false;
        }
        return true;
      });
  if (first_pass) {
    stats.rows = rows;
    report_.rows += rows;
  }
  if (!strict_error_.ok()) return Abort(strict_error_);
  if (!status.ok()) return status;  // Dispatch has aborted already
  if (!read.ok()) return Abort(read);
  if (chunk.rows() > 0) {
    if (absl::Status s = Dispatch(chunk); !s.ok()) return s;
  }
  progress_.Update(file_.path, bytes_before + reader->bytes_read(),
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
    if (!use.active_start.empty()) {
      consumer.active_start = static_cast<int>(chunk_column(use.active_start));
      consumer.active_end = static_cast<int>(chunk_column(use.active_end));
      consumer.history = use.history;
      consumer.period_start = absl::ToUnixMicros(period.start);
      consumer.period_end = absl::ToUnixMicros(period.end);
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
  consumer.stream = std::make_unique<MetricStream>(client_, first);
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
    KpiResults& kpi = report_.kpis[consumer.kpi];
    KpiPeriodResult& slot = kpi.periods[consumer.period];
    // The lowest scores are picked before the per-customer table is
    // dropped: the report keeps those customers only.
    if (kpi.kpi->at_risk > 0) {
      absl::StatusOr<std::vector<AtRiskCustomer>> at_risk =
          LowestScoredCustomers(*result, static_cast<size_t>(kpi.kpi->at_risk));
      if (!at_risk.ok()) {
        consumers_.erase(consumers_.begin(), consumers_.begin() + i + 1);
        return Abort(absl::InternalError(
            absl::StrCat(Where(*kpi.kpi, slot.period),
                         ": at_risk: ", at_risk.status().message())));
      }
      slot.at_risk = *std::move(at_risk);
    }
    KeepTables(kpi.kpi->tables, *result);
    slot.result = *std::move(result);
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
    if (consumer.Filters()) {
      selected.clear();
      for (size_t r = 0; r < chunk.rows(); ++r) {
        if (consumer.Wants(chunk, r)) {
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
absl::Status CheckMetrics(const Spec& spec, const Client& client) {
  const absl::StatusOr<kpi::v1::ListMetricsResponse> response =
      client.ListMetrics();
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        absl::StrCat("ListMetrics on ", client.target(), ": ",
                                     kpi::Describe(response.status())));
  }
  std::set<std::string> served;
  for (const auto& metric : response->metrics()) served.insert(metric.name());
  for (const KpiSpec& kpi : spec.kpis) {
    if (served.count(kpi.metric) == 0) {
      return absl::NotFoundError(
          absl::StrCat("kpi '", kpi.id, "': the server at ", client.target(),
                       " serves no metric '", kpi.metric, "' (kpi --server ",
                       client.target(), " list shows what it has)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Report> RunReport(const Spec& spec, const Window& window,
                                 const Client& client,
                                 const RunOptions& options) {
  const absl::Time start = absl::Now();
  if (absl::Status s = CheckMetrics(spec, client); !s.ok()) return s;
  Report report;
  report.window = window;
  report.periods = PlanPeriods(spec.periods, window.start, window.end);
  for (const KpiSpec& kpi : spec.kpis) {
    KpiResults& results = report.kpis.emplace_back();
    results.kpi = &kpi;
    if (kpi.period && kpi.period->latest) {
      results.periods.push_back({report.periods.back(), {}, {}});
    } else if (kpi.period) {
      for (const Period& period : report.periods) {
        results.periods.push_back({period, {}, {}});
      }
    } else {
      results.periods.push_back(
          {WholeWindow(window.start, window.end), {}, {}});
    }
  }
  // Files in the spec's order, each read once for all its KPIs (or once
  // per max_open_calls of them).
  struct FileWork {
    const FileSpec* file;
    std::vector<size_t> kpis;
    int64_t bytes = 0;
    size_t passes = 1;
  };
  std::vector<FileWork> files;
  int64_t total_bytes = 0;
  for (const FileSpec& file : spec.files) {
    FileWork work{&file, {}};
    size_t calls = 0;
    for (size_t k = 0; k < spec.kpis.size(); ++k) {
      if (spec.kpis[k].file != file.name) continue;
      work.kpis.push_back(k);
      calls += report.kpis[k].periods.size();
    }
    if (work.kpis.empty()) continue;
    const size_t per_pass = OpenCallsPerPass(file, calls);
    work.passes = (calls + per_pass - 1) / per_pass +
                  (ListsAtRisk(spec, work.kpis) ? 1 : 0);
    struct stat info;
    const std::string path = absl::StrCat(options.data_dir, "/", file.path);
    if (stat(path.c_str(), &info) == 0) work.bytes = info.st_size;
    total_bytes += work.bytes * static_cast<int64_t>(work.passes);
    files.push_back(std::move(work));
  }
  Progress progress(options.progress, total_bytes);
  int64_t bytes_before = 0;
  for (const FileWork& work : files) {
    FileRun run(spec, *work.file, client, options, report, progress,
                bytes_before, work.bytes);
    const absl::Status status = run.Run(work.kpis);
    progress.Done();
    if (!status.ok()) return status;
    bytes_before += work.bytes * static_cast<int64_t>(work.passes);
  }
  report.elapsed = absl::Now() - start;
  return report;
}

}  // namespace kpi::report
