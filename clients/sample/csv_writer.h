// Writes one RFC 4180 CSV file, row by row, through a buffer of its own.
//
// The file appears under its name only when Finish() succeeds: rows go to
// "NAME.partial", renamed to NAME at the end, so a reader never mistakes
// the file of a failed or interrupted run for a complete one.
//
// Errors (a full disk, a row with the wrong number of fields) are kept, not
// thrown: the first one is returned by status() and Finish(), and
// everything written after it is dropped. Not thread-safe.

#ifndef KPI_CLIENTS_SAMPLE_CSV_WRITER_H_
#define KPI_CLIENTS_SAMPLE_CSV_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "civil_time.h"

namespace kpi::sample {

class CsvWriter {
 public:
  // Creates (or truncates) `path`.partial and writes the header row.
  static absl::StatusOr<std::unique_ptr<CsvWriter>> Open(
      std::string path, absl::Span<const absl::string_view> header);

  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;
  // Without a successful Finish(), closes and removes the partial file.
  ~CsvWriter();

  // Fields of the current row, in header order. Text is quoted when it
  // holds a comma, a quote or a line break (ours never do; others may).
  void Text(absl::string_view text);
  void Integer(int64_t value);
  // Cents as dollars with two decimals: 2900 -> "29.00".
  void Money(int64_t cents);
  void Timestamp(Time t);  // "2024-03-05T14:07:00Z"
  void Date(Time t);       // "2024-03-05"
  void Empty();            // an absent value
  // Ends the row (CRLF). A row whose field count differs from the header's
  // is an error (a bug in the caller), reported by status().
  void EndRow();

  // Data rows written so far (the header not counted).
  int64_t rows() const { return rows_; }
  const absl::Status& status() const { return status_; }

  // Flushes, closes, and renames the partial file to `path`.
  absl::Status Finish();

 private:
  CsvWriter(std::string path, int fd, size_t columns);
  void StartField();
  void Flush();
  void Fail(absl::Status status);

  std::string path_;
  int fd_;
  size_t columns_;
  size_t fields_in_row_ = 0;
  int64_t rows_ = 0;
  bool finished_ = false;
  std::string buffer_;
  absl::Status status_;
};

// Writes `bytes` to `path` as a whole: through `path`.partial and a
// rename, as CsvWriter does.
absl::Status WriteWholeFile(const std::string& path, absl::string_view bytes);

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_CSV_WRITER_H_
