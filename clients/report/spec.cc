#include "spec.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "field_values.h"
#include "toml++/toml.h"

namespace kpi::report {
namespace {

// toml++ speaks std::string_view, which Debian's abseil does not take for
// absl::string_view: keys become std::string to meet StrCat and the rest.
std::string Name(const toml::key& key) { return std::string(key.str()); }

// Errors name the spec and the key path, e.g. "kpi[2].target.below".
class SpecError {
 public:
  explicit SpecError(absl::string_view origin) : origin_(origin) {}
  absl::Status operator()(absl::string_view key,
                          absl::string_view reason) const {
    return absl::InvalidArgumentError(
        absl::StrCat(origin_, ": ", key, ": ", reason));
  }

 private:
  std::string origin_;
};

// Refuses keys of `table` not in `known`: a misspelt key must not fall back
// to a default without a word.
absl::Status OnlyKeys(const toml::table& table, absl::string_view path,
                      std::initializer_list<absl::string_view> known,
                      const SpecError& error) {
  for (const auto& [key, node] : table) {
    bool found = false;
    for (absl::string_view k : known) found = found || k == Name(key);
    if (!found) {
      return error(
          path.empty() ? Name(key) : absl::StrCat(path, ".", Name(key)),
          absl::StrCat("unknown key; expected one of: ",
                       absl::StrJoin(known, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> String(const toml::node& node,
                                   absl::string_view path,
                                   const SpecError& error) {
  const auto* value = node.as_string();
  if (value == nullptr) return error(path, "expected a string");
  return std::string(value->get());
}

absl::StatusOr<std::vector<std::string>> Strings(const toml::node& node,
                                                 absl::string_view path,
                                                 const SpecError& error) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return error(path, "expected an array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < array->size(); ++i) {
    absl::StatusOr<std::string> s =
        String(*array->get(i), absl::StrCat(path, "[", i, "]"), error);
    if (!s.ok()) return s.status();
    out.push_back(*std::move(s));
  }
  return out;
}

absl::StatusOr<double> Number(const toml::node& node, absl::string_view path,
                              const SpecError& error) {
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  if (const auto* f = node.as_floating_point()) return f->get();
  return error(path, "expected a number");
}

// A TOML date or date-time as an instant; one without an offset is UTC.
std::optional<absl::Time> Instant(const toml::node& node) {
  toml::date date{};
  toml::time time{};  // midnight for a date alone
  int offset_minutes = 0;
  if (const auto* dt = node.as_date_time()) {
    date = dt->get().date;
    time = dt->get().time;
    if (dt->get().offset) offset_minutes = dt->get().offset->minutes;
  } else if (const auto* d = node.as_date()) {
    date = d->get();
  } else {
    return std::nullopt;
  }
  const absl::Time t =
      absl::FromCivil(absl::CivilSecond(date.year, date.month, date.day,
                                        time.hour, time.minute, time.second),
                      absl::UTCTimeZone());
  return t + absl::Nanoseconds(time.nanosecond) - absl::Minutes(offset_minutes);
}

// A string holding an ISO 8601 instant is accepted too, as in the CSVs.
absl::StatusOr<absl::Time> Time(const toml::node& node, absl::string_view path,
                                const SpecError& error) {
  if (std::optional<absl::Time> t = Instant(node)) return *t;
  if (const auto* s = node.as_string()) {
    int64_t micros;
    const char* reason;
    if (ParseTimestamp(s->get(), &micros, &reason)) return FromMicros(micros);
    return error(path, reason);
  }
  return error(path, "expected a date or date-time");
}

absl::StatusOr<kpi::v1::Value> Parameter(const toml::node& node,
                                         absl::string_view path,
                                         const SpecError& error) {
  kpi::v1::Value value;
  if (const auto* s = node.as_string()) {
    value.set_string_value(s->get());
  } else if (const auto* i = node.as_integer()) {
    value.set_int64_value(i->get());
  } else if (const auto* f = node.as_floating_point()) {
    value.set_double_value(f->get());
  } else if (const auto* b = node.as_boolean()) {
    value.set_bool_value(b->get());
  } else if (std::optional<absl::Time> t = Instant(node)) {
    const int64_t micros = absl::ToUnixMicros(*t);
    value.mutable_timestamp_value()->set_seconds(micros / 1000000);
    value.mutable_timestamp_value()->set_nanos(
        static_cast<int32_t>(micros % 1000000) * 1000);
  } else {
    return error(path, "expected a string, number, boolean, date or date-time");
  }
  return value;
}

absl::StatusOr<ColumnSpec> ParseColumn(const std::string& name,
                                       const toml::node& node,
                                       absl::string_view path,
                                       const SpecError& error) {
  ColumnSpec column;
  column.name = name;
  std::string type_name;
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    absl::StatusOr<std::string> type = String(node, path, error);
    if (!type.ok()) {
      return error(path, "expected a type name or a table {type = ...}");
    }
    type_name = *type;
  } else {
    if (absl::Status s = OnlyKeys(
            *table, path, {"type", "headers", "empty", "values", "min", "max"},
            error);
        !s.ok()) {
      return s;
    }
    const toml::node* type = table->get("type");
    if (type == nullptr) return error(absl::StrCat(path, ".type"), "missing");
    absl::StatusOr<std::string> t =
        String(*type, absl::StrCat(path, ".type"), error);
    if (!t.ok()) return t.status();
    type_name = *t;
    if (const toml::node* n = table->get("headers")) {
      absl::StatusOr<std::vector<std::string>> headers =
          Strings(*n, absl::StrCat(path, ".headers"), error);
      if (!headers.ok()) return headers.status();
      column.headers = *std::move(headers);
    }
    if (const toml::node* n = table->get("values")) {
      absl::StatusOr<std::vector<std::string>> values =
          Strings(*n, absl::StrCat(path, ".values"), error);
      if (!values.ok()) return values.status();
      column.values = *std::move(values);
    }
    for (const auto& [key, bound] :
         {std::pair{"min", &column.min}, std::pair{"max", &column.max}}) {
      if (const toml::node* n = table->get(key)) {
        absl::StatusOr<double> v =
            Number(*n, absl::StrCat(path, ".", key), error);
        if (!v.ok()) return v.status();
        *bound = *v;
      }
    }
    if (const toml::node* n = table->get("empty")) {
      const std::string key = absl::StrCat(path, ".empty");
      absl::StatusOr<std::string> empty = String(*n, key, error);
      if (!empty.ok()) return empty.status();
      if (*empty == "bad") {
        column.empty = EmptyField::kBad;
      } else if (*empty == "open_end") {
        column.empty = EmptyField::kOpenEnd;
      } else if (*empty == "allowed") {
        column.empty = EmptyField::kAllowed;
      } else {
        return error(key, absl::StrCat("'", *empty,
                                       "' is not one of: bad, open_end, "
                                       "allowed"));
      }
    }
  }
  static const std::pair<absl::string_view, ColumnType> kTypes[] = {
      {"key", ColumnType::kKey},       {"timestamp", ColumnType::kTimestamp},
      {"double", ColumnType::kDouble}, {"int64", ColumnType::kInt64},
      {"string", ColumnType::kString},
  };
  bool known = false;
  for (const auto& [type_key, type] : kTypes) {
    if (type_key == type_name) {
      column.type = type;
      known = true;
    }
  }
  if (!known) {
    return error(table ? absl::StrCat(path, ".type") : std::string(path),
                 absl::StrCat("'", type_name,
                              "' is not one of: key, timestamp, double, "
                              "int64, string"));
  }
  if (column.empty == EmptyField::kOpenEnd &&
      column.type != ColumnType::kTimestamp) {
    return error(absl::StrCat(path, ".empty"),
                 "open_end is for timestamp columns only");
  }
  if (column.empty == EmptyField::kAllowed &&
      column.type != ColumnType::kString) {
    return error(absl::StrCat(path, ".empty"),
                 "allowed is for string columns only");
  }
  if (!column.values.empty() && column.type != ColumnType::kString) {
    return error(absl::StrCat(path, ".values"),
                 "values is for string columns only");
  }
  if ((column.min || column.max) && column.type != ColumnType::kDouble &&
      column.type != ColumnType::kInt64) {
    return error(absl::StrCat(path, column.min ? ".min" : ".max"),
                 "a range is for double and int64 columns only");
  }
  if (column.headers.empty()) column.headers.push_back(name);
  return column;
}

absl::StatusOr<FileSpec> ParseFile(const std::string& name,
                                   const toml::node& node,
                                   const std::string& path,
                                   const SpecError& error) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return error(path, "expected a table");
  if (absl::Status s =
          OnlyKeys(*table, path,
                   {"path", "delimiter", "max_open_calls", "columns"}, error);
      !s.ok()) {
    return s;
  }
  FileSpec file;
  file.name = name;
  file.path = absl::StrCat(name, ".csv");
  if (const toml::node* n = table->get("path")) {
    absl::StatusOr<std::string> p =
        String(*n, absl::StrCat(path, ".path"), error);
    if (!p.ok()) return p.status();
    file.path = *p;
  }
  if (const toml::node* n = table->get("delimiter")) {
    const std::string key = absl::StrCat(path, ".delimiter");
    absl::StatusOr<std::string> d = String(*n, key, error);
    if (!d.ok()) return d.status();
    if (*d == "," || *d == ";" || *d == "\t") {
      file.delimiter = (*d)[0];
    } else if (*d != "auto") {
      return error(key, "expected \",\", \";\", \"\\t\" or \"auto\"");
    }
  }
  if (const toml::node* n = table->get("max_open_calls")) {
    const auto* calls = n->as_integer();
    if (calls == nullptr || calls->get() < 1 || calls->get() > 100000) {
      return error(absl::StrCat(path, ".max_open_calls"),
                   "expected a whole number, 1..100000");
    }
    file.max_open_calls = static_cast<int>(calls->get());
  }
  const toml::node* columns = table->get("columns");
  const std::string columns_path = absl::StrCat(path, ".columns");
  if (columns == nullptr || !columns->is_table() ||
      columns->as_table()->empty()) {
    return error(columns_path, "missing: a table of column name = type");
  }
  for (const auto& [key, column_node] : *columns->as_table()) {
    absl::StatusOr<ColumnSpec> column =
        ParseColumn(Name(key), column_node,
                    absl::StrCat(columns_path, ".", Name(key)), error);
    if (!column.ok()) return column.status();
    file.columns.push_back(*std::move(column));
  }
  return file;
}

absl::StatusOr<PeriodUse> ParsePeriodUse(const toml::node& node,
                                         const std::string& path,
                                         const FileSpec& file,
                                         const SpecError& error) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return error(path, "expected a table");
  if (absl::Status s = OnlyKeys(
          *table, path,
          {"start_parameter", "end_parameter", "at_parameter", "filter",
           "cumulative", "lookahead_days", "active", "history", "latest"},
          error);
      !s.ok()) {
    return s;
  }
  PeriodUse use;
  for (const auto& [key, field] :
       {std::pair{"start_parameter", &use.start_parameter},
        std::pair{"end_parameter", &use.end_parameter},
        std::pair{"at_parameter", &use.at_parameter},
        std::pair{"filter", &use.filter}}) {
    if (const toml::node* n = table->get(key)) {
      absl::StatusOr<std::string> s =
          String(*n, absl::StrCat(path, ".", key), error);
      if (!s.ok()) return s.status();
      *field = *s;
    }
  }
  if (const toml::node* n = table->get("cumulative")) {
    if (!n->is_boolean()) {
      return error(absl::StrCat(path, ".cumulative"), "expected true or false");
    }
    use.cumulative = n->as_boolean()->get();
  }
  if (const toml::node* n = table->get("lookahead_days")) {
    const auto* days = n->as_integer();
    if (days == nullptr || days->get() < 0 || days->get() > 3660) {
      return error(absl::StrCat(path, ".lookahead_days"),
                   "expected a whole number of days, 0..3660");
    }
    use.lookahead_days = static_cast<int>(days->get());
  }
  if (const toml::node* n = table->get("active")) {
    const toml::array* pair = n->as_array();
    const std::string key = absl::StrCat(path, ".active");
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() ||
        !(*pair)[1].is_string()) {
      return error(key, "expected [START_COLUMN, END_COLUMN]");
    }
    use.active_start = (*pair)[0].as_string()->get();
    use.active_end = (*pair)[1].as_string()->get();
    for (const std::string* name : {&use.active_start, &use.active_end}) {
      const ColumnSpec* column = file.Column(*name);
      if (column == nullptr || column->type != ColumnType::kTimestamp) {
        return error(key, absl::StrCat("'", *name,
                                       "' is not a timestamp column of file '",
                                       file.name, "'"));
      }
    }
  }
  if (const toml::node* n = table->get("latest")) {
    if (!n->is_boolean()) {
      return error(absl::StrCat(path, ".latest"), "expected true or false");
    }
    use.latest = n->as_boolean()->get();
  }
  if (const toml::node* n = table->get("history")) {
    if (!n->is_boolean()) {
      return error(absl::StrCat(path, ".history"), "expected true or false");
    }
    use.history = n->as_boolean()->get();
    if (use.history && use.active_start.empty()) {
      return error(absl::StrCat(path, ".history"), "needs active");
    }
  }
  if (use.start_parameter.empty() && use.end_parameter.empty() &&
      use.at_parameter.empty() && use.filter.empty()) {
    return error(path,
                 "says nothing: give start_parameter/end_parameter, "
                 "at_parameter or filter");
  }
  if (!use.filter.empty()) {
    const ColumnSpec* column = file.Column(use.filter);
    if (column == nullptr || column->type != ColumnType::kTimestamp) {
      return error(
          absl::StrCat(path, ".filter"),
          absl::StrCat("'", use.filter, "' is not a timestamp column of file '",
                       file.name, "'"));
    }
  }
  if (use.cumulative && use.filter.empty()) {
    return error(absl::StrCat(path, ".cumulative"), "needs a filter column");
  }
  if (use.lookahead_days > 0 && use.filter.empty()) {
    return error(absl::StrCat(path, ".lookahead_days"),
                 "needs a filter column");
  }
  return use;
}

absl::StatusOr<Target> ParseTarget(const toml::node& node,
                                   const std::string& path,
                                   const SpecError& error) {
  const toml::table* table = node.as_table();
  if (table == nullptr || table->size() != 1) {
    return error(path,
                 "expected one of {below = X}, {at_most = X}, {above = X}, "
                 "{at_least = X}");
  }
  static const std::pair<absl::string_view, TargetKind> kKinds[] = {
      {"below", TargetKind::kBelow},
      {"at_most", TargetKind::kAtMost},
      {"above", TargetKind::kAbove},
      {"at_least", TargetKind::kAtLeast},
  };
  // toml++'s iterator owns the pair it points to: keep it alive.
  const auto first = table->begin();
  const auto& [key, value] = *first;
  for (const auto& [name, kind] : kKinds) {
    if (name != Name(key)) continue;
    absl::StatusOr<double> v =
        Number(value, absl::StrCat(path, ".", Name(key)), error);
    if (!v.ok()) return v.status();
    return Target{kind, *v};
  }
  return error(absl::StrCat(path, ".", Name(key)),
               "unknown key; expected one of: below, at_most, above, at_least");
}

absl::StatusOr<KpiSpec> ParseKpi(const toml::node& node,
                                 const std::string& path, const Spec& spec,
                                 const SpecError& error) {
  const toml::table* table = node.as_table();
  if (table == nullptr) return error(path, "expected a table");
  if (absl::Status s =
          OnlyKeys(*table, path,
                   {"id", "title", "metric", "file", "inputs", "parameters",
                    "group_by", "period", "target", "tables", "at_risk"},
                   error);
      !s.ok()) {
    return s;
  }
  KpiSpec kpi;
  for (const auto& [key, field] :
       {std::pair{"id", &kpi.id}, std::pair{"metric", &kpi.metric},
        std::pair{"file", &kpi.file}, std::pair{"title", &kpi.title}}) {
    const toml::node* n = table->get(key);
    if (n == nullptr) {
      if (absl::string_view(key) == "title") continue;
      return error(absl::StrCat(path, ".", key), "missing");
    }
    absl::StatusOr<std::string> s =
        String(*n, absl::StrCat(path, ".", key), error);
    if (!s.ok()) return s.status();
    if (s->empty()) return error(absl::StrCat(path, ".", key), "is empty");
    *field = *s;
  }
  if (kpi.title.empty()) kpi.title = kpi.id;
  const FileSpec* file = spec.File(kpi.file);
  if (file == nullptr) {
    return error(absl::StrCat(path, ".file"),
                 absl::StrCat("no file '", kpi.file, "' under [files]"));
  }
  const toml::node* inputs = table->get("inputs");
  const std::string inputs_path = absl::StrCat(path, ".inputs");
  if (inputs == nullptr || !inputs->is_table() || inputs->as_table()->empty()) {
    return error(inputs_path, "missing: a table of metric input = column");
  }
  for (const auto& [input, column_node] : *inputs->as_table()) {
    const std::string key = absl::StrCat(inputs_path, ".", Name(input));
    absl::StatusOr<std::string> column = String(column_node, key, error);
    if (!column.ok()) return column.status();
    if (file->Column(*column) == nullptr) {
      return error(key, absl::StrCat("file '", file->name,
                                     "' declares no column '", *column, "'"));
    }
    kpi.inputs.emplace_back(Name(input), *column);
  }
  if (const toml::node* n = table->get("parameters")) {
    const std::string parameters_path = absl::StrCat(path, ".parameters");
    if (!n->is_table()) return error(parameters_path, "expected a table");
    for (const auto& [name, value_node] : *n->as_table()) {
      absl::StatusOr<kpi::v1::Value> value = Parameter(
          value_node, absl::StrCat(parameters_path, ".", Name(name)), error);
      if (!value.ok()) return value.status();
      kpi.parameters[Name(name)] = *std::move(value);
    }
  }
  if (const toml::node* n = table->get("group_by")) {
    const std::string key = absl::StrCat(path, ".group_by");
    absl::StatusOr<std::vector<std::string>> group_by = Strings(*n, key, error);
    if (!group_by.ok()) return group_by.status();
    for (const std::string& column : *group_by) {
      if (file->Column(column) == nullptr) {
        return error(key, absl::StrCat("file '", file->name,
                                       "' declares no column '", column, "'"));
      }
    }
    kpi.group_by = *std::move(group_by);
  }
  if (const toml::node* n = table->get("period")) {
    absl::StatusOr<PeriodUse> use =
        ParsePeriodUse(*n, absl::StrCat(path, ".period"), *file, error);
    if (!use.ok()) return use.status();
    for (const std::string* p :
         {&use->start_parameter, &use->end_parameter, &use->at_parameter}) {
      if (!p->empty() && kpi.parameters.count(*p) > 0) {
        return error(absl::StrCat(path, ".parameters.", *p),
                     "is set by the period (remove it, or the period's "
                     "parameter)");
      }
    }
    kpi.period = *std::move(use);
  }
  if (const toml::node* n = table->get("tables")) {
    absl::StatusOr<std::vector<std::string>> tables =
        Strings(*n, absl::StrCat(path, ".tables"), error);
    if (!tables.ok()) return tables.status();
    kpi.tables = *std::move(tables);
  }
  if (const toml::node* n = table->get("target")) {
    absl::StatusOr<Target> target =
        ParseTarget(*n, absl::StrCat(path, ".target"), error);
    if (!target.ok()) return target.status();
    kpi.target = *target;
  }
  // The at-risk list comes from the one call that scores every customer.
  if (kpi.metric == kAtRiskMetric && !kpi.period) {
    kpi.at_risk = kDefaultAtRisk;
  }
  if (const toml::node* n = table->get("at_risk")) {
    const std::string key = absl::StrCat(path, ".at_risk");
    const auto* count = n->as_integer();
    if (count == nullptr || count->get() < 0 || count->get() > kMaxAtRisk) {
      return error(key, absl::StrCat("expected a whole number of customers, "
                                     "0..",
                                     kMaxAtRisk));
    }
    kpi.at_risk = static_cast<int>(count->get());
    if (kpi.at_risk > 0 && kpi.metric != kAtRiskMetric) {
      return error(key, absl::StrCat("is for KPIs of metric ", kAtRiskMetric,
                                     ", whose answer scores each customer"));
    }
    if (kpi.at_risk > 0 && kpi.period) {
      return error(key,
                   "needs a KPI without a period: the list comes from one "
                   "call over all customers");
    }
  }
  return kpi;
}

}  // namespace

const ColumnSpec* FileSpec::Column(absl::string_view name) const {
  for (const ColumnSpec& column : columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

const FileSpec* Spec::File(absl::string_view name) const {
  for (const FileSpec& file : files) {
    if (file.name == name) return &file;
  }
  return nullptr;
}

absl::StatusOr<Spec> ParseSpec(absl::string_view text,
                               absl::string_view origin) {
  const SpecError error(origin);
  toml::table root;
  // toml++ reports syntax errors by exception; they stop here and become a
  // Status like every other error.
  try {
    root = toml::parse(std::string_view(text.data(), text.size()),
                       std::string_view(origin.data(), origin.size()));
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        origin, " line ", e.source().begin.line, " column ",
        e.source().begin.column, ": ", std::string(e.description())));
  }
  if (absl::Status s =
          OnlyKeys(root, "", {"window", "periods", "files", "kpi"}, error);
      !s.ok()) {
    return s;
  }
  Spec spec;
  if (const toml::node* n = root.get("window")) {
    if (!n->is_table()) return error("window", "expected a table");
    const toml::table& window = *n->as_table();
    if (absl::Status s = OnlyKeys(window, "window", {"start", "end"}, error);
        !s.ok()) {
      return s;
    }
    if (window.contains("start") != window.contains("end")) {
      return error("window", "give both start and end, or neither");
    }
    if (const toml::node* start = window.get("start")) {
      absl::StatusOr<absl::Time> s = Time(*start, "window.start", error);
      if (!s.ok()) return s.status();
      absl::StatusOr<absl::Time> e =
          Time(*window.get("end"), "window.end", error);
      if (!e.ok()) return e.status();
      if (*e <= *s) return error("window.end", "must be after window.start");
      spec.window_start = *s;
      spec.window_end = *e;
    }
  }
  if (const toml::node* n = root.get("periods")) {
    if (!n->is_table()) return error("periods", "expected a table");
    const toml::table& periods = *n->as_table();
    if (absl::Status s = OnlyKeys(periods, "periods", {"every", "last"}, error);
        !s.ok()) {
      return s;
    }
    if (const toml::node* every = periods.get("every")) {
      absl::StatusOr<std::string> unit = String(*every, "periods.every", error);
      if (!unit.ok()) return unit.status();
      if (*unit == "month") {
        spec.periods.unit = PeriodUnit::kMonth;
      } else if (*unit == "week") {
        spec.periods.unit = PeriodUnit::kWeek;
      } else {
        return error("periods.every",
                     absl::StrCat("'", *unit, "' is not one of: month, week"));
      }
    }
    if (const toml::node* last = periods.get("last")) {
      const auto* n_last = last->as_integer();
      if (n_last == nullptr || n_last->get() < 1 || n_last->get() > 1000) {
        return error("periods.last", "expected a whole number 1..1000");
      }
      spec.periods.last = static_cast<int>(n_last->get());
    }
  }
  const toml::node* files = root.get("files");
  if (files == nullptr || !files->is_table() || files->as_table()->empty()) {
    return error("files", "missing: a table of files ([files.NAME])");
  }
  for (const auto& [name, node] : *files->as_table()) {
    absl::StatusOr<FileSpec> file =
        ParseFile(Name(name), node, absl::StrCat("files.", Name(name)), error);
    if (!file.ok()) return file.status();
    spec.files.push_back(*std::move(file));
  }
  const toml::node* kpis = root.get("kpi");
  if (kpis == nullptr || !kpis->is_array_of_tables() ||
      kpis->as_array()->empty()) {
    return error("kpi", "missing: one or more [[kpi]] tables");
  }
  std::set<std::string> ids;
  for (size_t i = 0; i < kpis->as_array()->size(); ++i) {
    const std::string path = absl::StrCat("kpi[", i, "]");
    absl::StatusOr<KpiSpec> kpi =
        ParseKpi(*kpis->as_array()->get(i), path, spec, error);
    if (!kpi.ok()) return kpi.status();
    if (!ids.insert(kpi->id).second) {
      return error(absl::StrCat(path, ".id"),
                   absl::StrCat("'", kpi->id, "' is used by an earlier KPI"));
    }
    spec.kpis.push_back(*std::move(kpi));
  }
  return spec;
}

}  // namespace kpi::report
