#include "bad_rows.h"

#include "absl/strings/str_cat.h"

namespace kpi::report {

void BadRows::AddField(BadField field) {
  ++by_reason_[{field.file, field.reason}];
  int& kept = kept_[field.file];
  if (kept >= examples_per_file_) {
    ++not_kept_;
    return;
  }
  ++kept;
  if (field.value.size() > 100) {
    field.value = absl::StrCat(field.value.substr(0, 100), "...");
  }
  examples_.push_back(std::move(field));
}

int64_t BadRows::total_rows() const {
  int64_t total = 0;
  for (const auto& [file, n] : rows_) total += n;
  return total;
}

std::string Describe(const BadField& field) {
  std::string text =
      absl::StrCat(field.file, " line ", field.line, " column ", field.column,
                   " (", field.header, "): ", field.reason);
  if (!field.value.empty()) absl::StrAppend(&text, ": '", field.value, "'");
  return text;
}

}  // namespace kpi::report
