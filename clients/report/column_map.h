// Finding a spec's columns in a CSV header. Exports name the same thing in
// many ways ("Customer ID", "customer_id", "user_id"); a header matches a
// column when, normalised (lower case, spaces and '-' as '_', no byte-order
// mark, trimmed), it equals one of the column's `headers` or, failing that,
// one of the common aliases of the column's name.

#ifndef KPI_CLIENTS_REPORT_COLUMN_MAP_H_
#define KPI_CLIENTS_REPORT_COLUMN_MAP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "spec.h"

namespace kpi::report {

// `header` lower-cased, trimmed, without a UTF-8 byte-order mark, with
// spaces and '-' as '_'.
std::string NormalizeHeader(absl::string_view header);

// The names a column called `name` may have in a header: its own and the
// common aliases (customer: customer_id, user_id, ...).
std::vector<std::string> HeaderCandidates(const ColumnSpec& column);

// For each of `columns`, the index of its field in `header`. A NotFound error
// names the file, the column, every name tried, and the header.
absl::StatusOr<std::vector<int>> MapColumns(
    absl::string_view file, absl::Span<const std::string> header,
    absl::Span<const ColumnSpec* const> columns);

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_COLUMN_MAP_H_
