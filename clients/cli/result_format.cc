#include "result_format.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "number_format.h"
#include "raw_item.h"

namespace kpi::cli {
namespace {

// Interval statistics are estimates: four significant digits are plenty.
constexpr int kEstimateDigits = 4;

std::string IntervalLine(const kpi::v1::ConfidenceInterval& interval) {
  std::string label = "interval";
  if (interval.confidence_level() > 0) {
    label = absl::StrCat(FormatNumber(interval.confidence_level() * 100),
                         "% interval");
  }
  return absl::StrCat(
      "  ", label, ": ", FormatNumber(interval.lower(), kEstimateDigits),
      " .. ", FormatNumber(interval.upper(), kEstimateDigits), " (margin ±",
      FormatNumber(interval.margin(), kEstimateDigits), ", SE ",
      FormatNumber(interval.standard_error(), kEstimateDigits), ")\n");
}

// One column of a table as text.
struct TextColumn {
  std::string name;
  std::vector<std::string> cells;
  bool right_aligned = false;
};

TextColumn ToText(const kpi::v1::Column& column) {
  TextColumn text{column.name(), {}, false};
  switch (column.values_case()) {
    case kpi::v1::Column::kDoubles:
      text.right_aligned = true;
      for (double value : column.doubles().values()) {
        text.cells.push_back(FormatNumber(value));
      }
      break;
    case kpi::v1::Column::kInt64S:
      text.right_aligned = true;
      for (int64_t value : column.int64s().values()) {
        text.cells.push_back(absl::StrCat(value));
      }
      break;
    case kpi::v1::Column::kStrings:
      text.cells.assign(column.strings().values().begin(),
                        column.strings().values().end());
      break;
    case kpi::v1::Column::kTimestamps:
      for (int64_t micros : column.timestamps().unix_micros()) {
        text.cells.push_back(
            micros == kOpenEnd ? "open"
                               : FormatTimestamp(absl::FromUnixMicros(micros)));
      }
      break;
    case kpi::v1::Column::kKeys:  // inputs only; result tables hold text
    case kpi::v1::Column::VALUES_NOT_SET:
      break;
  }
  return text;
}

// The number of characters of UTF-8 `text` (its bytes that do not continue a
// character), so that names with accents stay aligned.
size_t DisplayWidth(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
}

// `cells` (one per column) as one line, each padded to its column's width.
std::string TableLine(const std::vector<TextColumn>& columns,
                      const std::vector<size_t>& widths,
                      const std::vector<absl::string_view>& cells,
                      const std::string& indent) {
  std::string line = indent;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) absl::StrAppend(&line, "  ");
    const std::string padding(widths[i] - DisplayWidth(cells[i]), ' ');
    if (columns[i].right_aligned) {
      absl::StrAppend(&line, padding, cells[i]);
    } else {
      absl::StrAppend(&line, cells[i], padding);
    }
  }
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(line), "\n");
}

void AppendTables(
    std::string* out,
    const google::protobuf::RepeatedPtrField<kpi::v1::ResultTable>& tables,
    int indent) {
  for (const kpi::v1::ResultTable& table : tables) {
    absl::StrAppend(out, FormatResultTable(table, indent));
  }
}

// A segment's value, compact: "4 %", "undefined: <reason>".
std::string SegmentValue(const kpi::v1::MetricResult& result) {
  if (!result.has_value()) {
    if (result.undefined_reason().empty()) return "undefined";
    return absl::StrCat("undefined: ", result.undefined_reason());
  }
  std::string text = FormatNumber(result.value());
  if (!result.unit().empty()) absl::StrAppend(&text, " ", result.unit());
  return text;
}

std::string SegmentKey(const kpi::v1::SegmentResult& segment) {
  return absl::StrJoin(segment.key(), ", ",
                       [](std::string* out, const std::string& part) {
                         // An empty key would leave nothing to read.
                         absl::StrAppend(out, part.empty() ? "\"\"" : part);
                       });
}

void AppendSegments(std::string* out, const kpi::v1::MetricResult& result,
                    absl::Span<const std::string> group_by) {
  if (group_by.empty() && result.segments().empty()) return;
  absl::StrAppend(out, "segments");
  if (!group_by.empty()) {
    absl::StrAppend(out, " by ", absl::StrJoin(group_by, ", "));
  }
  if (result.segments().empty()) {
    absl::StrAppend(out, ": (none)\n");
    return;
  }
  absl::StrAppend(out, ":\n");
  for (const kpi::v1::SegmentResult& segment : result.segments()) {
    absl::StrAppend(out, "  ", SegmentKey(segment), ": ",
                    SegmentValue(segment.result()), "\n");
    for (const std::string& warning : segment.result().warnings()) {
      absl::StrAppend(out, "    warning: ", warning, "\n");
    }
    AppendTables(out, segment.result().tables(), 4);
  }
}

}  // namespace

std::string FormatResultTable(const kpi::v1::ResultTable& table, int indent) {
  const std::string title_indent(indent, ' ');
  const std::string row_indent(indent + 2, ' ');
  std::string out = absl::StrCat(title_indent, "table");
  if (!table.name().empty()) absl::StrAppend(&out, " ", table.name());
  absl::StrAppend(&out, ":\n");
  if (table.columns().empty()) {
    absl::StrAppend(&out, row_indent, "(no columns)\n");
    return out;
  }
  std::vector<TextColumn> columns;
  size_t rows = 0;
  for (const kpi::v1::Column& column : table.columns()) {
    columns.push_back(ToText(column));
    rows = std::max(rows, columns.back().cells.size());
  }
  std::vector<size_t> widths;
  for (const TextColumn& column : columns) {
    size_t width = DisplayWidth(column.name);
    for (const std::string& cell : column.cells) {
      width = std::max(width, DisplayWidth(cell));
    }
    widths.push_back(width);
  }
  std::vector<absl::string_view> cells(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) cells[i] = columns[i].name;
  absl::StrAppend(&out, TableLine(columns, widths, cells, row_indent));
  for (size_t row = 0; row < rows; ++row) {
    for (size_t i = 0; i < columns.size(); ++i) {
      // Columns of a table have equal length; should one be short, its
      // missing cells are blank.
      cells[i] = row < columns[i].cells.size()
                     ? absl::string_view(columns[i].cells[row])
                     : absl::string_view();
    }
    absl::StrAppend(&out, TableLine(columns, widths, cells, row_indent));
  }
  if (rows == 0) absl::StrAppend(&out, row_indent, "(no rows)\n");
  return out;
}

std::string FormatResult(const kpi::v1::MetricResult& result,
                         absl::string_view metric,
                         absl::Span<const std::string> group_by) {
  const absl::string_view name =
      result.metric().empty() ? metric : absl::string_view(result.metric());
  std::string out;
  if (!result.has_value()) {
    absl::StrAppend(&out, name, " is undefined");
    if (!result.undefined_reason().empty()) {
      absl::StrAppend(&out, ": ", result.undefined_reason());
    }
    absl::StrAppend(&out, "\n");
  } else {
    absl::StrAppend(&out, name, " = ", FormatNumber(result.value()));
    if (!result.unit().empty()) absl::StrAppend(&out, " ", result.unit());
    absl::StrAppend(&out, "\n");
    // A rate shows the counts it was made from; a statistic its interval.
    // The sample size is left out when the ratio's denominator already says
    // it.
    const bool show_ratio = result.has_ratio() && !result.has_interval();
    if (show_ratio) {
      absl::StrAppend(&out,
                      "  ratio: ", FormatNumber(result.ratio().numerator()),
                      " / ", FormatNumber(result.ratio().denominator()), "\n");
    }
    if (result.has_interval()) {
      absl::StrAppend(&out, IntervalLine(result.interval()));
    }
    if (result.sample_size() > 0 &&
        !(show_ratio && result.sample_size() == result.ratio().denominator())) {
      absl::StrAppend(
          &out, "  sample size: ", FormatNumber(result.sample_size()), "\n");
    }
  }
  for (const std::string& warning : result.warnings()) {
    absl::StrAppend(&out, "  warning: ", warning, "\n");
  }
  AppendTables(&out, result.tables(), 2);
  AppendSegments(&out, result, group_by);
  return out;
}

}  // namespace kpi::cli
