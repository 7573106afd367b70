// Rows of one CSV file read into typed columns: the unit in which a file is
// fanned out to its metric calls. Only the columns some KPI uses are kept.
// A chunk is filled row by row up to its size, sent, cleared and reused, so
// its buffers are allocated once per file.

#ifndef KPI_CLIENTS_REPORT_COLUMN_CHUNK_H_
#define KPI_CLIENTS_REPORT_COLUMN_CHUNK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "kpi/v1/values.pb.h"
#include "spec.h"

namespace kpi::report {

// Called for each bad field of a row: the column's index in the chunk, the
// 1-based field number in the record (where the header has it, also when
// the record is too short to have it), the text, and why it is bad.
using BadFieldCallback =
    std::function<void(size_t column, int field_number, absl::string_view text,
                       const char* reason)>;

class ColumnChunk {
 public:
  // `columns[i]` is read from field `fields[i]` (0-based) of each record.
  ColumnChunk(std::vector<const ColumnSpec*> columns, std::vector<int> fields);

  // Reads one record. When every field is good, appends the row and returns
  // true; otherwise calls `bad` for each bad field, appends nothing and
  // returns false.
  bool AddRow(absl::Span<const absl::string_view> record,
              const BadFieldCallback& bad);

  size_t rows() const { return rows_; }
  // About the bytes the rows take on the wire: 8 per number, a string's
  // length plus 2. A request for a chunk carries at most these.
  size_t bytes() const { return bytes_; }
  size_t columns() const { return columns_.size(); }
  const ColumnSpec& spec(size_t column) const { return *columns_[column]; }
  // Column `column`'s value in `row`; REQUIRES: a timestamp or int64 column.
  int64_t Int(size_t column, size_t row) const {
    return data_[column].ints[row];
  }
  void Clear();

  // Appends the column `column` of the rows `rows` (every row when null), as
  // a kpi.v1.Column named `name`, to `out`.
  void AppendTo(size_t column, const std::vector<uint32_t>* rows,
                const std::string& name, kpi::v1::Column* out) const;

 private:
  struct Data {
    std::vector<int64_t> ints;  // int64, timestamp; key while keys_are_ints
    std::vector<double> doubles;
    std::vector<std::string> strings;  // string; key once not all ints
    bool keys_are_ints = true;
  };
  // One field parsed, before the row is known to be good.
  struct Parsed {
    int64_t i = 0;
    double d = 0;
    absl::string_view s;
    bool is_int = false;  // a key that is a canonical integer
  };

  std::vector<const ColumnSpec*> columns_;
  std::vector<int> fields_;
  std::vector<Data> data_;
  std::vector<Parsed> scratch_;
  size_t rows_ = 0;
  size_t bytes_ = 0;
};

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_COLUMN_CHUNK_H_
