#include "column_map.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace kpi::report {
namespace {

// Names the same thing goes by in the exports of common tools (Stripe,
// Shopify, Zendesk, Mixpanel ...). The first of a group is the canonical
// name; a column named by any of them matches all of them.
const std::vector<std::vector<std::string>>& AliasGroups() {
  static const auto* groups = new std::vector<std::vector<std::string>>{
      {"customer", "customer_id", "customerid", "user", "user_id", "userid",
       "client_id", "account_id", "account"},
      {"visitor", "visitor_id", "anonymous_id", "device_id", "session_id"},
      {"time", "timestamp", "datetime", "date", "created_at", "event_time",
       "occurred_at"},
      {"start", "start_time", "started_at", "start_date", "starts_at",
       "current_period_start"},
      {"end", "end_time", "ended_at", "end_date", "ends_at", "canceled_at",
       "cancelled_at"},
      {"amount", "price", "revenue", "total", "value"},
      {"score", "rating", "response"},
      {"created", "created_at", "opened", "opened_at"},
      {"first_response", "first_response_at", "first_reply_at",
       "first_responded_at"},
      {"resolved", "resolved_at", "solved_at", "closed_at"},
  };
  return *groups;
}

}  // namespace

std::string NormalizeHeader(absl::string_view header) {
  if (absl::StartsWith(header, "\xEF\xBB\xBF")) header.remove_prefix(3);
  std::string out(absl::StripAsciiWhitespace(header));
  for (char& c : out) {
    c = absl::ascii_tolower(static_cast<unsigned char>(c));
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

std::vector<std::string> HeaderCandidates(const ColumnSpec& column) {
  std::vector<std::string> names;
  for (const std::string& h : column.headers) {
    names.push_back(NormalizeHeader(h));
  }
  const std::string own = NormalizeHeader(column.name);
  for (const auto& group : AliasGroups()) {
    if (std::find(group.begin(), group.end(), own) == group.end()) continue;
    for (const std::string& alias : group) {
      if (std::find(names.begin(), names.end(), alias) == names.end()) {
        names.push_back(alias);
      }
    }
  }
  return names;
}

absl::StatusOr<std::vector<int>> MapColumns(
    absl::string_view file, absl::Span<const std::string> header,
    absl::Span<const ColumnSpec* const> columns) {
  std::vector<std::string> normalized;
  normalized.reserve(header.size());
  for (const std::string& h : header) normalized.push_back(NormalizeHeader(h));
  std::vector<int> indexes;
  for (const ColumnSpec* column : columns) {
    // The spec's own names win over aliases: with both "date" and
    // "created_at" in a header, a column declared with headers = ["date"]
    // takes "date" whatever the order of the fields.
    int found = -1;
    for (const std::string& candidate : HeaderCandidates(*column)) {
      for (size_t i = 0; i < normalized.size() && found < 0; ++i) {
        if (normalized[i] == candidate) found = static_cast<int>(i);
      }
      if (found >= 0) break;
    }
    if (found < 0) {
      return absl::NotFoundError(
          absl::StrCat(file, ": no column matches '", column->name, "' (tried ",
                       absl::StrJoin(HeaderCandidates(*column), ", "),
                       "); the header is: ", absl::StrJoin(header, ",")));
    }
    indexes.push_back(found);
  }
  return indexes;
}

}  // namespace kpi::report
