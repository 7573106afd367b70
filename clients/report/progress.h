// The progress line on stderr while files are read: the file, rows read,
// rows/s and an ETA from the bytes still to read. Redrawn at most five
// times a second; silent when disabled (stderr not a terminal, --quiet).

#ifndef KPI_CLIENTS_REPORT_PROGRESS_H_
#define KPI_CLIENTS_REPORT_PROGRESS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace kpi::report {

class Progress {
 public:
  // `total_bytes`: of every file the run reads.
  Progress(bool enabled, int64_t total_bytes);

  // Where the run is: `file` being read, `bytes` of all files done (the
  // files before and this one's bytes so far), `rows` read in all.
  void Update(const std::string& file, int64_t bytes, int64_t rows);
  // Clears the line.
  void Done();

 private:
  bool enabled_;
  int64_t total_bytes_;
  absl::Time start_;
  absl::Time last_draw_;
  bool drawn_ = false;
};

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_PROGRESS_H_
