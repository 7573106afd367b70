// kpi/plugin.hpp -- a header-only C++17 layer over kpi/plugin_abi.h that
// makes a metric a short class and a plugin one macro:
//
//   class ClickThroughRate {
//    public:
//     static constexpr kpi_input_spec kInputs[] = {
//         kpi::sdk::Scalar("clicks", KPI_TYPE_INT64, "Clicks.")
//             .Required().Min(0),
//         kpi::sdk::Scalar("impressions", KPI_TYPE_INT64, "...")
//             .Required().Min(0)};
//     static constexpr auto kClicks =
//         kpi::sdk::Input<KPI_TYPE_INT64>(kInputs, "clicks");
//     static constexpr auto kImpressions =
//         kpi::sdk::Input<KPI_TYPE_INT64>(kInputs, "impressions");
//     static constexpr kpi::sdk::MetricInfo kInfo{"click_through_rate",
//         "clicks / impressions x 100", "%"};
//     explicit ClickThroughRate(const kpi::sdk::Params& params);
//     void Update(const kpi::sdk::Chunk& chunk);
//     void Merge(const ClickThroughRate& other);
//     void Finalize(kpi::sdk::Result& result) const;
//   };
//   KPI_PLUGIN("engagement", "1.0.0", "Engagement metrics.", ClickThroughRate)
//
// Inputs and parameters are read through typed handles found by name in the
// declarations at compile time (Input and Param below): a misspelt name, or a
// handle whose type differs from the declared one, does not compile, and no
// enum has to follow the declaration order. A metric class may also declare
// `static constexpr kpi_param_spec kParams[]` (see ParamSpec below) and `static
// constexpr kpi_example kExamples[]` (calls with known answers, checked at
// load; see Example below). Exceptions never cross the C boundary: the adapter
// turns kpi::sdk::InvalidArgument into KPI_STATUS_INVALID_ARGUMENT and anything
// else (std::bad_alloc included) into KPI_STATUS_INTERNAL, with the message.
//
// Nothing from this header crosses the boundary; only the C structs it fills
// do, so plugins built with any C++ standard library interoperate.
#ifndef KPI_PLUGIN_HPP_
#define KPI_PLUGIN_HPP_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kpi/plugin_abi.h"
#include "kpi/plugin_text.hpp"

namespace kpi::sdk {

// Thrown by a metric for input it cannot accept; reported to the caller as
// INVALID_ARGUMENT with this message.
class InvalidArgument : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A read-only view of `size` contiguous values (the subset of std::span a
// plugin needs, so the layer stays C++17).
template <typename T>
class View {
 public:
  constexpr View() = default;
  constexpr View(const T* data, size_t size) : data_(data), size_(size) {}
  constexpr const T* begin() const { return data_; }
  constexpr const T* end() const { return data_ + size_; }
  // Throws std::out_of_range past the end (the adapter reports it as the
  // plugin's error): a wrong index is a plugin bug, never a read out of
  // bounds. Iterate with begin()/end() where no index is needed.
  constexpr const T& operator[](size_t i) const {
    if (i >= size_) throw std::out_of_range("index past the end of a View");
    return data_[i];
  }
  constexpr size_t size() const { return size_; }
  constexpr bool empty() const { return size_ == 0; }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

// ---- Declaring inputs and parameters (all constexpr) ----------------------

// Builds a kpi_input_spec; converts implicitly so it can initialise a
// `static constexpr kpi_input_spec kInputs[]` array.
class InputSpec {
 public:
  constexpr InputSpec(const char* name, kpi_value_type type,
                      kpi_input_kind kind, const char* description)
      : spec_{name, description, type,    kind,    0u,
              0.0,  0.0,         nullptr, nullptr, nullptr} {}
  constexpr InputSpec Required() const { return With(KPI_INPUT_REQUIRED); }
  constexpr InputSpec Integral() const { return With(KPI_INPUT_INTEGRAL); }
  constexpr InputSpec Min(double min) const {
    InputSpec copy = With(KPI_INPUT_HAS_MIN);
    copy.spec_.min = min;
    return copy;
  }
  constexpr InputSpec Max(double max) const {
    InputSpec copy = With(KPI_INPUT_HAS_MAX);
    copy.spec_.max = max;
    return copy;
  }
  // The bounds come from numeric parameters of the metric (a survey scale).
  constexpr InputSpec MinFromParam(const char* param) const {
    InputSpec copy = *this;
    copy.spec_.min_param = param;
    return copy;
  }
  constexpr InputSpec MaxFromParam(const char* param) const {
    InputSpec copy = *this;
    copy.spec_.max_param = param;
    return copy;
  }
  // The input form this input belongs to ("aggregate", "records", ...).
  constexpr InputSpec Form(const char* form) const {
    InputSpec copy = *this;
    copy.spec_.form = form;
    return copy;
  }
  constexpr operator kpi_input_spec() const { return spec_; }  // NOLINT

 private:
  constexpr InputSpec With(uint32_t flag) const {
    InputSpec copy = *this;
    copy.spec_.flags |= flag;
    return copy;
  }
  kpi_input_spec spec_;
};

constexpr InputSpec Column(const char* name, kpi_value_type type,
                           const char* description) {
  return InputSpec(name, type, KPI_INPUT_COLUMN, description);
}
constexpr InputSpec Scalar(const char* name, kpi_value_type type,
                           const char* description) {
  return InputSpec(name, type, KPI_INPUT_SCALAR, description);
}

// Builds a kpi_param_spec.
class ParamSpec {
 public:
  constexpr ParamSpec(const char* name, kpi_param_value default_value,
                      const char* description)
      : spec_{name,    description, default_value, 0u, 0.0, 0.0,
              nullptr, 0,           nullptr} {}
  constexpr ParamSpec Min(double min) const {
    ParamSpec copy = *this;
    copy.spec_.flags |= KPI_PARAM_HAS_MIN;
    copy.spec_.min = min;
    return copy;
  }
  constexpr ParamSpec Max(double max) const {
    ParamSpec copy = *this;
    copy.spec_.flags |= KPI_PARAM_HAS_MAX;
    copy.spec_.max = max;
    return copy;
  }
  constexpr ParamSpec Integral() const {
    ParamSpec copy = *this;
    copy.spec_.flags |= KPI_PARAM_INTEGRAL;
    return copy;
  }
  // The caller must set it; with `form`, only when that input form is used.
  constexpr ParamSpec Required(const char* form = nullptr) const {
    ParamSpec copy = *this;
    copy.spec_.flags |= KPI_PARAM_REQUIRED;
    copy.spec_.form = form;
    return copy;
  }
  // `values` must have static storage duration.
  template <size_t N>
  constexpr ParamSpec OneOf(const char* const (&values)[N]) const {
    ParamSpec copy = *this;
    copy.spec_.allowed_values = values;
    copy.spec_.allowed_count = N;
    return copy;
  }
  constexpr operator kpi_param_spec() const { return spec_; }  // NOLINT

 private:
  kpi_param_spec spec_;
};

constexpr ParamSpec DoubleParam(const char* name, double default_value,
                                const char* description) {
  return ParamSpec(name, {KPI_TYPE_DOUBLE, default_value, 0, 0, {nullptr, 0}},
                   description);
}
constexpr ParamSpec Int64Param(const char* name, int64_t default_value,
                               const char* description) {
  return ParamSpec(name, {KPI_TYPE_INT64, 0.0, default_value, 0, {nullptr, 0}},
                   description);
}
constexpr ParamSpec BoolParam(const char* name, bool default_value,
                              const char* description) {
  return ParamSpec(name,
                   {KPI_TYPE_BOOL, 0.0, 0, default_value ? 1 : 0, {nullptr, 0}},
                   description);
}
// The instants a TIMESTAMP input or parameter may hold, in microseconds
// since the Unix epoch: google.protobuf.Timestamp's range,
// 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z (the host refuses
// others). A timestamp column may also hold kOpenEnd, "no end yet" (an
// active subscription, an unanswered ticket).
inline constexpr int64_t kEarliestInstant = -62135596800LL * 1000000;
inline constexpr int64_t kLatestInstant = 253402300799LL * 1000000 + 999999;
inline constexpr int64_t kOpenEnd = INT64_MAX;

// Microseconds since the Unix epoch; usually Required() with default 0.
constexpr ParamSpec TimestampParam(const char* name, int64_t default_value,
                                   const char* description) {
  return ParamSpec(name,
                   {KPI_TYPE_TIMESTAMP, 0.0, default_value, 0, {nullptr, 0}},
                   description);
}
// `default_value` must be a string literal.
template <size_t N>
constexpr ParamSpec StringParam(const char* name,
                                const char (&default_value)[N],
                                const char* description) {
  return ParamSpec(name, {KPI_TYPE_STRING, 0.0, 0, 0, {default_value, N - 1}},
                   description);
}

// ---- Typed handles on the declarations (all constexpr) --------------------
//
// After kInputs and kParams, a metric class names each input and parameter
// it reads, by its declared name and type:
//
//   static constexpr auto kCustomer =
//       kpi::sdk::Input<KPI_TYPE_STRING>(kInputs, "customer");
//   static constexpr auto kWindowStart =
//       kpi::sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "window_start");
//
// The lookup runs at compile time. A name that is not declared, declared
// twice, or declared with another type stops the build at that line (g++
// prints the reason beside "is not a constant expression"); Chunk and Params
// accept only handles of the matching type.

namespace detail {
constexpr bool SameName(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) {
    ++a;
    ++b;
  }
  return *a == *b;
}

// The position of `name` in `specs` (by their .name), checked unique.
template <typename Spec, size_t N>
constexpr size_t DeclaredIndex(const Spec (&specs)[N], const char* name) {
  size_t found = N;
  for (size_t i = 0; i < N; ++i) {
    if (!SameName(specs[i].name, name)) continue;
    if (found != N) throw std::logic_error("this name is declared twice");
    found = i;
  }
  if (found == N) throw std::logic_error("no declaration has this name");
  return found;
}
}  // namespace detail

// A declared input of type T (see Input).
template <kpi_value_type T>
class InputRef {
 public:
  constexpr size_t index() const { return index_; }

 private:
  template <kpi_value_type U, size_t N>
  friend constexpr InputRef<U> Input(const kpi_input_spec (&inputs)[N],
                                     const char* name);
  constexpr explicit InputRef(size_t index) : index_(index) {}
  size_t index_;
};

// The handle of input `name`, declared in `inputs` with type T.
template <kpi_value_type T, size_t N>
constexpr InputRef<T> Input(const kpi_input_spec (&inputs)[N],
                            const char* name) {
  const size_t index = detail::DeclaredIndex(inputs, name);
  if (inputs[index].type != T) {
    throw std::logic_error("the input is declared with another type");
  }
  return InputRef<T>(index);
}

// A declared parameter of type T (see Param).
template <kpi_value_type T>
class ParamRef {
 public:
  constexpr size_t index() const { return index_; }

 private:
  template <kpi_value_type U, size_t N>
  friend constexpr ParamRef<U> Param(const kpi_param_spec (&params)[N],
                                     const char* name);
  constexpr explicit ParamRef(size_t index) : index_(index) {}
  size_t index_;
};

// The handle of parameter `name`, declared in `params` with type T.
template <kpi_value_type T, size_t N>
constexpr ParamRef<T> Param(const kpi_param_spec (&params)[N],
                            const char* name) {
  const size_t index = detail::DeclaredIndex(params, name);
  if (params[index].default_value.type != T) {
    throw std::logic_error("the parameter is declared with another type");
  }
  return ParamRef<T>(index);
}

// ---- Declaring orders between inputs (all constexpr) ---------------------
//
// A metric class may declare `static constexpr kpi_input_order
// kInputOrders[]`: pairs of columns whose values keep an order in every row,
// which the host checks before update() sees a chunk (see kpi_input_order):
//
//   static constexpr kpi_input_order kInputOrders[] = {
//       kpi::sdk::NotBefore("resolved", "opened")};
//
// Both names must be declared inputs of one type, or the build stops.

// In every row, input `input` is at or after input `not_before`.
constexpr kpi_input_order NotBefore(const char* input, const char* not_before) {
  return {input, not_before};
}

// ---- Declaring list parameters (all constexpr) ---------------------------
//
// A STRING parameter that holds a list of records ("usage:2:higher,
// tickets:1:lower:0:20") is declared field by field, so the host validates
// every item and clients can show its shape (see kpi_list_param):
//
//   static constexpr const char* kDirections[] = {"higher", "lower"};
//   static constexpr kpi_list_field kSignalFields[] = {
//       kpi::sdk::TextField("name", "The signal."),
//       kpi::sdk::NumberField("weight", "Its weight.").Min(0),
//       kpi::sdk::TextField("direction", "Which is better.")
//           .OneOf(kDirections),
//       kpi::sdk::NumberField("min", "Raw value scored 0.").Optional(),
//       kpi::sdk::NumberField("max", "Raw value scored 100.")};
//   static constexpr kpi_list_param kListParams[] = {
//       kpi::sdk::ListParam("signals", kSignalFields)};
//
// The parameter must be a declared STRING parameter, or the build stops.

// Builds a kpi_list_field.
class ListField {
 public:
  constexpr ListField(const char* name, kpi_value_type type,
                      const char* description)
      : field_{name, description, type, 0u, 0.0, 0.0, nullptr, 0} {}
  constexpr ListField Min(double min) const {
    ListField copy = *this;
    copy.field_.flags |= KPI_PARAM_HAS_MIN;
    copy.field_.min = min;
    return copy;
  }
  constexpr ListField Max(double max) const {
    ListField copy = *this;
    copy.field_.flags |= KPI_PARAM_HAS_MAX;
    copy.field_.max = max;
    return copy;
  }
  // This field and every later one may be left out together.
  constexpr ListField Optional() const {
    ListField copy = *this;
    copy.field_.flags |= KPI_LIST_FIELD_OPTIONAL;
    return copy;
  }
  // `values` must have static storage duration.
  template <size_t N>
  constexpr ListField OneOf(const char* const (&values)[N]) const {
    ListField copy = *this;
    copy.field_.allowed_values = values;
    copy.field_.allowed_count = N;
    return copy;
  }
  constexpr operator kpi_list_field() const { return field_; }  // NOLINT

 private:
  kpi_list_field field_;
};

constexpr ListField NumberField(const char* name, const char* description) {
  return ListField(name, KPI_TYPE_DOUBLE, description);
}
constexpr ListField TextField(const char* name, const char* description) {
  return ListField(name, KPI_TYPE_STRING, description);
}

// Parameter `param` holds records of `fields` (static storage duration).
template <size_t N>
constexpr kpi_list_param ListParam(const char* param,
                                   const kpi_list_field (&fields)[N]) {
  return {param, fields, N};
}

// ---- Declaring examples (all constexpr) -----------------------------------
//
// A metric class may declare `static constexpr kpi_example kExamples[]`:
// calls with known answers, which `kpi-plugin check` and the server run at
// load. Values live in static constexpr arrays of the class (a scalar is an
// array of one):
//
//   static constexpr double kSmallValues[] = {1, 2, 3.5};
//   static constexpr kpi_example_input kSmallInputs[] = {
//       kpi::sdk::ExampleInput("values", kSmallValues)};
//   static constexpr kpi_example_param kSmallParams[] = {
//       kpi::sdk::ExampleParam("scale", kpi::sdk::DoubleValue(2))};
//   static constexpr kpi_example kExamples[] = {
//       kpi::sdk::Example("small", kSmallInputs).Params(kSmallParams)
//           .Expect(13),
//       kpi::sdk::Example("no rows", kNoRows).ExpectUndefined()};
//
// where kNoRows[] = {kpi::sdk::ExampleEmptyColumn("values", KPI_TYPE_DOUBLE)}.

// Parameter values for ExampleParam.
constexpr kpi_param_value DoubleValue(double v) {
  return {KPI_TYPE_DOUBLE, v, 0, 0, {nullptr, 0}};
}
constexpr kpi_param_value Int64Value(int64_t v) {
  return {KPI_TYPE_INT64, 0.0, v, 0, {nullptr, 0}};
}
constexpr kpi_param_value BoolValue(bool v) {
  return {KPI_TYPE_BOOL, 0.0, 0, v ? 1 : 0, {nullptr, 0}};
}
// Microseconds since the Unix epoch.
constexpr kpi_param_value TimestampValue(int64_t v) {
  return {KPI_TYPE_TIMESTAMP, 0.0, v, 0, {nullptr, 0}};
}
// `v` must be a string literal.
template <size_t N>
constexpr kpi_param_value StringValue(const char (&v)[N]) {
  return {KPI_TYPE_STRING, 0.0, 0, 0, {v, N - 1}};
}
// A string literal as a kpi_string_view (for string example columns).
template <size_t N>
constexpr kpi_string_view Str(const char (&v)[N]) {
  return {v, N - 1};
}

constexpr kpi_example_param ExampleParam(const char* name,
                                         kpi_param_value value) {
  return {name, value};
}

// An example input; the arrays must have static storage duration.
template <size_t N>
constexpr kpi_example_input ExampleInput(const char* name,
                                         const double (&values)[N]) {
  return {name, {KPI_TYPE_DOUBLE, N, values, nullptr, nullptr}};
}
template <size_t N>
constexpr kpi_example_input ExampleInput(const char* name,
                                         const int64_t (&values)[N]) {
  return {name, {KPI_TYPE_INT64, N, nullptr, values, nullptr}};
}
// Microseconds since the Unix epoch.
template <size_t N>
constexpr kpi_example_input ExampleTimestamps(const char* name,
                                              const int64_t (&values)[N]) {
  return {name, {KPI_TYPE_TIMESTAMP, N, nullptr, values, nullptr}};
}
template <size_t N>
constexpr kpi_example_input ExampleInput(const char* name,
                                         const kpi_string_view (&values)[N]) {
  return {name, {KPI_TYPE_STRING, N, nullptr, nullptr, values}};
}

// A KEY input's example values: the keys' text, interned by the host as in
// a call.
template <size_t N>
constexpr kpi_example_input ExampleKeys(const char* name,
                                        const kpi_string_view (&values)[N]) {
  return {name, {KPI_TYPE_KEY, N, nullptr, nullptr, values}};
}

// A column input with no rows (C++ has no arrays of length 0).
constexpr kpi_example_input ExampleEmptyColumn(const char* name,
                                               kpi_value_type type) {
  return {name, {type, 0, nullptr, nullptr, nullptr}};
}

// Builds a kpi_example; converts implicitly so it can initialise a
// `static constexpr kpi_example kExamples[]` array. Every example says what
// it expects: converting one without Expect() or ExpectUndefined() stops the
// build (in a constexpr array) or throws.
class Example {
 public:
  constexpr explicit Example(const char* name)
      : example_{name, nullptr, 0, nullptr, 0, kNoExpectation, 0.0, 0.0} {}
  template <size_t N>
  constexpr Example(const char* name, const kpi_example_input (&inputs)[N])
      : example_{name, nullptr, 0, inputs, N, kNoExpectation, 0.0, 0.0} {}
  template <size_t N>
  constexpr Example Params(const kpi_example_param (&params)[N]) const {
    Example copy = *this;
    copy.example_.params = params;
    copy.example_.num_params = N;
    return copy;
  }
  // The result has a value within `tolerance` (absolute) of `value`.
  constexpr Example Expect(double value, double tolerance = 1e-9) const {
    Example copy = *this;
    copy.example_.expect = KPI_EXPECT_VALUE;
    copy.example_.value = value;
    copy.example_.tolerance = tolerance;
    return copy;
  }
  constexpr Example ExpectUndefined() const {
    Example copy = *this;
    copy.example_.expect = KPI_EXPECT_UNDEFINED;
    copy.example_.value = 0.0;
    copy.example_.tolerance = 0.0;
    return copy;
  }
  constexpr operator kpi_example() const {  // NOLINT
    if (example_.expect == kNoExpectation) {
      throw std::logic_error("an Example needs Expect() or ExpectUndefined()");
    }
    return example_;
  }

 private:
  static constexpr int32_t kNoExpectation = 0;
  kpi_example example_;
};

// Name, description and unit of a metric.
struct MetricInfo {
  const char* name;
  const char* description;
  const char* unit;
};

// ---- Views the metric class receives -----------------------------------

// The parameters of one create() call, in declaration order; read them
// through the metric's ParamRef handles.
class Params {
 public:
  Params(const kpi_param_value* values, size_t size)
      : values_(values), size_(size) {}
  double Double(ParamRef<KPI_TYPE_DOUBLE> param) const {
    return At(param.index(), KPI_TYPE_DOUBLE).f64;
  }
  int64_t Int64(ParamRef<KPI_TYPE_INT64> param) const {
    return At(param.index(), KPI_TYPE_INT64).i64;
  }
  // Microseconds since the Unix epoch.
  int64_t Timestamp(ParamRef<KPI_TYPE_TIMESTAMP> param) const {
    return At(param.index(), KPI_TYPE_TIMESTAMP).i64;
  }
  bool Bool(ParamRef<KPI_TYPE_BOOL> param) const {
    return At(param.index(), KPI_TYPE_BOOL).boolean != 0;
  }
  std::string_view String(ParamRef<KPI_TYPE_STRING> param) const {
    const kpi_param_value& v = At(param.index(), KPI_TYPE_STRING);
    return std::string_view(v.str.data, v.str.size);
  }
  size_t size() const { return size_; }

 private:
  // The host passes every declared parameter with its declared type; a
  // value that is missing or typed otherwise is a host bug, reported as the
  // call's error rather than read as another type.
  const kpi_param_value& At(size_t index, kpi_value_type type) const {
    if (index >= size_) throw std::out_of_range("parameter index");
    if (values_[index].type != type) {
      throw std::logic_error("parameter value of another type than declared");
    }
    return values_[index];
  }
  const kpi_param_value* values_;
  size_t size_;
};

namespace detail {
// The host's ABI minor version, recorded by the entry function.
inline uint32_t host_abi_minor = 0;
}  // namespace detail

// The keys of one KEY input of a call (kpi_key_dictionary): every distinct
// key sent so far, by code. Codes are dense, 0 .. size() - 1, so per-key
// state is an array; the dictionary is shared by every state of the call and
// outlives them, so a state may keep this handle for Finalize.
class Keys {
 public:
  Keys() = default;
  explicit Keys(const kpi_key_dictionary* dictionary)
      : dictionary_(dictionary) {}
  // Keys so far (0 for a handle from no chunk).
  size_t size() const {
    return dictionary_ ? dictionary_->size(dictionary_->context) : 0;
  }
  // The key's text. Throws std::out_of_range for a code past size().
  std::string_view Text(int32_t code) const {
    if (code < 0 || static_cast<size_t>(code) >= size()) {
      throw std::out_of_range("key code past the dictionary");
    }
    const kpi_string_view text = dictionary_->text(dictionary_->context, code);
    return std::string_view(text.data, text.size);
  }
  bool has_dictionary() const { return dictionary_ != nullptr; }

 private:
  const kpi_key_dictionary* dictionary_ = nullptr;
};

// A KEY input in one chunk: a code per row, and the call's keys.
struct KeyColumn {
  View<int32_t> codes;
  Keys keys;
};

// One chunk of validated input, read through the metric's InputRef handles.
class Chunk {
 public:
  explicit Chunk(const kpi_chunk& chunk) : chunk_(chunk) {}
  size_t rows() const { return chunk_.num_rows; }
  // Whether the call has been cancelled (client gone, deadline passed,
  // server stopping): a long update should ask every few milliseconds and
  // return early. Always false on a host older than ABI 1.1.
  bool Cancelled() const {
    return detail::host_abi_minor >= 1 && kpi_chunk_cancelled(&chunk_) != 0;
  }
  // Whether input `index` carries values in this chunk (optional columns
  // may be absent; scalars arrive in the first chunk only).
  template <kpi_value_type T>
  bool Has(InputRef<T> input) const {
    return InputColumn(input.index()).length > 0;
  }
  View<double> Doubles(InputRef<KPI_TYPE_DOUBLE> input) const {
    const kpi_column& c = InputColumn(input.index());
    return View<double>(c.f64, c.f64 ? c.length : 0);
  }
  View<int64_t> Int64s(InputRef<KPI_TYPE_INT64> input) const {
    return Integers(input.index());
  }
  // Microseconds since the Unix epoch.
  View<int64_t> Timestamps(InputRef<KPI_TYPE_TIMESTAMP> input) const {
    return Integers(input.index());
  }
  View<kpi_string_view> Strings(InputRef<KPI_TYPE_STRING> input) const {
    const kpi_column& c = InputColumn(input.index());
    return View<kpi_string_view>(c.str, c.str ? c.length : 0);
  }
  // Codes and keys; empty when the input is absent from the chunk.
  KeyColumn Keys(InputRef<KPI_TYPE_KEY> input) const {
    const kpi_column& c = InputColumn(input.index());
    if (c.length == 0 || chunk_.keys == nullptr) return {};
    const kpi_key_column& k = chunk_.keys[input.index()];
    if (k.codes == nullptr) return {};
    return {View<int32_t>(k.codes, chunk_.num_rows), sdk::Keys(k.dictionary)};
  }
  // The numeric scalar's value, or `fallback` when absent from this chunk.
  // INT64 and TIMESTAMP scalars are converted to double.
  template <kpi_value_type T>
  double ScalarOr(InputRef<T> input, double fallback) const {
    static_assert(
        T == KPI_TYPE_DOUBLE || T == KPI_TYPE_INT64 || T == KPI_TYPE_TIMESTAMP,
        "ScalarOr reads numeric inputs");
    const kpi_column& c = InputColumn(input.index());
    if (c.length == 0) return fallback;
    if (c.f64) return c.f64[0];
    if (c.i64) return static_cast<double>(c.i64[0]);
    return fallback;
  }

 private:
  const kpi_column& InputColumn(size_t index) const {
    if (index >= chunk_.num_inputs) throw std::out_of_range("input index");
    return chunk_.inputs[index];
  }
  View<int64_t> Integers(size_t index) const {
    const kpi_column& c = InputColumn(index);
    return View<int64_t>(c.i64, c.i64 ? c.length : 0);
  }
  const kpi_chunk& chunk_;
};

// What finalize() writes; forwards to the host's sink.
class Result {
 public:
  explicit Result(const kpi_result_sink& sink) : sink_(sink) {}
  void Value(double value) { sink_.set_value(sink_.context, value); }
  void Undefined(std::string_view reason) {
    sink_.set_undefined(sink_.context, reason.data(), reason.size());
  }
  void Ratio(double numerator, double denominator) {
    sink_.set_ratio(sink_.context, numerator, denominator);
  }
  void Interval(double lower, double upper, double margin,
                double standard_error, double confidence_level) {
    sink_.set_interval(sink_.context, lower, upper, margin, standard_error,
                       confidence_level);
  }
  void Warning(std::string_view message) {
    sink_.add_warning(sink_.context, message.data(), message.size());
  }
  void SampleSize(double n) { sink_.set_sample_size(sink_.context, n); }
  // Replaces the declared unit for this result.
  void Unit(std::string_view unit) {
    sink_.set_unit(sink_.context, unit.data(), unit.size());
  }

  // Adds a column to result table `table` (created on first use); every
  // column of a table has the same length.
  void TableColumn(std::string_view table, std::string_view column,
                   View<double> values) {
    AddColumn(table, column, KPI_TYPE_DOUBLE, values.size(), values.begin(),
              nullptr, nullptr);
  }
  void TableColumn(std::string_view table, std::string_view column,
                   View<int64_t> values, bool timestamps = false) {
    AddColumn(table, column, timestamps ? KPI_TYPE_TIMESTAMP : KPI_TYPE_INT64,
              values.size(), nullptr, values.begin(), nullptr);
  }
  void TableColumn(std::string_view table, std::string_view column,
                   View<kpi_string_view> values) {
    AddColumn(table, column, KPI_TYPE_STRING, values.size(), nullptr, nullptr,
              values.begin());
  }
  template <typename Container>
  void TableColumn(std::string_view table, std::string_view column,
                   const Container& strings_or_numbers) {
    using T = typename Container::value_type;
    if constexpr (std::is_same_v<T, double>) {
      TableColumn(
          table, column,
          View<double>(strings_or_numbers.data(), strings_or_numbers.size()));
    } else if constexpr (std::is_same_v<T, int64_t>) {
      TableColumn(
          table, column,
          View<int64_t>(strings_or_numbers.data(), strings_or_numbers.size()));
    } else {
      // Strings: std::string or std::string_view elements.
      std::vector<kpi_string_view> views;
      views.reserve(strings_or_numbers.size());
      for (const auto& s : strings_or_numbers) {
        views.push_back({s.data(), s.size()});
      }
      TableColumn(table, column,
                  View<kpi_string_view>(views.data(), views.size()));
    }
  }

  // The common shape of a rate: numerator / denominator x scale, undefined
  // (with `undefined_reason`) when the denominator is zero.
  void Rate(double numerator, double denominator, double scale,
            std::string_view undefined_reason) {
    Ratio(numerator, denominator);
    if (denominator == 0) {
      Undefined(undefined_reason);
    } else {
      Value(numerator / denominator * scale);
    }
  }

  // How a share of counts is named in its messages (see Share).
  struct ShareText {
    std::string_view part;   // "clicks"
    std::string_view whole;  // "impressions"
    // Why the part can exceed the whole: "as when total rather than unique
    // clicks are counted".
    std::string_view above_whole;
    std::string_view undefined_reason;  // when the whole is 0
  };
  // A share of counts in %: part / whole x 100, with that ratio and the
  // whole as sample size; undefined when the whole is 0. A part above the
  // whole is no error (the counts may come from different sources) but is
  // said: "clicks (150) exceed impressions (100): the rate is above 100%,
  // as when ...".
  void Share(double part, double whole, const ShareText& text) {
    if (part > whole) {
      Warning(std::string(text.part) + " (" + FormatCount(part) + ") exceed " +
              std::string(text.whole) + " (" + FormatCount(whole) +
              "): the rate is above 100%, " + std::string(text.above_whole));
    }
    SampleSize(whole);
    Rate(part, whole, 100.0, text.undefined_reason);
  }

 private:
  void AddColumn(std::string_view table, std::string_view column,
                 kpi_value_type type, size_t rows, const double* f64,
                 const int64_t* i64, const kpi_string_view* str) {
    sink_.add_table_column(sink_.context, table.data(), table.size(),
                           column.data(), column.size(), type, rows, f64, i64,
                           str);
  }
  const kpi_result_sink& sink_;
};

// ---- The adapter from a metric class to the C descriptor ----------------

namespace detail {

inline void WriteError(kpi_error* error, const char* message) {
  if (error == nullptr) return;
  std::snprintf(error->message, sizeof(error->message), "%s", message);
}

// Runs `body`, turning exceptions into a status and message.
template <typename Body>
kpi_status Guard(kpi_error* error, Body&& body) noexcept {
  try {
    body();
    return KPI_STATUS_OK;
  } catch (const InvalidArgument& e) {
    WriteError(error, e.what());
    return KPI_STATUS_INVALID_ARGUMENT;
  } catch (const std::bad_alloc&) {
    WriteError(error, "out of memory");
    return KPI_STATUS_INTERNAL;
  } catch (const std::exception& e) {
    WriteError(error, e.what());
    return KPI_STATUS_INTERNAL;
  } catch (...) {
    WriteError(error, "unknown exception in plugin");
    return KPI_STATUS_INTERNAL;
  }
}

template <typename M, typename = void>
struct ParamsOf {
  static constexpr const kpi_param_spec* data() { return nullptr; }
  static constexpr size_t size() { return 0; }
};
template <typename M>
struct ParamsOf<M, std::void_t<decltype(M::kParams)>> {
  static constexpr const kpi_param_spec* data() { return M::kParams; }
  static constexpr size_t size() {
    return sizeof(M::kParams) / sizeof(M::kParams[0]);
  }
};

template <typename M, typename = void>
struct ExamplesOf {
  static constexpr const kpi_example* data() { return nullptr; }
  static constexpr size_t size() { return 0; }
};
template <typename M>
struct ExamplesOf<M, std::void_t<decltype(M::kExamples)>> {
  static constexpr const kpi_example* data() { return M::kExamples; }
  static constexpr size_t size() {
    return sizeof(M::kExamples) / sizeof(M::kExamples[0]);
  }
};

template <typename M, typename = void>
struct InputOrdersOf {
  static constexpr const kpi_input_order* data() { return nullptr; }
  static constexpr size_t size() { return 0; }
};
template <typename M>
struct InputOrdersOf<M, std::void_t<decltype(M::kInputOrders)>> {
  static constexpr const kpi_input_order* data() { return M::kInputOrders; }
  static constexpr size_t size() {
    return sizeof(M::kInputOrders) / sizeof(M::kInputOrders[0]);
  }
};

template <typename M, typename = void>
struct ListParamsOf {
  static constexpr const kpi_list_param* data() { return nullptr; }
  static constexpr size_t size() { return 0; }
};
template <typename M>
struct ListParamsOf<M, std::void_t<decltype(M::kListParams)>> {
  static constexpr const kpi_list_param* data() { return M::kListParams; }
  static constexpr size_t size() {
    return sizeof(M::kListParams) / sizeof(M::kListParams[0]);
  }
};

// Whether every list parameter of M is a declared STRING parameter; a
// constant expression only when it is.
template <typename M>
constexpr bool ListParamsDeclared() {
  if constexpr (ListParamsOf<M>::size() > 0) {
    for (size_t i = 0; i < ListParamsOf<M>::size(); ++i) {
      Param<KPI_TYPE_STRING>(M::kParams, ListParamsOf<M>::data()[i].param);
    }
  }
  return true;
}

// Whether every order of M names two declared inputs of one type; a
// constant expression only when they do.
template <typename M>
constexpr bool InputOrdersDeclared() {
  for (size_t i = 0; i < InputOrdersOf<M>::size(); ++i) {
    const kpi_input_order& order = InputOrdersOf<M>::data()[i];
    const size_t later = DeclaredIndex(M::kInputs, order.input);
    const size_t earlier = DeclaredIndex(M::kInputs, order.not_before);
    if (M::kInputs[later].type != M::kInputs[earlier].type) {
      throw std::logic_error("an order needs two inputs of one type");
    }
  }
  return true;
}

template <typename M>
struct MetricAdapter {
  static kpi_status Create(const kpi_param_value* params, size_t num_params,
                           void** state, kpi_error* error) {
    return Guard(error, [&] { *state = new M(Params(params, num_params)); });
  }
  static kpi_status Update(void* state, const kpi_chunk* chunk,
                           kpi_error* error) {
    return Guard(error, [&] { static_cast<M*>(state)->Update(Chunk(*chunk)); });
  }
  static kpi_status Merge(void* state, const void* other, kpi_error* error) {
    return Guard(error, [&] {
      static_cast<M*>(state)->Merge(*static_cast<const M*>(other));
    });
  }
  static kpi_status Finalize(const void* state, const kpi_result_sink* sink,
                             kpi_error* error) {
    return Guard(error, [&] {
      Result result(*sink);
      static_cast<const M*>(state)->Finalize(result);
    });
  }
  static void Destroy(void* state) { delete static_cast<M*>(state); }

  static_assert(InputOrdersDeclared<M>());
  static_assert(ListParamsDeclared<M>());
  static constexpr kpi_metric_extras kExtras = {
      InputOrdersOf<M>::data(), InputOrdersOf<M>::size(),
      ListParamsOf<M>::data(), ListParamsOf<M>::size()};

  static constexpr kpi_metric_descriptor Descriptor() {
    return {M::kInfo.name,
            M::kInfo.description,
            M::kInfo.unit,
            M::kInputs,
            sizeof(M::kInputs) / sizeof(M::kInputs[0]),
            ParamsOf<M>::data(),
            ParamsOf<M>::size(),
            &Create,
            &Update,
            &Merge,
            &Finalize,
            &Destroy,
            ExamplesOf<M>::data(),
            ExamplesOf<M>::size()};
  }
};

template <typename... Metrics>
struct PluginTable {
  static constexpr kpi_metric_descriptor kMetrics[] = {
      MetricAdapter<Metrics>::Descriptor()...};
  static constexpr const kpi_metric_extras* kExtras[] = {
      &MetricAdapter<Metrics>::kExtras...};
};

}  // namespace detail

// The entry function body: refuses another major ABI, else returns the
// descriptor.
inline const kpi_plugin_descriptor* Negotiate(
    const kpi_plugin_descriptor* descriptor, uint32_t host_abi_major,
    uint32_t host_abi_minor, kpi_error* error) {
  if (host_abi_major != KPI_ABI_VERSION_MAJOR) {
    if (error != nullptr) {
      std::snprintf(error->message, sizeof(error->message),
                    "plugin speaks ABI %u.x, host speaks %u.x",
                    static_cast<unsigned>(KPI_ABI_VERSION_MAJOR),
                    static_cast<unsigned>(host_abi_major));
    }
    return nullptr;
  }
  // KEY inputs arrive as codes in kpi_chunk fields an older host lacks.
  for (size_t m = 0; m < descriptor->num_metrics && host_abi_minor < 3; ++m) {
    const kpi_metric_descriptor& metric = descriptor->metrics[m];
    for (size_t i = 0; i < metric.num_inputs; ++i) {
      if (metric.inputs[i].type != KPI_TYPE_KEY) continue;
      if (error != nullptr) {
        std::snprintf(error->message, sizeof(error->message),
                      "metric '%s' has key input '%s', which needs a host of "
                      "ABI %u.3 or later; this host speaks %u.%u",
                      metric.name, metric.inputs[i].name,
                      static_cast<unsigned>(KPI_ABI_VERSION_MAJOR),
                      static_cast<unsigned>(host_abi_major),
                      static_cast<unsigned>(host_abi_minor));
      }
      return nullptr;
    }
  }
  detail::host_abi_minor = host_abi_minor;
  return descriptor;
}

}  // namespace kpi::sdk

// Defines the plugin's exported entry symbol for the given metric classes.
// Use once per shared library, at namespace scope.
#define KPI_PLUGIN(plugin_name, plugin_version, plugin_description, ...)      \
  extern "C" KPI_PLUGIN_EXPORT const kpi_plugin_descriptor* kpi_plugin_entry( \
      uint32_t host_abi_major, uint32_t host_abi_minor, kpi_error* error) {   \
    using Table = ::kpi::sdk::detail::PluginTable<__VA_ARGS__>;               \
    static const kpi_plugin_descriptor descriptor = {                         \
        KPI_ABI_VERSION_MAJOR,                                                \
        KPI_ABI_VERSION_MINOR,                                                \
        plugin_name,                                                          \
        plugin_version,                                                       \
        plugin_description,                                                   \
        Table::kMetrics,                                                      \
        sizeof(Table::kMetrics) / sizeof(Table::kMetrics[0]),                 \
        Table::kExtras};                                                      \
    return ::kpi::sdk::Negotiate(&descriptor, host_abi_major, host_abi_minor, \
                                 error);                                      \
  }

#endif  // KPI_PLUGIN_HPP_
