/* kpi/plugin_abi.h -- the whole boundary between kpi-server and a metric
 * plugin. Plain C: no C++ standard library types, protobuf, exceptions or
 * RTTI cross it, so a plugin built with another compiler, standard library or
 * protobuf version -- or written in C -- loads into any server that speaks the
 * same major ABI version.
 *
 * A plugin is a shared library that exports exactly one symbol,
 * KPI_PLUGIN_ENTRY_SYMBOL. The host calls it with the ABI version it speaks and
 * receives a descriptor: the plugin's name and version and its metrics. Each
 * metric is a mergeable aggregate (as in ClickHouse and DuckDB):
 *
 *   create(params) -> state      once per request (or per segment)
 *   update(state, chunk)         once per chunk of rows; chunks, not rows,
 *                                cross the boundary
 *   merge(state, other)          folds another state of the same metric in
 *   finalize(state, sink)        writes the result through host callbacks
 *   destroy(state)               releases the state
 *
 * Versioning. KPI_ABI_VERSION_MAJOR changes when anything here changes
 * incompatibly; the host refuses a plugin whose major version differs from its
 * own. KPI_ABI_VERSION_MINOR changes when something is added compatibly: new
 * callbacks at the end of kpi_result_sink (a plugin calls one only if
 * sink->abi_minor says the host has it), new fields at the end of kpi_chunk
 * (read only when the host's minor version, passed to the entry function,
 * has them; 1.1 added cancellation, 1.3 key codes), new enum values (1.3
 * added KPI_TYPE_KEY), new fields at the end of kpi_plugin_descriptor (read
 * only when the plugin's declared minor version has them; 1.2 added
 * metric_extras). The structs a plugin declares in
 * ARRAYS -- kpi_metric_descriptor, kpi_input_spec, kpi_param_spec and the
 * kpi_example family -- never grow within a major version: a new field would
 * change the array stride, and a host could not read an older plugin's array.
 * Per-metric additions in a minor version therefore travel beside them, in new
 * arrays hung off kpi_plugin_descriptor. (Version 1.0 is unreleased; its
 * structs were final when it shipped.)
 *
 * Lifetime and ownership. Everything a descriptor points to is owned by the
 * plugin and must stay valid and unchanged until the library is unloaded
 * (static storage is the usual choice). The host keeps the library loaded
 * while any state created by it exists. Chunk and parameter memory is owned
 * by the host and valid only during the call it is passed to; a plugin copies
 * what it keeps. Strings are UTF-8 with explicit lengths and are not
 * NUL-terminated unless stated otherwise.
 *
 * Threading. Descriptors are read concurrently from many threads. Calls on
 * different states may run concurrently; calls on one state never do (the
 * host serialises them). merge() reads `other` while writing `state`, and the
 * two are never the same object. The entry function is called once per load,
 * from one thread.
 *
 * Validation. Before any plugin code sees a chunk, the host has checked it
 * against the metric's declared inputs: every required input present, types
 * as declared, columns of equal length, no NaN or infinity, values inside the
 * declared ranges and integral where declared so. Parameters arrive complete
 * (defaults filled in), typed and range-checked. A plugin may still report
 * KPI_STATUS_INVALID_ARGUMENT for conditions only it can see.
 */
#ifndef KPI_PLUGIN_ABI_H_
#define KPI_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KPI_ABI_VERSION_MAJOR 1
#define KPI_ABI_VERSION_MINOR 3

/* The one symbol a plugin exports (see kpi_plugin_entry_fn). */
#define KPI_PLUGIN_ENTRY_SYMBOL "kpi_plugin_entry"

#if defined(__GNUC__)
#define KPI_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define KPI_PLUGIN_EXPORT
#endif

/* Enumerations cross the boundary as int32_t, never as C enum types: an
 * enum's size is the compiler's choice, and a value the reader does not know
 * (from a newer minor version) must stay a well-defined integer. */

/* ---- Status -------------------------------------------------------------- */

typedef int32_t kpi_status;
enum kpi_status_code {
  KPI_STATUS_OK = 0,
  /* The input or parameters are unacceptable; mapped to INVALID_ARGUMENT. */
  KPI_STATUS_INVALID_ARGUMENT = 1,
  /* The plugin cannot serve this host (e.g. an ABI version it does not
   * support); refused at load. */
  KPI_STATUS_UNSUPPORTED = 2,
  /* Out of memory or another failure inside the plugin; mapped to INTERNAL. */
  KPI_STATUS_INTERNAL = 3
};

/* Filled by a plugin when a call fails. `message` is NUL-terminated and says
 * what went wrong in words a user of the metric understands. */
#define KPI_ERROR_MESSAGE_CAPACITY 512
typedef struct kpi_error {
  char message[KPI_ERROR_MESSAGE_CAPACITY];
} kpi_error;

/* ---- Values ------------------------------------------------------------- */

typedef int32_t kpi_value_type;
enum kpi_value_type_code {
  KPI_TYPE_DOUBLE = 1,
  KPI_TYPE_INT64 = 2,
  KPI_TYPE_STRING = 3,
  /* Microseconds since 1970-01-01T00:00:00Z, as int64. */
  KPI_TYPE_TIMESTAMP = 4,
  /* Parameters only. */
  KPI_TYPE_BOOL = 5,
  /* ABI 1.3, column inputs only: an identity (a customer, an account, a
   * visitor). A caller sends strings, int64s or dictionary codes; the host
   * interns them once per call into dense codes 0, 1, 2 ... in order of
   * first appearance, and the plugin receives codes (kpi_key_column), so
   * per-key state is an array indexed by code. An int64 key is the same key
   * as its decimal text. Keys are never empty. */
  KPI_TYPE_KEY = 6
};

typedef struct kpi_string_view {
  const char* data;
  size_t size;
} kpi_string_view;

/* ---- Inputs and parameters (declared by the plugin) ---------------------- */

typedef int32_t kpi_input_kind;
enum kpi_input_kind_code {
  /* One value per row; arrives in every chunk. */
  KPI_INPUT_COLUMN = 1,
  /* A single value for the whole request (e.g. a total a caller already has);
   * arrives in the first chunk only. */
  KPI_INPUT_SCALAR = 2
};

/* Flags for kpi_input_spec.flags. */
#define KPI_INPUT_REQUIRED 0x1u
/* Numeric values must be whole numbers (e.g. counts, survey scores). */
#define KPI_INPUT_INTEGRAL 0x2u
/* min / max below are meaningful. */
#define KPI_INPUT_HAS_MIN 0x4u
#define KPI_INPUT_HAS_MAX 0x8u

typedef struct kpi_input_spec {
  /* [a-z][a-z0-9_]*, unique within the metric. NUL-terminated. */
  const char* name;
  const char* description; /* NUL-terminated, may be "". */
  kpi_value_type type;     /* not KPI_TYPE_BOOL */
  kpi_input_kind kind;
  uint32_t flags;
  /* Inclusive allowed range for numeric inputs. */
  double min;
  double max;
  /* When not NULL, the inclusive bound is the value of this numeric
   * parameter of the same metric instead of min / max (a survey's scale). */
  const char* min_param;
  const char* max_param;
  /* The input form this input belongs to, or NULL for inputs every form
   * shares. A metric with an aggregate form (totals a caller already has)
   * and a record form (raw rows) names each: "aggregate", "records". A
   * request uses exactly one form -- the one its inputs belong to -- and the
   * REQUIRED flag applies only within the form in use. */
  const char* form;
} kpi_input_spec;

/* Flags for kpi_param_spec.flags. */
#define KPI_PARAM_HAS_MIN 0x1u
#define KPI_PARAM_HAS_MAX 0x2u
#define KPI_PARAM_INTEGRAL 0x4u
/* The caller must set it (the default is only a placeholder), e.g. the
 * period of a record-form metric. When the metric has input forms, required
 * only when a form whose inputs use it is in use: see kpi_param_spec.form. */
#define KPI_PARAM_REQUIRED 0x8u

typedef struct kpi_param_value {
  kpi_value_type type; /* DOUBLE, INT64, STRING, BOOL or TIMESTAMP (i64) */
  double f64;
  int64_t i64;
  int32_t boolean; /* 0 or 1 */
  kpi_string_view str;
} kpi_param_value;

typedef struct kpi_param_spec {
  const char* name;        /* [a-z][a-z0-9_]*, unique within the metric. */
  const char* description; /* NUL-terminated, may be "". */
  /* Every parameter has a default; its type is the parameter's type. For
   * STRING defaults, str.data is NUL-terminated as well. */
  kpi_param_value default_value;
  uint32_t flags;
  double min; /* inclusive, numeric parameters */
  double max;
  /* STRING parameters: when allowed_count > 0 the value must be one of
   * these NUL-terminated strings. */
  const char* const* allowed_values;
  size_t allowed_count;
  /* For KPI_PARAM_REQUIRED: the input form that needs it, or NULL when every
   * form does. */
  const char* form;
} kpi_param_spec;

/* ---- Chunks (passed by the host) ---------------------------------------- */

/* A typed view of one input's values. For an absent optional input `length`
 * is 0 and the pointer is NULL. For a scalar input present in this chunk
 * `length` is 1. A KEY input's codes travel in kpi_chunk.keys; in a declared
 * example (kpi_example_input) its values are the keys' text, in `str`. */
typedef struct kpi_column {
  kpi_value_type type;
  size_t length;
  const double* f64;          /* DOUBLE */
  const int64_t* i64;         /* INT64 and TIMESTAMP */
  const kpi_string_view* str; /* STRING */
} kpi_column;

/* ABI 1.3: the keys of one call's KEY input: every distinct key the call has
 * sent so far, by code. Owned by the host; the same object in every chunk of
 * the call, and valid until every state that was given it is destroyed, so a
 * state may keep the pointer and look codes up in finalize(). It only grows,
 * between chunks: the codes of a chunk are below size() at its update().
 *
 * Merging. The host merges only states of one call (segments of a group_by
 * call, or the parts of a conformance check), and every state of a call is
 * given the same dictionaries: merge() may combine per-code state directly.
 * States of different calls have different dictionaries and never meet in
 * merge(); they combine only through their keys' text (a serialized state
 * that carries its keys as text is re-interned into the receiving call's
 * dictionary). */
typedef struct kpi_key_dictionary {
  const void* context; /* pass back unchanged */
  /* The number of keys so far. */
  size_t (*size)(const void* context);
  /* The key of `code` (0 <= code < size()): UTF-8, not empty. The bytes stay
   * valid as long as the dictionary. */
  kpi_string_view (*text)(const void* context, int32_t code);
} kpi_key_dictionary;

/* ABI 1.3: the values of a KEY input in one chunk. */
typedef struct kpi_key_column {
  /* num_rows codes, each below dictionary->size(); NULL when the input is
   * absent from the chunk (or is not a KEY input). */
  const int32_t* codes;
  const kpi_key_dictionary* dictionary; /* NULL exactly when codes is */
} kpi_key_column;

typedef struct kpi_chunk {
  size_t num_rows; /* rows in every present column input */
  /* One entry per declared input, in declaration order. */
  const kpi_column* inputs;
  size_t num_inputs;

  /* ABI 1.1: cancellation. Read these only when the host's minor version
   * (passed to the entry function) is 1 or more; a 1.0 host's chunk ends
   * above. is_cancelled(cancel_context) returns nonzero once the call this
   * chunk belongs to is cancelled (the client went away, its deadline
   * passed, or the server is shutting down): an update() that works long on
   * one chunk should ask every few milliseconds and return early (any
   * status; the call's result is discarded). NULL means "never cancelled".
   * Cheap: a load and a compare. A plugin that ignores cancellation is
   * stopped anyway -- its worker process is killed after a short grace --
   * at the cost of every other call that worker was serving. */
  int32_t (*is_cancelled)(const void* cancel_context);
  const void* cancel_context;

  /* ABI 1.3: keys. One entry per declared input, in declaration order (like
   * `inputs`); the entry of a KEY input holds its codes (its kpi_column has
   * type KPI_TYPE_KEY, the row count as length and no value pointers); the
   * entries of other inputs are empty. Read only from a host of minor 3 or
   * later (the SDK refuses to load a plugin with KEY inputs into an older
   * one). */
  const kpi_key_column* keys;
} kpi_chunk;

/* Nonzero once the call `chunk` belongs to is cancelled (see kpi_chunk).
 * REQUIRES: the host speaks ABI 1.1 or later. */
static inline int32_t kpi_chunk_cancelled(const kpi_chunk* chunk) {
  return chunk->is_cancelled != NULL &&
         chunk->is_cancelled(chunk->cancel_context);
}

/* ---- Results (written through host callbacks) --------------------------- */

/* finalize() describes its result by calling these; the host copies what it
 * is given before each call returns. A result either has a value or is
 * undefined with a reason (a zero denominator, no rows); finalize must never
 * produce NaN or infinity (the host refuses them as a plugin defect). */
typedef struct kpi_result_sink {
  uint32_t abi_major;
  uint32_t abi_minor;
  void* context; /* pass back unchanged */
  void (*set_value)(void* context, double value);
  void (*set_undefined)(void* context, const char* reason, size_t reason_size);
  /* For rates: the numerator and denominator the value was made of. */
  void (*set_ratio)(void* context, double numerator, double denominator);
  /* For statistics over a sample: value +- margin at the given confidence
   * level (e.g. 0.95), with its standard error. */
  void (*set_interval)(void* context, double lower, double upper, double margin,
                       double standard_error, double confidence_level);
  /* Something the caller should know that does not make the result wrong. */
  void (*add_warning)(void* context, const char* message, size_t message_size);
  /* The number of observations (rows, responses, customers) behind the
   * value. */
  void (*set_sample_size)(void* context, double sample_size);
  /* Overrides the metric's declared unit for this result (e.g. "score" when
   * a parameter makes a rate metric report a mean). */
  void (*set_unit)(void* context, const char* unit, size_t unit_size);
  /* Adds one column to the named result table (a cohort matrix, funnel
   * stages, per-customer scores, MRR movements), creating the table on first
   * use. Every column of a table must have the same number of rows. `type`
   * is DOUBLE (f64), INT64 or TIMESTAMP (i64) or STRING (str); the other
   * pointers are NULL. The host copies the values before returning. Doubles
   * must be finite: an undefined cell is a table's business to avoid (e.g.
   * leave the row out, or report 0 with a count column beside it). */
  void (*add_table_column)(void* context, const char* table, size_t table_size,
                           const char* column, size_t column_size,
                           kpi_value_type type, size_t rows, const double* f64,
                           const int64_t* i64, const kpi_string_view* str);
} kpi_result_sink;

/* ---- Declared examples (declared by the plugin) -------------------------- */

/* A metric may declare examples: complete calls with the result they must
 * give. `kpi-plugin check` and the server (at load) run every example
 * through the same validation and the same create / update / finalize path
 * as a real call, and refuse a plugin whose examples do not hold. Examples
 * are part of ABI 1.0 (appended before the first release); a metric without
 * examples sets `examples` to NULL and `num_examples` to 0 (what a C
 * aggregate initializer that stops earlier does). */

/* One parameter of an example; parameters not listed take their defaults. */
typedef struct kpi_example_param {
  const char* name; /* a declared parameter, NUL-terminated */
  kpi_param_value value;
} kpi_example_param;

/* One input of an example: a declared input's values, typed as declared.
 * A scalar input holds exactly one value (length 1). Every column input of
 * an example has the same length; an example may have zero rows. */
typedef struct kpi_example_input {
  const char* name; /* a declared input, NUL-terminated */
  kpi_column values;
} kpi_example_input;

/* Flags for kpi_example.expect. */
/* The result has a value, within `tolerance` (absolute) of `value`. */
#define KPI_EXPECT_VALUE 1
/* The result is undefined (with a reason). */
#define KPI_EXPECT_UNDEFINED 2

typedef struct kpi_example {
  const char* name; /* short and unique within the metric, NUL-terminated */
  const kpi_example_param* params;
  size_t num_params;
  /* All inputs come from one input form, as in a real call. */
  const kpi_example_input* inputs;
  size_t num_inputs;
  int32_t expect; /* KPI_EXPECT_VALUE or KPI_EXPECT_UNDEFINED */
  double value;
  double tolerance; /* absolute, >= 0 */
} kpi_example;

/* ---- Metrics and plugins (declared by the plugin) ------------------------ */

typedef struct kpi_metric_descriptor {
  const char* name;        /* [a-z][a-z0-9_]*, unique in the whole server */
  const char* description; /* what it computes, including the formula */
  const char* unit;        /* "%", "count", "seconds", "" ... */
  const kpi_input_spec* inputs;
  size_t num_inputs;
  const kpi_param_spec* params;
  size_t num_params;

  /* `params` has one entry per declared parameter, in declaration order. On
   * success stores a new state in *state. */
  kpi_status (*create)(const kpi_param_value* params, size_t num_params,
                       void** state, kpi_error* error);
  kpi_status (*update)(void* state, const kpi_chunk* chunk, kpi_error* error);
  kpi_status (*merge)(void* state, const void* other, kpi_error* error);
  /* Does not change the state; may be called more than once. */
  kpi_status (*finalize)(const void* state, const kpi_result_sink* sink,
                         kpi_error* error);
  void (*destroy)(void* state);

  /* Calls with known answers (see kpi_example); NULL and 0 for none. Part
   * of ABI 1.0: appended before the first release, so every 1.x plugin has
   * these fields. */
  const kpi_example* examples;
  size_t num_examples;
} kpi_metric_descriptor;

/* ABI 1.2: an order between two columns of a metric: in every row, the
 * value of `input` is at or after (>=) the value of `not_before` -- a
 * ticket's resolution and its opening, a session's end and its start. Both
 * are columns of the metric with the same numeric or TIMESTAMP type and the
 * same form (or no form). The host refuses a row that breaks it, naming both
 * inputs and the row, before any plugin code sees the chunk; in a TIMESTAMP
 * `input`, the open end (INT64_MAX) is after everything. The conformance
 * checks generate rows that keep it. NUL-terminated names. */
typedef struct kpi_input_order {
  const char* input;
  const char* not_before;
} kpi_input_order;

/* ABI 1.2: one field of the records a list parameter holds (see
 * kpi_list_param). */
typedef struct kpi_list_field {
  const char* name;        /* [a-z][a-z0-9_]*, for messages and docs */
  const char* description; /* NUL-terminated, may be "" */
  kpi_value_type type;     /* KPI_TYPE_DOUBLE or KPI_TYPE_STRING */
  /* KPI_PARAM_HAS_MIN / KPI_PARAM_HAS_MAX (DOUBLE: inclusive bounds),
   * KPI_LIST_FIELD_OPTIONAL. */
  uint32_t flags;
  double min;
  double max;
  /* STRING: when not NULL, the only values accepted. */
  const char* const* allowed_values;
  size_t allowed_count;
} kpi_list_field;

/* The fields from the first one with this flag to the last may be left out
 * of an item, all together; given, every one of them must be. */
#define KPI_LIST_FIELD_OPTIONAL 0x100u

/* ABI 1.2: the records a STRING parameter holds: items separated by ',',
 * fields within an item by ':', spaces around each trimmed, e.g.
 * "usage:2:higher,tickets:1:lower:0:20". The host checks every item before
 * create() sees the parameters -- no empty item, the number of fields,
 * numbers that parse, are finite and in range, strings that are not empty
 * and among the allowed values -- and refuses a bad one naming the
 * parameter, the item and the field. The plugin reads the (valid) string
 * itself, and checks what it alone knows (two items with one name). */
typedef struct kpi_list_param {
  const char* param; /* a STRING parameter of the metric */
  const kpi_list_field* fields;
  size_t num_fields;
} kpi_list_param;

/* ABI 1.2: declarations of one metric that travel beside its
 * kpi_metric_descriptor (which cannot grow within a major version). The
 * plugin descriptor points to one per metric, each on its own, never in an
 * array: so later minor versions may append fields here, and the host reads
 * only those the plugin's declared minor version has. */
typedef struct kpi_metric_extras {
  const kpi_input_order* input_orders; /* NULL and 0 for none */
  size_t num_input_orders;
  const kpi_list_param* list_params; /* NULL and 0 for none */
  size_t num_list_params;
} kpi_metric_extras;

typedef struct kpi_plugin_descriptor {
  /* The ABI version the plugin was built against. */
  uint32_t abi_major;
  uint32_t abi_minor;
  const char* name;    /* [a-z][a-z0-9_]* */
  const char* version; /* free form, e.g. "1.2.0" */
  const char* description;
  const kpi_metric_descriptor* metrics;
  size_t num_metrics;

  /* ABI 1.2 (read only when abi_minor >= 2): NULL, or num_metrics
   * pointers, the extras of metrics[i] at [i] (NULL for none). */
  const kpi_metric_extras* const* metric_extras;
} kpi_plugin_descriptor;

/* The entry point. Returns the plugin's descriptor (valid until unload), or
 * NULL after filling *error when the plugin cannot serve a host speaking
 * host_abi_major.host_abi_minor. */
typedef const kpi_plugin_descriptor* (*kpi_plugin_entry_fn)(
    uint32_t host_abi_major, uint32_t host_abi_minor, kpi_error* error);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* KPI_PLUGIN_ABI_H_ */
