// One value exactly as the user gave it, before it is converted to the type a
// metric declares, and the conversions.
//
// Values reach the CLI in two ways: as text (`scores=10,9,3` on the command
// line) and as JSON (`--input-json '{"scores":[10,9,3]}'`). Both become
// RawItems, so there is one set of conversion rules and one wording of the
// errors whichever way a value came.

#ifndef KPI_CLIENTS_CLI_RAW_ITEM_H_
#define KPI_CLIENTS_CLI_RAW_ITEM_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace kpi::cli {

// The value of an open end in a timestamp column: the largest int64.
inline constexpr int64_t kOpenEnd = std::numeric_limits<int64_t>::max();

// Where a RawItem came from; decides which conversions accept it and how an
// error shows it.
enum class ItemOrigin {
  kText,        // a NAME=VALUE argument (or one comma-separated item of it)
  kJsonString,  // a JSON string
  kJsonNumber,  // a JSON number
  kJsonBool,    // a JSON true or false
  kJsonNull,    // a JSON null
  kJsonArray,   // a JSON array (never a valid single value)
  kJsonObject,  // a JSON object (never a valid value)
};

struct RawItem {
  // The text of the value: the argument text, the JSON string's contents,
  // the shortest text that reads back as the JSON number, "true"/"false",
  // "null", "[...]" or "{...}".
  std::string text;
  ItemOrigin origin = ItemOrigin::kText;
};

// A RawItem for text from the command line.
RawItem TextItem(absl::string_view text);

// A RawItem for one JSON value.
RawItem JsonItem(const google::protobuf::Value& value);

// How an error message shows `item`: text and JSON strings quoted
// (`"x"`), other JSON values as written (`10.5`, `true`).
std::string DescribeItem(const RawItem& item);

// The conversions. Each accepts text and JSON strings (parsed as text) and
// the JSON kind that naturally holds the type; on failure the status message
// is the end of a sentence about the item, e.g. `"x" is not a number`, to be
// prefixed with the name of the input. Surrounding ASCII whitespace in text
// is ignored by all but ToString.

// A finite number.
absl::StatusOr<double> ToDouble(const RawItem& item);
// A whole number in the range of int64 ("12", "1e3"; not "1.5").
absl::StatusOr<int64_t> ToInt64(const RawItem& item);
// Any text or JSON string, unchanged.
absl::StatusOr<std::string> ToString(const RawItem& item);
// Microseconds since the Unix epoch, from RFC 3339 text
// ("2024-01-31T00:00:00Z", "2024-01-31T01:00:00.5+01:00"), a date alone
// ("2024-01-31", midnight UTC) or a whole number of microseconds.
absl::StatusOr<int64_t> ToUnixMicros(const RawItem& item);
// ToUnixMicros for one item of a timestamp column, where an open end ("no
// end yet", e.g. of a subscription still running) may also be written as an
// empty item, the word "open" (any letter case) or a JSON null: kOpenEnd.
absl::StatusOr<int64_t> ToColumnUnixMicros(const RawItem& item);
// true or false (any letter case), or a JSON boolean.
absl::StatusOr<bool> ToBool(const RawItem& item);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_RAW_ITEM_H_
