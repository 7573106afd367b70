// The bad rows of a run: every field that could not be read, with its file,
// line, column and reason. All are counted (per file and per reason); the
// first `examples_per_file` of each file are kept for the report, so a file
// that is bad throughout costs bounded memory.

#ifndef KPI_CLIENTS_REPORT_BAD_ROWS_H_
#define KPI_CLIENTS_REPORT_BAD_ROWS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace kpi::report {

struct BadField {
  std::string file;  // as named in the spec's path
  int64_t line = 0;  // 1-based; the header is line 1
  int column = 0;    // 1-based field number
  std::string header;
  std::string value;  // cut to 100 bytes
  std::string reason;
};

// Not thread-safe.
class BadRows {
 public:
  explicit BadRows(int examples_per_file = 100)
      : examples_per_file_(examples_per_file) {}

  // One bad field; a row may have several.
  void AddField(BadField field);
  // One row left out of every KPI because of its bad fields.
  void AddRow(const std::string& file) { ++rows_[file]; }

  int64_t total_rows() const;
  // Bad fields per (file, reason).
  const std::map<std::pair<std::string, std::string>, int64_t>& by_reason()
      const {
    return by_reason_;
  }
  const std::vector<BadField>& examples() const { return examples_; }
  // Fields counted but not kept as examples.
  int64_t fields_not_kept() const { return not_kept_; }

 private:
  int examples_per_file_;
  std::map<std::string, int64_t> rows_;
  std::map<std::string, int> kept_;
  std::map<std::pair<std::string, std::string>, int64_t> by_reason_;
  std::vector<BadField> examples_;
  int64_t not_kept_ = 0;
};

// "FILE line L column C (HEADER): REASON: 'VALUE'" ("missing value" has no
// value).
std::string Describe(const BadField& field);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_BAD_ROWS_H_
