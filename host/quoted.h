// Quoting a caller's text in an error message. Error messages travel back in
// the grpc-message header, and a caller controls names and values of any
// size (a 10 MB metric name once came back whole, and past about 8 KB the
// client saw a header-size error instead of the real one). So a caller's
// text is quoted to at most kMaxQuotedBytes, cut on a UTF-8 boundary, with
// its full size said.
#ifndef KPI_HOST_QUOTED_H_
#define KPI_HOST_QUOTED_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace kpi {

inline constexpr size_t kMaxQuotedBytes = 200;

// 'text', or 'first bytes...' (N bytes) when longer than kMaxQuotedBytes.
std::string Quoted(absl::string_view text);

// `message` cut to at most `max_bytes` (on a UTF-8 boundary), marked as cut:
// the last line of defence for messages that quote a caller's text without
// Quoted().
std::string CappedMessage(absl::string_view message, size_t max_bytes);

}  // namespace kpi

#endif  // KPI_HOST_QUOTED_H_
