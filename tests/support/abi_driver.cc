#include "tests/support/abi_driver.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace kpi::testing {
namespace {

// Whole numbers only, within the range where double converts to int64
// exactly.
int64_t ToInt64(double value, const std::string& what) {
  if (!(std::abs(value) <= 9007199254740992.0) || value != std::trunc(value)) {
    throw DriverError(what + ": " + std::to_string(value) +
                      " is not a whole number the driver can pass as int64");
  }
  return static_cast<int64_t>(value);
}

std::string Quoted(const char* name) { return std::string("'") + name + "'"; }

}  // namespace

bool operator==(const Ratio& a, const Ratio& b) {
  return a.numerator == b.numerator && a.denominator == b.denominator;
}

bool operator==(const Interval& a, const Interval& b) {
  return a.lower == b.lower && a.upper == b.upper && a.margin == b.margin &&
         a.standard_error == b.standard_error &&
         a.confidence_level == b.confidence_level;
}

bool operator==(const SinkRecord& a, const SinkRecord& b) {
  return a.value == b.value && a.undefined_reason == b.undefined_reason &&
         a.ratio == b.ratio && a.interval == b.interval &&
         a.warnings == b.warnings && a.sample_size == b.sample_size &&
         a.unit == b.unit && a.table_columns == b.table_columns &&
         a.protocol_errors == b.protocol_errors;
}

// ---- Parameters -------------------------------------------------------------

kpi_param_value ParamValue::ToAbi(const kpi_param_spec& spec) const {
  kpi_param_value out{};
  out.type = spec.default_value.type;
  const std::string what = "parameter " + Quoted(spec.name);
  switch (out.type) {
    case KPI_TYPE_DOUBLE:
      if (!number_) throw DriverError(what + " is DOUBLE; give a number");
      out.f64 = *number_;
      return out;
    case KPI_TYPE_INT64:
    case KPI_TYPE_TIMESTAMP:
      if (!number_) throw DriverError(what + " is INT64; give a number");
      out.i64 = ToInt64(*number_, what);
      return out;
    case KPI_TYPE_BOOL:
      if (!boolean_) throw DriverError(what + " is BOOL; give a bool");
      out.boolean = *boolean_ ? 1 : 0;
      return out;
    case KPI_TYPE_STRING:
      if (!string_) throw DriverError(what + " is STRING; give a string");
      out.str = {string_->data(), string_->size()};
      return out;
  }
  throw DriverError(what + " has an unknown declared type");
}

OwnedParams::OwnedParams(const kpi_param_spec* specs, size_t num_specs,
                         const ParamOverrides& overrides)
    : overrides_(overrides) {
  size_t used = 0;
  values_.reserve(num_specs);
  for (size_t i = 0; i < num_specs; ++i) {
    auto it = overrides_.find(specs[i].name);
    if (it == overrides_.end()) {
      values_.push_back(specs[i].default_value);
    } else {
      values_.push_back(it->second.ToAbi(specs[i]));
      ++used;
    }
  }
  if (used != overrides_.size()) {
    std::string names;
    for (const auto& [name, value] : overrides_) names += " '" + name + "'";
    throw DriverError("an override names no declared parameter among:" + names);
  }
}

// ---- Chunks -----------------------------------------------------------------

OwnedChunk::OwnedChunk(const kpi_input_spec* specs, size_t num_specs,
                       const ChunkData& data) {
  size_t used = 0;
  std::optional<size_t> rows;
  for (size_t i = 0; i < num_specs; ++i) {
    const kpi_input_spec& spec = specs[i];
    const std::string what = "input " + Quoted(spec.name);
    kpi_column column{};
    column.type = spec.type;
    const std::vector<double>* values = nullptr;
    std::vector<double> scalar;
    if (spec.kind == KPI_INPUT_COLUMN) {
      auto it = data.columns.find(spec.name);
      if (it != data.columns.end()) {
        values = &it->second;
        if (rows && *rows != values->size()) {
          throw DriverError(what + ": columns of unequal length");
        }
        rows = values->size();
      }
    } else {
      auto it = data.scalars.find(spec.name);
      if (it != data.scalars.end()) {
        scalar.push_back(it->second);
        values = &scalar;
      }
    }
    if (values != nullptr) {
      ++used;
      column.length = values->size();
      switch (spec.type) {
        case KPI_TYPE_DOUBLE:
          column.f64 = doubles_.emplace_back(*values).data();
          break;
        case KPI_TYPE_INT64:
        case KPI_TYPE_TIMESTAMP: {
          std::vector<int64_t>& ints = int64s_.emplace_back();
          for (double v : *values) ints.push_back(ToInt64(v, what));
          column.i64 = ints.data();
          break;
        }
        default:
          throw DriverError(what + ": the driver only passes numbers");
      }
    }
    columns_.push_back(column);
  }
  if (used != data.columns.size() + data.scalars.size()) {
    throw DriverError(
        "a column or scalar names no declared input of that kind");
  }
  chunk_.num_rows = rows.value_or(0);
  chunk_.inputs = columns_.data();
  chunk_.num_inputs = columns_.size();
}

OwnedChunks BuildChunks(const kpi_input_spec* specs, size_t num_specs,
                        const std::vector<StateData>& states) {
  OwnedChunks chunks;
  for (const StateData& state : states) {
    auto& owned = chunks.emplace_back();
    for (const ChunkData& data : state) {
      owned.push_back(std::make_unique<OwnedChunk>(specs, num_specs, data));
    }
  }
  return chunks;
}

std::vector<StateData> SplitRows(const ChunkData& whole, size_t num_states,
                                 size_t chunks_per_state) {
  if (num_states == 0 || chunks_per_state == 0) {
    throw DriverError("SplitRows needs at least one state and one chunk");
  }
  size_t rows = 0;
  for (const auto& [name, values] : whole.columns) rows = values.size();
  const size_t parts = num_states * chunks_per_state;
  std::vector<StateData> states(num_states);
  for (size_t part = 0; part < parts; ++part) {
    const size_t begin = rows * part / parts;
    const size_t end = rows * (part + 1) / parts;
    ChunkData chunk;
    if (part == 0) chunk.scalars = whole.scalars;
    for (const auto& [name, values] : whole.columns) {
      chunk.columns[name].assign(values.begin() + begin, values.begin() + end);
    }
    states[part / chunks_per_state].push_back(std::move(chunk));
  }
  return states;
}

// ---- The sink ---------------------------------------------------------------

RecordingSink::RecordingSink()
    : sink_{KPI_ABI_VERSION_MAJOR,
            KPI_ABI_VERSION_MINOR,
            this,
            &SetValue,
            &SetUndefined,
            &SetRatio,
            &SetInterval,
            &AddWarning,
            &SetSampleSize,
            &SetUnit,
            &AddTableColumn} {}

SinkRecord RecordingSink::Finish() const {
  SinkRecord record = record_;
  if (record.value && record.undefined_reason) {
    record.protocol_errors.push_back("both set_value and set_undefined");
  }
  if (!record.value && !record.undefined_reason) {
    record.protocol_errors.push_back("neither set_value nor set_undefined");
  }
  return record;
}

void RecordingSink::CheckFinite(const char* callback, double number) {
  if (!std::isfinite(number)) {
    record_.protocol_errors.push_back(std::string(callback) +
                                      " got a NaN or infinity");
  }
}

void RecordingSink::SetValue(void* context, double value) {
  auto* self = static_cast<RecordingSink*>(context);
  if (self->record_.value) {
    self->record_.protocol_errors.push_back("set_value called twice");
  }
  self->CheckFinite("set_value", value);
  self->record_.value = value;
}

void RecordingSink::SetUndefined(void* context, const char* reason,
                                 size_t size) {
  auto* self = static_cast<RecordingSink*>(context);
  if (self->record_.undefined_reason) {
    self->record_.protocol_errors.push_back("set_undefined called twice");
  }
  self->record_.undefined_reason = std::string(reason, size);
}

void RecordingSink::SetRatio(void* context, double numerator,
                             double denominator) {
  auto* self = static_cast<RecordingSink*>(context);
  if (self->record_.ratio) {
    self->record_.protocol_errors.push_back("set_ratio called twice");
  }
  self->CheckFinite("set_ratio", numerator);
  self->CheckFinite("set_ratio", denominator);
  self->record_.ratio = Ratio{numerator, denominator};
}

void RecordingSink::SetInterval(void* context, double lower, double upper,
                                double margin, double standard_error,
                                double confidence_level) {
  auto* self = static_cast<RecordingSink*>(context);
  if (self->record_.interval) {
    self->record_.protocol_errors.push_back("set_interval called twice");
  }
  for (double number :
       {lower, upper, margin, standard_error, confidence_level}) {
    self->CheckFinite("set_interval", number);
  }
  self->record_.interval =
      Interval{lower, upper, margin, standard_error, confidence_level};
}

void RecordingSink::AddWarning(void* context, const char* message,
                               size_t size) {
  static_cast<RecordingSink*>(context)->record_.warnings.emplace_back(message,
                                                                      size);
}

void RecordingSink::SetSampleSize(void* context, double sample_size) {
  auto* self = static_cast<RecordingSink*>(context);
  if (self->record_.sample_size) {
    self->record_.protocol_errors.push_back("set_sample_size called twice");
  }
  self->CheckFinite("set_sample_size", sample_size);
  self->record_.sample_size = sample_size;
}

void RecordingSink::SetUnit(void* context, const char* unit, size_t size) {
  auto* self = static_cast<RecordingSink*>(context);
  if (self->record_.unit) {
    self->record_.protocol_errors.push_back("set_unit called twice");
  }
  self->record_.unit = std::string(unit, size);
}

void RecordingSink::AddTableColumn(void* context, const char* table,
                                   size_t table_size, const char* column,
                                   size_t column_size, kpi_value_type,
                                   size_t rows, const double* f64,
                                   const int64_t*, const kpi_string_view*) {
  auto* self = static_cast<RecordingSink*>(context);
  self->record_.table_columns.push_back(std::string(table, table_size) + "." +
                                        std::string(column, column_size));
  for (size_t i = 0; f64 != nullptr && i < rows; ++i) {
    self->CheckFinite("add_table_column", f64[i]);
  }
}

// ---- Plugins ----------------------------------------------------------------

std::unique_ptr<LoadedPlugin> LoadedPlugin::Load(const std::string& path,
                                                 std::string* error) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    *error = dlerror();
    return nullptr;
  }
  auto entry = reinterpret_cast<kpi_plugin_entry_fn>(
      dlsym(handle, KPI_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    *error = path + ": no symbol " KPI_PLUGIN_ENTRY_SYMBOL;
    dlclose(handle);
    return nullptr;
  }
  kpi_error entry_error{};
  const kpi_plugin_descriptor* descriptor =
      entry(KPI_ABI_VERSION_MAJOR, KPI_ABI_VERSION_MINOR, &entry_error);
  if (descriptor == nullptr) {
    *error = path + ": entry refused: " + entry_error.message;
    dlclose(handle);
    return nullptr;
  }
  return std::unique_ptr<LoadedPlugin>(
      new LoadedPlugin(handle, entry, descriptor));
}

LoadedPlugin::~LoadedPlugin() { dlclose(handle_); }

const kpi_metric_descriptor* LoadedPlugin::FindMetric(
    std::string_view name) const {
  for (size_t i = 0; i < descriptor_->num_metrics; ++i) {
    if (name == descriptor_->metrics[i].name) return &descriptor_->metrics[i];
  }
  return nullptr;
}

// ---- Running a metric -------------------------------------------------------

Outcome RunMetric(const kpi_metric_descriptor& metric,
                  const ParamOverrides& params,
                  const std::vector<StateData>& states) {
  // Everything the host builds is built before any plugin code runs, so a
  // DriverError never leaves a state behind.
  OwnedParams values(metric.params, metric.num_params, params);
  const OwnedChunks chunks =
      BuildChunks(metric.inputs, metric.num_inputs, states);

  Outcome outcome;
  std::vector<void*> created;
  auto fail = [&](kpi_status status, const char* call, const kpi_error& error) {
    outcome.status = status;
    outcome.failed_call = call;
    outcome.message = error.message;
  };
  // Runs the pipeline; returns at the first failure.
  [&] {
    kpi_error error{};
    for (size_t i = 0; i < std::max<size_t>(states.size(), 1); ++i) {
      void* state = nullptr;
      kpi_status status =
          metric.create(values.data(), values.size(), &state, &error);
      if (status != KPI_STATUS_OK) return fail(status, "create", error);
      created.push_back(state);
    }
    for (size_t i = 0; i < chunks.size(); ++i) {
      for (const auto& chunk : chunks[i]) {
        kpi_status status = metric.update(created[i], &chunk->get(), &error);
        if (status != KPI_STATUS_OK) return fail(status, "update", error);
      }
    }
    for (size_t i = 1; i < created.size(); ++i) {
      kpi_status status = metric.merge(created[0], created[i], &error);
      if (status != KPI_STATUS_OK) return fail(status, "merge", error);
    }
    RecordingSink first;
    kpi_status status = metric.finalize(created[0], &first.sink(), &error);
    if (status != KPI_STATUS_OK) return fail(status, "finalize", error);
    outcome.result = first.Finish();
    RecordingSink second;
    status = metric.finalize(created[0], &second.sink(), &error);
    if (status != KPI_STATUS_OK) return fail(status, "finalize", error);
    outcome.finalize_repeatable = outcome.result == second.Finish();
  }();
  for (void* state : created) metric.destroy(state);
  return outcome;
}

}  // namespace kpi::testing
