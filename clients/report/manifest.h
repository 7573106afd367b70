// The data window from kpi-sample's manifest.json (docs/reports.md,
// "Sample data"): a reader takes the window from there rather than guessing
// it from the data.

#ifndef KPI_CLIENTS_REPORT_MANIFEST_H_
#define KPI_CLIENTS_REPORT_MANIFEST_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace kpi::report {

struct Window {
  absl::Time start;
  absl::Time end;
};

// The window of DIR/manifest.json; nullopt when there is no such file. An
// error names the file when it is not JSON or its window_start/window_end
// are missing or not ISO 8601 instants.
absl::StatusOr<std::optional<Window>> ReadManifestWindow(
    const std::string& directory);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_MANIFEST_H_
