#include "raw_item.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace kpi::cli {
namespace {

// The shortest of %.15g..%.17g that reads back as `value`: 0.9 stays "0.9".
std::string ShortestText(double value) {
  for (int precision = 15; precision < 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

bool IsTextual(const RawItem& item) {
  return item.origin == ItemOrigin::kText ||
         item.origin == ItemOrigin::kJsonString;
}

absl::Status Problem(const RawItem& item, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(DescribeItem(item), " ", what));
}

// Whether `value` is whole and inside int64; then stores it in `out`.
bool WholeInt64(double value, int64_t* out) {
  // 2^63 is exact as a double; every double below it converts safely.
  constexpr double kTwoTo63 = 9223372036854775808.0;
  if (value != std::trunc(value) || value < -kTwoTo63 || value >= kTwoTo63) {
    return false;
  }
  *out = static_cast<int64_t>(value);
  return true;
}

absl::StatusOr<int64_t> WholeNumber(const RawItem& item, double value) {
  int64_t whole = 0;
  if (value != std::trunc(value)) return Problem(item, "is not a whole number");
  if (!WholeInt64(value, &whole)) {
    return Problem(item, "is out of range for a 64-bit integer");
  }
  return whole;
}

}  // namespace

RawItem TextItem(absl::string_view text) {
  return RawItem{std::string(text), ItemOrigin::kText};
}

RawItem JsonItem(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStringValue:
      return RawItem{value.string_value(), ItemOrigin::kJsonString};
    case google::protobuf::Value::kNumberValue:
      return RawItem{ShortestText(value.number_value()),
                     ItemOrigin::kJsonNumber};
    case google::protobuf::Value::kBoolValue:
      return RawItem{value.bool_value() ? "true" : "false",
                     ItemOrigin::kJsonBool};
    case google::protobuf::Value::kListValue:
      return RawItem{"[...]", ItemOrigin::kJsonArray};
    case google::protobuf::Value::kStructValue:
      return RawItem{"{...}", ItemOrigin::kJsonObject};
    case google::protobuf::Value::kNullValue:
    case google::protobuf::Value::KIND_NOT_SET:
      break;
  }
  return RawItem{"null", ItemOrigin::kJsonNull};
}

std::string DescribeItem(const RawItem& item) {
  if (IsTextual(item)) return absl::StrCat("\"", item.text, "\"");
  return item.text;
}

absl::StatusOr<double> ToDouble(const RawItem& item) {
  double value = 0;
  if (!(IsTextual(item) || item.origin == ItemOrigin::kJsonNumber) ||
      !absl::SimpleAtod(item.text, &value)) {
    return Problem(item, "is not a number");
  }
  if (!std::isfinite(value)) return Problem(item, "is not a finite number");
  return value;
}

absl::StatusOr<int64_t> ToInt64(const RawItem& item) {
  int64_t whole = 0;
  if (IsTextual(item) && absl::SimpleAtoi(item.text, &whole)) return whole;
  // Not plain digits: "1e3" is still a whole number; "1.5" is a number but
  // not whole, which deserves its own message.
  absl::StatusOr<double> value = ToDouble(item);
  if (!value.ok()) return value.status();
  return WholeNumber(item, *value);
}

absl::StatusOr<std::string> ToString(const RawItem& item) {
  if (!IsTextual(item)) return Problem(item, "is not a string");
  return item.text;
}

absl::StatusOr<int64_t> ToUnixMicros(const RawItem& item) {
  if (item.origin == ItemOrigin::kJsonNumber) {
    absl::StatusOr<double> value = ToDouble(item);
    if (!value.ok()) return value.status();
    return WholeNumber(item, *value);
  }
  constexpr absl::string_view kNotATimestamp =
      "is not a timestamp (want RFC 3339 like 2024-01-31T00:00:00Z, or unix "
      "microseconds)";
  if (!IsTextual(item)) return Problem(item, kNotATimestamp);
  const absl::string_view text = absl::StripAsciiWhitespace(item.text);
  int64_t micros = 0;
  if (absl::SimpleAtoi(text, &micros)) return micros;
  absl::Time time;
  std::string ignored;
  if (absl::ParseTime(absl::RFC3339_full, text, &time, &ignored) ||
      absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &ignored)) {
    return absl::ToUnixMicros(time);
  }
  return Problem(item, kNotATimestamp);
}

absl::StatusOr<int64_t> ToColumnUnixMicros(const RawItem& item) {
  if (item.origin == ItemOrigin::kJsonNull) return kOpenEnd;
  if (IsTextual(item)) {
    const absl::string_view text = absl::StripAsciiWhitespace(item.text);
    if (text.empty() || absl::EqualsIgnoreCase(text, "open")) return kOpenEnd;
  }
  return ToUnixMicros(item);
}

absl::StatusOr<bool> ToBool(const RawItem& item) {
  const absl::string_view text = absl::StripAsciiWhitespace(item.text);
  if (item.origin == ItemOrigin::kJsonBool || IsTextual(item)) {
    if (absl::EqualsIgnoreCase(text, "true")) return true;
    if (absl::EqualsIgnoreCase(text, "false")) return false;
  }
  return Problem(item, "is not true or false");
}

}  // namespace kpi::cli
