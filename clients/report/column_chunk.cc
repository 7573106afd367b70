#include "column_chunk.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "field_values.h"

namespace kpi::report {
namespace {

// An id that is the decimal text of an int64 and nothing else: "42", not
// "042" or "+42", which are other ids as strings (docs/api.md: 42 and "42"
// are one customer, so only the canonical text may become an int64).
bool CanonicalInt(absl::string_view text, int64_t* value) {
  if (text.empty() || text[0] == '+') return false;
  const absl::string_view digits = text[0] == '-' ? text.substr(1) : text;
  if (digits.empty() || (digits[0] == '0' && digits.size() > 1)) return false;
  if (text == "-0") return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  const char* reason;
  return ParseInt64(text, value, &reason);
}

}  // namespace

ColumnChunk::ColumnChunk(std::vector<const ColumnSpec*> columns,
                         std::vector<int> fields)
    : columns_(std::move(columns)),
      fields_(std::move(fields)),
      data_(columns_.size()),
      scratch_(columns_.size()) {}

bool ColumnChunk::AddRow(absl::Span<const absl::string_view> record,
                         const BadFieldCallback& bad) {
  bool good = true;
  for (size_t c = 0; c < columns_.size(); ++c) {
    const ColumnSpec& spec = *columns_[c];
    Parsed& parsed = scratch_[c];
    if (static_cast<size_t>(fields_[c]) >= record.size()) {
      bad(c, fields_[c] + 1, "",
          "missing field (the row has fewer fields than the header)");
      good = false;
      continue;
    }
    const absl::string_view text =
        absl::StripAsciiWhitespace(record[fields_[c]]);
    parsed.s = text;
    if (text.empty()) {
      if (spec.empty == EmptyField::kOpenEnd) {
        parsed.i = kOpenEnd;
        continue;
      }
      if (spec.empty == EmptyField::kAllowed) continue;
      bad(c, fields_[c] + 1, text, "missing value");
      good = false;
      continue;
    }
    const char* reason = nullptr;
    switch (spec.type) {
      case ColumnType::kKey:
        parsed.is_int = CanonicalInt(text, &parsed.i);
        break;
      case ColumnType::kTimestamp:
        if (!ParseTimestamp(text, &parsed.i, &reason)) break;
        break;
      case ColumnType::kInt64:
        if (!ParseInt64(text, &parsed.i, &reason)) break;
        if ((spec.min && parsed.i < *spec.min) ||
            (spec.max && parsed.i > *spec.max)) {
          reason = "out of the column's range (min/max in the spec)";
        }
        break;
      case ColumnType::kDouble:
        if (!ParseDouble(text, &parsed.d, &reason)) break;
        if ((spec.min && parsed.d < *spec.min) ||
            (spec.max && parsed.d > *spec.max)) {
          reason = "out of the column's range (min/max in the spec)";
        }
        break;
      case ColumnType::kString:
        if (!spec.values.empty() &&
            std::find(spec.values.begin(), spec.values.end(), text) ==
                spec.values.end()) {
          reason = "not one of the column's values (values in the spec)";
        }
        break;
    }
    if (reason != nullptr) {
      bad(c, fields_[c] + 1, text, reason);
      good = false;
    }
  }
  if (!good) return false;
  for (size_t c = 0; c < columns_.size(); ++c) {
    Data& data = data_[c];
    const Parsed& parsed = scratch_[c];
    switch (columns_[c]->type) {
      case ColumnType::kKey:
        if (data.keys_are_ints && !parsed.is_int) {
          // The chunk's keys go as strings from now on; the ints so far
          // become their (canonical) text.
          data.keys_are_ints = false;
          for (int64_t v : data.ints) data.strings.push_back(absl::StrCat(v));
          data.ints.clear();
        }
        if (data.keys_are_ints) {
          data.ints.push_back(parsed.i);
          bytes_ += 8;
        } else {
          data.strings.emplace_back(parsed.s);
          bytes_ += parsed.s.size() + 2;
        }
        break;
      case ColumnType::kTimestamp:
      case ColumnType::kInt64:
        data.ints.push_back(parsed.i);
        bytes_ += 8;
        break;
      case ColumnType::kDouble:
        data.doubles.push_back(parsed.d);
        bytes_ += 8;
        break;
      case ColumnType::kString:
        data.strings.emplace_back(parsed.s);
        bytes_ += parsed.s.size() + 2;
        break;
    }
  }
  ++rows_;
  return true;
}

void ColumnChunk::Clear() {
  for (Data& data : data_) {
    data.ints.clear();
    data.doubles.clear();
    data.strings.clear();
    data.keys_are_ints = true;
  }
  rows_ = 0;
  bytes_ = 0;
}

namespace {

template <typename T, typename Field>
void Copy(const std::vector<T>& values, const std::vector<uint32_t>* rows,
          Field* out) {
  if (rows == nullptr) {
    out->Add(values.begin(), values.end());
    return;
  }
  out->Reserve(static_cast<int>(rows->size()));
  for (uint32_t r : *rows) out->Add(values[r]);
}

void CopyStrings(const std::vector<std::string>& values,
                 const std::vector<uint32_t>* rows,
                 google::protobuf::RepeatedPtrField<std::string>* out) {
  if (rows == nullptr) {
    out->Reserve(static_cast<int>(values.size()));
    for (const std::string& v : values) out->Add()->assign(v);
    return;
  }
  out->Reserve(static_cast<int>(rows->size()));
  for (uint32_t r : *rows) out->Add()->assign(values[r]);
}

}  // namespace

void ColumnChunk::AppendTo(size_t column, const std::vector<uint32_t>* rows,
                           const std::string& name,
                           kpi::v1::Column* out) const {
  const Data& data = data_[column];
  out->set_name(name);
  switch (columns_[column]->type) {
    case ColumnType::kKey:
      if (data.keys_are_ints) {
        Copy(data.ints, rows, out->mutable_int64s()->mutable_values());
      } else {
        CopyStrings(data.strings, rows,
                    out->mutable_strings()->mutable_values());
      }
      break;
    case ColumnType::kTimestamp:
      Copy(data.ints, rows, out->mutable_timestamps()->mutable_unix_micros());
      break;
    case ColumnType::kInt64:
      Copy(data.ints, rows, out->mutable_int64s()->mutable_values());
      break;
    case ColumnType::kDouble:
      Copy(data.doubles, rows, out->mutable_doubles()->mutable_values());
      break;
    case ColumnType::kString:
      CopyStrings(data.strings, rows, out->mutable_strings()->mutable_values());
      break;
  }
}

}  // namespace kpi::report
