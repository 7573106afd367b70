// The files kpi-sample writes and their columns: the contract with the
// programs that read them (kpi-report). One table, used to write each
// file's header and to print --help; docs/reports.md says the same in
// prose, and tests/sample checks the headers against it.
//
// Stability: within kFormatVersion, files and columns are only ever added
// at the end, never renamed, removed or reordered; segment values
// (records.h) are never renamed. Anything else is a new version, which
// manifest.json announces.
//
// Every file: RFC 4180 CSV, UTF-8, a header row, comma separated, CRLF line
// ends; instants are UTC in ISO 8601 ("2024-03-05T14:07:00Z"); money is in
// dollars with two decimals ("29.00"); an empty field is an absent value
// (an open end, a ticket not answered yet).

#ifndef KPI_CLIENTS_SAMPLE_FILE_FORMATS_H_
#define KPI_CLIENTS_SAMPLE_FILE_FORMATS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace kpi::sample {

inline constexpr int kFormatVersion = 1;

enum class File {
  kCustomers,
  kSubscriptions,
  kTransactions,
  kOrders,
  kSessions,
  kTickets,
  kNps,
  kCsat,
  kCes,
  kFunnel,
  kCampaigns,
  kHealthSignals,
};
inline constexpr int kFiles = 12;

struct ColumnFormat {
  absl::string_view name;
  absl::string_view meaning;
};

struct FileFormat {
  absl::string_view name;   // file name, e.g. "customers.csv"
  absl::string_view rows;   // what one row is
  absl::string_view feeds;  // the metric inputs its columns feed
  absl::Span<const ColumnFormat> columns;
};

const FileFormat& FormatOf(File file);

// Every file, the format described in words (for --help).
std::string DescribeFormats();

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_FILE_FORMATS_H_
