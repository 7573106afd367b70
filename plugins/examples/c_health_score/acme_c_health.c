/* acme_c_health.c -- a customer health score plugin in plain C, using only
 * kpi/plugin_abi.h.
 *
 * Rows (customer, logins_30d, open_tickets). Per customer (rows of one
 * customer add up):
 *   usage   = min(logins_30d / 20, 1) x 100
 *   support = (1 - min(open_tickets / 5, 1)) x 100
 *   score   = (3 usage + 1 support) / 4
 * The value is the mean score over customers; table "customers" holds
 * (customer, score) sorted by customer id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/plugin_abi.h"

typedef struct customer {
  char* id; /* a copy: chunk memory is the host's */
  size_t id_size;
  double logins, tickets;
} customer;

typedef struct state {
  customer* customers;
  size_t count, capacity;
} state;

static kpi_status fail(kpi_error* error, const char* message) {
  snprintf(error->message, sizeof(error->message), "%s", message);
  return KPI_STATUS_INTERNAL;
}

/* The customer named `id`, added when new; NULL when out of memory. */
static customer* find(state* s, const char* id, size_t size) {
  for (size_t i = 0; i < s->count; ++i) {
    customer* c = &s->customers[i];
    if (c->id_size == size && memcmp(c->id, id, size) == 0) return c;
  }
  if (s->count == s->capacity) {
    size_t capacity = s->capacity ? 2 * s->capacity : 16;
    customer* grown = realloc(s->customers, capacity * sizeof(customer));
    if (grown == NULL) return NULL;
    s->customers = grown;
    s->capacity = capacity;
  }
  customer* c = &s->customers[s->count];
  c->id = malloc(size + 1);
  if (c->id == NULL) return NULL;
  memcpy(c->id, id, size);
  c->id_size = size;
  c->logins = c->tickets = 0;
  s->count += 1;
  return c;
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
  for (size_t i = 0; i < s->count; ++i) free(s->customers[i].id);
  free(s->customers);
  free(s);
}

/* Inputs in declaration order: customer, logins_30d, open_tickets. */
static kpi_status update(void* p, const kpi_chunk* chunk, kpi_error* error) {
  const kpi_column* in = chunk->inputs;
  for (size_t row = 0; row < chunk->num_rows; ++row) {
    customer* c = find(p, in[0].str[row].data, in[0].str[row].size);
    if (c == NULL) return fail(error, "out of memory");
    c->logins += in[1].f64[row];
    c->tickets += in[2].f64[row];
  }
  return KPI_STATUS_OK;
}

static kpi_status merge(void* p, const void* other_p, kpi_error* error) {
  const state* other = other_p;
  for (size_t i = 0; i < other->count; ++i) {
    const customer* o = &other->customers[i];
    customer* c = find(p, o->id, o->id_size);
    if (c == NULL) return fail(error, "out of memory");
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

static int by_id(const void* a, const void* b) {
  const customer* x = *(const customer* const*)a;
  const customer* y = *(const customer* const*)b;
  size_t n = x->id_size < y->id_size ? x->id_size : y->id_size;
  int order = memcmp(x->id, y->id, n);
  if (order != 0) return order;
  return (x->id_size > y->id_size) - (x->id_size < y->id_size);
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
  const customer** sorted = malloc(s->count * sizeof(*sorted));
  kpi_string_view* ids = malloc(s->count * sizeof(*ids));
  double* scores = malloc(s->count * sizeof(*scores));
  if (sorted == NULL || ids == NULL || scores == NULL) {
    free(sorted);
    free(ids);
    free(scores);
    return fail(error, "out of memory");
  }
  for (size_t i = 0; i < s->count; ++i) sorted[i] = &s->customers[i];
  qsort(sorted, s->count, sizeof(*sorted), by_id);
  double total = 0;
  for (size_t i = 0; i < s->count; ++i) {
    ids[i].data = sorted[i]->id;
    ids[i].size = sorted[i]->id_size;
    scores[i] = score_of(sorted[i]);
    total += scores[i];
  }
  sink->add_table_column(sink->context, "customers", 9, "customer", 8,
                         KPI_TYPE_STRING, s->count, NULL, NULL, ids);
  sink->add_table_column(sink->context, "customers", 9, "score", 5,
                         KPI_TYPE_DOUBLE, s->count, scores, NULL, NULL);
  sink->set_value(sink->context, total / (double)s->count);
  free(sorted);
  free(ids);
  free(scores);
  return KPI_STATUS_OK;
}

static const kpi_input_spec inputs[] = {
    {"customer", "The customer id.", KPI_TYPE_STRING, KPI_INPUT_COLUMN,
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

static const kpi_plugin_descriptor plugin = {
    .abi_major = KPI_ABI_VERSION_MAJOR,
    .abi_minor = KPI_ABI_VERSION_MINOR,
    .name = "acme_c_health",
    .version = "1.0.0",
    .description = "Acme's customer health score, in C.",
    .metrics = metrics,
    .num_metrics = sizeof(metrics) / sizeof(metrics[0])};

KPI_PLUGIN_EXPORT const kpi_plugin_descriptor* kpi_plugin_entry(
    uint32_t host_abi_major, uint32_t host_abi_minor, kpi_error* error) {
  (void)host_abi_minor;
  if (host_abi_major != KPI_ABI_VERSION_MAJOR) {
    snprintf(error->message, sizeof(error->message),
             "plugin speaks ABI %d.x, host speaks %u.x", KPI_ABI_VERSION_MAJOR,
             (unsigned)host_abi_major);
    return NULL;
  }
  return &plugin;
}
