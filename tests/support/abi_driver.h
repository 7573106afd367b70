// tests/support/abi_driver.h -- drives metric plugins through the raw C ABI
// of kpi/plugin_abi.h, the way a host does, for tests.
//
// It builds the C structs a host passes (parameters with defaults filled in,
// chunks in declaration order), records what finalize() writes through the
// result sink into plain values, and loads plugin files with dlopen. It does
// not validate inputs or parameters against the declared ranges the way the
// server does: tests use it to reach the plugin's own checks.
//
// Numbers are given as doubles and converted to the declared type (INT64 and
// TIMESTAMP must then be whole numbers); STRING inputs are not supported.
// Mistakes in a test's own data (an unknown input or parameter name, a type
// that does not fit) throw DriverError.
//
// Nothing here is thread-safe; use one object per thread.
#ifndef KPI_TESTS_SUPPORT_ABI_DRIVER_H_
#define KPI_TESTS_SUPPORT_ABI_DRIVER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kpi/plugin_abi.h"

namespace kpi::testing {

// A mistake in the test's own data, not a plugin failure.
class DriverError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// ---- Inputs and parameters --------------------------------------------------

// The values of one chunk, by input name.
struct ChunkData {
  std::map<std::string, double> scalars;
  std::map<std::string, std::vector<double>> columns;
};

// The chunks fed to one state, in order.
using StateData = std::vector<ChunkData>;

// A parameter value as a test writes it; converted to the declared type.
class ParamValue {
 public:
  // Implicit so tables can write {"promoter_min", 6}.
  ParamValue(int value) : number_(value) {}  // NOLINT
  ParamValue(int64_t value)                  // NOLINT
      : number_(static_cast<double>(value)) {}
  ParamValue(double value) : number_(value) {}                  // NOLINT
  ParamValue(bool value) : boolean_(value) {}                   // NOLINT
  ParamValue(const char* value) : string_(value) {}             // NOLINT
  ParamValue(std::string value) : string_(std::move(value)) {}  // NOLINT

  // The value as the C struct for a parameter declared by `spec`. Throws
  // DriverError when it does not fit the declared type. Strings point into
  // this object.
  kpi_param_value ToAbi(const kpi_param_spec& spec) const;

 private:
  std::optional<double> number_;
  std::optional<bool> boolean_;
  std::optional<std::string> string_;
};

// Parameters a test sets, by name; the rest take their declared defaults.
using ParamOverrides = std::map<std::string, ParamValue>;

// The kpi_param_value array a host passes to create(): one entry per
// declared parameter, in declaration order, defaults filled in.
class OwnedParams {
 public:
  // Throws DriverError for an override that names no declared parameter.
  OwnedParams(const kpi_param_spec* specs, size_t num_specs,
              const ParamOverrides& overrides);
  OwnedParams(const OwnedParams&) = delete;
  OwnedParams& operator=(const OwnedParams&) = delete;

  const kpi_param_value* data() const { return values_.data(); }
  size_t size() const { return values_.size(); }

 private:
  ParamOverrides overrides_;  // owns the strings values_ point into
  std::vector<kpi_param_value> values_;
};

// The kpi_chunk a host passes to update(): one kpi_column per declared
// input, in declaration order; absent inputs have length 0 and NULL data.
class OwnedChunk {
 public:
  // Throws DriverError for a name that is not a declared input of the right
  // kind, a value that does not fit the declared type, or columns of unequal
  // length.
  OwnedChunk(const kpi_input_spec* specs, size_t num_specs,
             const ChunkData& data);
  OwnedChunk(const OwnedChunk&) = delete;
  OwnedChunk& operator=(const OwnedChunk&) = delete;

  const kpi_chunk& get() const { return chunk_; }

 private:
  std::deque<std::vector<double>> doubles_;
  std::deque<std::vector<int64_t>> int64s_;
  std::vector<kpi_column> columns_;
  kpi_chunk chunk_{};
};

// One OwnedChunk per ChunkData of each state, built ahead of any plugin call.
using OwnedChunks = std::vector<std::vector<std::unique_ptr<OwnedChunk>>>;
OwnedChunks BuildChunks(const kpi_input_spec* specs, size_t num_specs,
                        const std::vector<StateData>& states);

// Splits `whole` into `num_states` states of `chunks_per_state` chunks each,
// rows in order and spread as evenly as possible (so some chunks are empty
// when there are fewer rows than chunks). Scalars go to the first chunk of
// the first state only, as a host sends them.
std::vector<StateData> SplitRows(const ChunkData& whole, size_t num_states,
                                 size_t chunks_per_state);

// ---- Results ----------------------------------------------------------------

struct Ratio {
  double numerator = 0;
  double denominator = 0;
};

struct Interval {
  double lower = 0;
  double upper = 0;
  double margin = 0;
  double standard_error = 0;
  double confidence_level = 0;
};

// Everything one finalize() call wrote through the sink.
struct SinkRecord {
  std::optional<double> value;
  std::optional<std::string> undefined_reason;
  std::optional<Ratio> ratio;
  std::optional<Interval> interval;
  std::vector<std::string> warnings;
  std::optional<double> sample_size;
  std::optional<std::string> unit;  // set only when the plugin overrides it
  // "table.column" of every result table column, in the order added (the
  // cells are checked through the server in tests/catalog).
  std::vector<std::string> table_columns;
  // Breaches of the sink protocol: a callback called twice, both a value and
  // undefined (or neither), a NaN or infinite number.
  std::vector<std::string> protocol_errors;
};

// Exact comparisons: the same calls with the same numbers.
bool operator==(const Ratio& a, const Ratio& b);
bool operator==(const Interval& a, const Interval& b);
bool operator==(const SinkRecord& a, const SinkRecord& b);

// A kpi_result_sink that records into a SinkRecord.
class RecordingSink {
 public:
  RecordingSink();
  RecordingSink(const RecordingSink&) = delete;
  RecordingSink& operator=(const RecordingSink&) = delete;

  const kpi_result_sink& sink() const { return sink_; }
  // The record, with "neither value nor undefined" added to protocol_errors
  // when that is the case.
  SinkRecord Finish() const;

 private:
  static void SetValue(void* context, double value);
  static void SetUndefined(void* context, const char* reason, size_t size);
  static void SetRatio(void* context, double numerator, double denominator);
  static void SetInterval(void* context, double lower, double upper,
                          double margin, double standard_error,
                          double confidence_level);
  static void AddWarning(void* context, const char* message, size_t size);
  static void SetSampleSize(void* context, double sample_size);
  static void SetUnit(void* context, const char* unit, size_t size);
  static void AddTableColumn(void* context, const char* table,
                             size_t table_size, const char* column,
                             size_t column_size, kpi_value_type type,
                             size_t rows, const double* f64, const int64_t* i64,
                             const kpi_string_view* str);

  void CheckFinite(const char* callback, double number);

  kpi_result_sink sink_;
  SinkRecord record_;
};

// What running a metric came to: the status and message of the first call
// that failed, or OK and the record of finalize().
struct Outcome {
  kpi_status status = KPI_STATUS_OK;
  std::string failed_call;  // "create", "update", "merge" or "finalize"
  std::string message;
  SinkRecord result;
  // Whether a second finalize() wrote the same record (the ABI says
  // finalize does not change the state).
  bool finalize_repeatable = true;
};

// ---- Plugins ----------------------------------------------------------------

// A plugin file loaded with dlopen(RTLD_NOW | RTLD_LOCAL) and negotiated at
// this header's ABI version. Unloads on destruction.
class LoadedPlugin {
 public:
  // Returns nullptr and sets *error when the file does not load, lacks the
  // entry symbol, or the entry refuses.
  static std::unique_ptr<LoadedPlugin> Load(const std::string& path,
                                            std::string* error);
  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const kpi_plugin_descriptor& descriptor() const { return *descriptor_; }
  kpi_plugin_entry_fn entry() const { return entry_; }
  // The metric named `name`, or nullptr.
  const kpi_metric_descriptor* FindMetric(std::string_view name) const;

 private:
  LoadedPlugin(void* handle, kpi_plugin_entry_fn entry,
               const kpi_plugin_descriptor* descriptor)
      : handle_(handle), entry_(entry), descriptor_(descriptor) {}
  void* handle_;
  kpi_plugin_entry_fn entry_;
  const kpi_plugin_descriptor* descriptor_;
};

// Runs `metric` through its raw function pointers as a host does: create()
// one state per entry of `states` with `params`, update() each with its
// chunks, merge() the others into the first, finalize() it (twice, to check
// repeatability) and destroy() every state, also after a failure.
Outcome RunMetric(const kpi_metric_descriptor& metric,
                  const ParamOverrides& params,
                  const std::vector<StateData>& states);

}  // namespace kpi::testing

#endif  // KPI_TESTS_SUPPORT_ABI_DRIVER_H_
