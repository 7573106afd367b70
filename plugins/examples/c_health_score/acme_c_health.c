/* acme_c_health.c -- a customer health score plugin in plain C, using only
 * kpi/plugin_abi.h.
 *
 * Rows (customer, logins_30d, open_tickets). Per customer (rows of one
 * customer add up):
 *   usage   = min(logins_30d / 20, 1) x 100
 *   support = (1 - min(open_tickets / 5, 1)) x 100
 *   score   = (3 usage + 1 support) / 4
 * The value is the mean score over customers; table "customers" holds
 * (customer, score) sorted by customer id.
 *
 * The customer is a KEY input (ABI 1.3): the host interns the ids of a call
 * into dense codes 0, 1, 2 ... (in order of first appearance) and passes
 * codes, so the per-customer state is an array indexed by code, and an id's
 * text is looked up in the call's dictionary only to print the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin_abi.h"

#if KPI_ABI_VERSION_MINOR < 3
#error "KEY inputs need kpi/plugin_abi.h 1.3 or later"
#endif

/* One customer's sums; slot `code` of state.customers. */
typedef struct customer {
  int seen; /* nonzero once this state had a row of the customer */
  double logins, tickets;
} customer;

typedef struct state {
  /* The call's customer ids, by code: the host's, the same in every chunk
   * and every state of the call, and valid until this state is destroyed,
   * so it is kept for finalize. NULL until the first rows. */
  const kpi_key_dictionary* ids;
  customer* customers; /* [capacity], indexed by code; unseen slots zeroed */
  size_t capacity;
  size_t count; /* customers seen: slots with `seen` set */
} state;

static kpi_status fail(kpi_error* error, const char* message) {
  snprintf(error->message, sizeof(error->message), "%s", message);
  return KPI_STATUS_INTERNAL;
}

/* Makes room for codes 0 .. size - 1, new slots zeroed (unseen); 0 when out
 * of memory. Grows at least twofold, so a call of many chunks reallocates a
 * few times only. */
static int grow(state* s, size_t size) {
  if (size <= s->capacity) return 1;
  size_t capacity = 2 * s->capacity > size ? 2 * s->capacity : size;
  customer* grown = realloc(s->customers, capacity * sizeof(customer));
  if (grown == NULL) return 0;
  memset(grown + s->capacity, 0, (capacity - s->capacity) * sizeof(customer));
  s->customers = grown;
  s->capacity = capacity;
  return 1;
}

static kpi_status create(const kpi_param_value* params, size_t num_params,
                         void** out, kpi_error* error) {
  (void)params;
  (void)num_params;
  state* s = calloc(1, sizeof(state));
  if (s == NULL) return fail(error, "out of memory");
  *out = s;
  return KPI_STATUS_OK;
}

static void destroy(void* p) {
  state* s = p;
  free(s->customers);
  free(s);
}

/* Inputs in declaration order: customer (KEY), logins_30d, open_tickets.
 * The customer's kpi_column carries no values: its codes are in
 * chunk->keys[0], one per row, each below the dictionary's size. */
static kpi_status update(void* p, const kpi_chunk* chunk, kpi_error* error) {
  state* s = p;
  const kpi_column* in = chunk->inputs;
  const kpi_key_column* customers = &chunk->keys[0];
  /* codes is NULL when the input is absent, which a required input is only
   * from a chunk without rows. */
  if (chunk->num_rows == 0 || customers->codes == NULL) return KPI_STATUS_OK;
  const kpi_key_dictionary* ids = customers->dictionary;
  s->ids = ids;
  /* The dictionary only grows between chunks: one grow per chunk covers
   * every code in it. */
  if (!grow(s, ids->size(ids->context))) return fail(error, "out of memory");
  for (size_t row = 0; row < chunk->num_rows; ++row) {
    customer* c = &s->customers[customers->codes[row]];
    if (!c->seen) {
      c->seen = 1;
      s->count += 1;
    }
    c->logins += in[1].f64[row];
    c->tickets += in[2].f64[row];
  }
  return KPI_STATUS_OK;
}

/* The host merges only states of one call, which share its dictionary: a
 * code means the same customer in both, so slots combine one by one. */
static kpi_status merge(void* p, const void* other_p, kpi_error* error) {
  state* s = p;
  const state* other = other_p;
  if (other->ids != NULL) s->ids = other->ids;
  if (!grow(s, other->capacity)) return fail(error, "out of memory");
  for (size_t code = 0; code < other->capacity; ++code) {
    const customer* o = &other->customers[code];
    if (!o->seen) continue;
    customer* c = &s->customers[code];
    if (!c->seen) {
      c->seen = 1;
      s->count += 1;
    }
    c->logins += o->logins;
    c->tickets += o->tickets;
  }
  return KPI_STATUS_OK;
}

static double score_of(const customer* c) {
  double usage = (c->logins >= 20 ? 1 : c->logins / 20) * 100;
  double support = (1 - (c->tickets >= 5 ? 1 : c->tickets / 5)) * 100;
  return (3 * usage + support) / 4;
}

/* A row of the result table. */
typedef struct row {
  kpi_string_view id; /* the dictionary's text: valid during finalize */
  double score;
} row;

static int by_id(const void* a, const void* b) {
  const kpi_string_view* x = &((const row*)a)->id;
  const kpi_string_view* y = &((const row*)b)->id;
  size_t n = x->size < y->size ? x->size : y->size;
  int order = memcmp(x->data, y->data, n); /* keys are never empty */
  if (order != 0) return order;
  return (x->size > y->size) - (x->size < y->size);
}

static kpi_status finalize(const void* p, const kpi_result_sink* sink,
                           kpi_error* error) {
  const state* s = p;
  sink->set_sample_size(sink->context, (double)s->count);
  if (s->count == 0) {
    static const char reason[] = "no customers: the health score is undefined";
    sink->set_undefined(sink->context, reason, sizeof(reason) - 1);
    return KPI_STATUS_OK;
  }
  row* rows = malloc(s->count * sizeof(*rows));
  kpi_string_view* ids = malloc(s->count * sizeof(*ids));
  double* scores = malloc(s->count * sizeof(*scores));
  if (rows == NULL || ids == NULL || scores == NULL) {
    free(rows);
    free(ids);
    free(scores);
    return fail(error, "out of memory");
  }
  /* Codes follow first appearance; the table is sorted by the ids' text. */
  size_t n = 0;
  for (size_t code = 0; code < s->capacity; ++code) {
    if (!s->customers[code].seen) continue;
    rows[n].id = s->ids->text(s->ids->context, (int32_t)code);
    rows[n].score = score_of(&s->customers[code]);
    n += 1;
  }
  qsort(rows, n, sizeof(*rows), by_id);
  double total = 0;
  for (size_t i = 0; i < n; ++i) {
    ids[i] = rows[i].id;
    scores[i] = rows[i].score;
    total += scores[i];
  }
  sink->add_table_column(sink->context, "customers", 9, "customer", 8,
                         KPI_TYPE_STRING, n, NULL, NULL, ids);
  sink->add_table_column(sink->context, "customers", 9, "score", 5,
                         KPI_TYPE_DOUBLE, n, scores, NULL, NULL);
  sink->set_value(sink->context, total / (double)n);
  free(rows);
  free(ids);
  free(scores);
  return KPI_STATUS_OK;
}

static const kpi_input_spec inputs[] = {
    /* KEY: the host refuses an empty id, so the plugin need not. */
    {"customer", "The customer id.", KPI_TYPE_KEY, KPI_INPUT_COLUMN,
     KPI_INPUT_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"logins_30d", "Logins in the last 30 days.", KPI_TYPE_DOUBLE,
     KPI_INPUT_COLUMN, KPI_INPUT_REQUIRED | KPI_INPUT_HAS_MIN, 0, 0, NULL, NULL,
     NULL},
    {"open_tickets", "Support tickets open now.", KPI_TYPE_DOUBLE,
     KPI_INPUT_COLUMN, KPI_INPUT_REQUIRED | KPI_INPUT_HAS_MIN, 0, 0, NULL, NULL,
     NULL}};

/* Designated initializers: fields appended in later minor versions (and
 * optional ones) are left NULL / 0. */
static const kpi_metric_descriptor metrics[] = {
    {.name = "acme_c_health_score",
     .description =
         "Acme customer health in C, 0..100: (3 usage + support) / 4 with "
         "usage = min(logins_30d / 20, 1) x 100 and support = (1 - "
         "min(open_tickets / 5, 1)) x 100; the mean over customers. Table "
         "\"customers\" (customer, score).",
     .unit = "score",
     .inputs = inputs,
     .num_inputs = sizeof(inputs) / sizeof(inputs[0]),
     .create = create,
     .update = update,
     .merge = merge,
     .finalize = finalize,
     .destroy = destroy}};

/* abi_minor: the headers' minor version, 3 or later (checked above): a
 * plugin may declare a KEY input only with minor 3 or more. */
static const kpi_plugin_descriptor plugin = {
    .abi_major = KPI_ABI_VERSION_MAJOR,
    .abi_minor = KPI_ABI_VERSION_MINOR,
    .name = "acme_c_health",
    .version = "1.0.0",
    .description = "Acme's customer health score, in C.",
    .metrics = metrics,
    .num_metrics = sizeof(metrics) / sizeof(metrics[0])};

/* Refuses a host of another major version, and one older than 1.3: it
 * would pass no key codes (kpi_chunk.keys). */
KPI_PLUGIN_EXPORT const kpi_plugin_descriptor* kpi_plugin_entry(
    uint32_t host_abi_major, uint32_t host_abi_minor, kpi_error* error) {
  if (host_abi_major != KPI_ABI_VERSION_MAJOR) {
    snprintf(error->message, sizeof(error->message),
             "plugin speaks ABI %d.x, host speaks %u.x", KPI_ABI_VERSION_MAJOR,
             (unsigned)host_abi_major);
    return NULL;
  }
  if (host_abi_minor < 3) {
    snprintf(error->message, sizeof(error->message),
             "metric 'acme_c_health_score' has key input 'customer', which "
             "needs a host of ABI %d.3 or later; this host speaks %u.%u",
             KPI_ABI_VERSION_MAJOR, (unsigned)host_abi_major,
             (unsigned)host_abi_minor);
    return NULL;
  }
  return &plugin;
}
