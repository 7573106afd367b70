#include "list_param.h"

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "quoted.h"

namespace kpi {
namespace {

// The number of fields an item must have at least: up to the first optional
// one.
size_t RequiredFields(const kpi_list_param& list) {
  for (size_t i = 0; i < list.num_fields; ++i) {
    if (list.fields[i].flags & KPI_LIST_FIELD_OPTIONAL) return i;
  }
  return list.num_fields;
}

// Why `text` is not a value of `field`, or "" when it is one.
std::string FieldProblem(const kpi_list_field& field, absl::string_view text) {
  if (text.empty()) return "is empty";
  if (field.type == KPI_TYPE_DOUBLE) {
    double value;
    if (!absl::SimpleAtod(text, &value) || !std::isfinite(value)) {
      return absl::StrCat(Quoted(text), " is not a finite number");
    }
    if ((field.flags & KPI_PARAM_HAS_MIN) && value < field.min) {
      return absl::StrCat(text, " is below the minimum ", field.min);
    }
    if ((field.flags & KPI_PARAM_HAS_MAX) && value > field.max) {
      return absl::StrCat(text, " is above the maximum ", field.max);
    }
    return "";
  }
  if (field.allowed_count == 0) return "";
  for (size_t i = 0; i < field.allowed_count; ++i) {
    if (text == field.allowed_values[i]) return "";
  }
  return absl::StrCat(
      Quoted(text), " is not one of: ",
      absl::StrJoin(field.allowed_values,
                    field.allowed_values + field.allowed_count, ", "));
}

// "name:weight:direction[:min:max]", for messages.
std::string Shape(const kpi_list_param& list) {
  const size_t required = RequiredFields(list);
  std::string shape;
  for (size_t i = 0; i < list.num_fields; ++i) {
    if (i == required) absl::StrAppend(&shape, "[");
    absl::StrAppend(&shape, i > 0 ? ":" : "", list.fields[i].name);
  }
  if (required < list.num_fields) absl::StrAppend(&shape, "]");
  return shape;
}

}  // namespace

const kpi_list_param* FindListParam(absl::Span<const kpi_list_param> lists,
                                    absl::string_view param) {
  for (const kpi_list_param& list : lists) {
    if (param == list.param) return &list;
  }
  return nullptr;
}

absl::Status CheckListValue(const kpi_list_param& list,
                            absl::string_view text) {
  const std::string where = absl::StrCat("parameter '", list.param, "'");
  if (absl::StripAsciiWhitespace(text).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": is empty; give items ", Shape(list),
                     ", separated by commas"));
  }
  const size_t required = RequiredFields(list);
  const std::vector<absl::string_view> items = absl::StrSplit(text, ',');
  for (size_t i = 0; i < items.size(); ++i) {
    const absl::string_view item = absl::StripAsciiWhitespace(items[i]);
    const std::string at =
        absl::StrCat(where, " item ", i + 1, " (", Quoted(item), ")");
    if (item.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": is empty"));
    }
    const std::vector<absl::string_view> fields = absl::StrSplit(item, ':');
    if (fields.size() != list.num_fields && fields.size() != required) {
      return absl::InvalidArgumentError(absl::StrCat(
          at, ": has ", fields.size(), " fields; an item is ", Shape(list)));
    }
    for (size_t f = 0; f < fields.size(); ++f) {
      const std::string problem =
          FieldProblem(list.fields[f], absl::StripAsciiWhitespace(fields[f]));
      if (!problem.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(at, " field '", list.fields[f].name, "': ", problem));
      }
    }
  }
  return absl::OkStatus();
}

std::string ListSample(const kpi_list_param& list) {
  std::vector<std::string> fields;
  for (size_t f = 0; f < RequiredFields(list); ++f) {
    const kpi_list_field& field = list.fields[f];
    if (field.type == KPI_TYPE_DOUBLE) {
      double n = 1;
      if ((field.flags & KPI_PARAM_HAS_MIN) && n < field.min) n = field.min;
      if ((field.flags & KPI_PARAM_HAS_MAX) && n > field.max) n = field.max;
      fields.push_back(absl::StrCat(n));
    } else {
      fields.push_back(field.allowed_count > 0 ? field.allowed_values[0]
                                               : field.name);
    }
  }
  return absl::StrJoin(fields, ":");
}

}  // namespace kpi
