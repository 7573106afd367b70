// Streaming CSV reading with libcsv: RFC 4180 quoting, any of LF, CRLF or CR
// line ends, a delimiter given or detected. The file is read in 1 MiB blocks
// and each record handed to a callback as string_views into a buffer that
// is reused, so memory does not grow with the file.

#ifndef KPI_CLIENTS_REPORT_CSV_READER_H_
#define KPI_CLIENTS_REPORT_CSV_READER_H_

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kpi::report {

// The delimiter of `sample` (the start of a file): of ',', ';' and '\t', the
// one found most often outside quotes in its first line; ',' if none.
char DetectDelimiter(absl::string_view sample);

class CsvReader {
 public:
  // Called for every record after the header with its fields and the line
  // it starts on (the header is line 1; a quoted field that spans lines
  // moves the lines after it, a blank line is skipped but counted). Returns
  // false to stop reading.
  using RowCallback = std::function<bool(
      absl::Span<const absl::string_view> fields, int64_t line)>;

  // Opens `path` and reads its header. `delimiter` 0: detected. Errors name
  // the path: one that cannot be opened, an empty file.
  static absl::StatusOr<CsvReader> Open(const std::string& path,
                                        char delimiter);

  CsvReader(CsvReader&& other) noexcept;
  CsvReader& operator=(CsvReader&&) = delete;
  CsvReader(const CsvReader&) = delete;
  ~CsvReader();

  const std::vector<std::string>& header() const { return header_; }
  char delimiter() const { return delimiter_; }
  // Bytes read from the file so far.
  int64_t bytes_read() const { return bytes_read_; }

  // Reads the rest of the file, calling `on_row` for each record. Errors: a
  // read error, an unterminated quoted field at the end, a field larger
  // than the parser can hold.
  absl::Status ReadRows(const RowCallback& on_row);

 private:
  struct Parser;  // libcsv's state and the record being assembled
  CsvReader(std::string path, std::FILE* file, char delimiter);

  std::string path_;
  std::FILE* file_;
  char delimiter_;
  int64_t bytes_read_ = 0;
  std::vector<std::string> header_;
  Parser* parser_;
};

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_CSV_READER_H_
