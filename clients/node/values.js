'use strict';
// JavaScript values to kpi.v1 columns and values, by the types a metric
// declares (kpi.v1.MetricInfo), and results back to plain objects.

// A timestamp as microseconds since the epoch: a Date, or a number
// (already microseconds).
function micros(value) {
  if (value instanceof Date) return value.getTime() * 1000;
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  throw new TypeError(`not a timestamp: ${value}`);
}

function column(name, type, values) {
  values = Array.from(values);
  switch (type) {
    case 'VALUE_TYPE_DOUBLE':
      return { name, doubles: { values: values.map(Number) } };
    case 'VALUE_TYPE_INT64':
      return { name, int64s: { values: values.map(Number) } };
    case 'VALUE_TYPE_TIMESTAMP':
      return { name, timestamps: { unix_micros: values.map(micros) } };
    default:
      // STRING; and KEY or a group_by column: int64s when every value is an
      // integer, else strings.
      if (type !== 'VALUE_TYPE_STRING' && values.length > 0 &&
          values.every((v) => Number.isInteger(v))) {
        return { name, int64s: { values } };
      }
      return { name, strings: { values: values.map(String) } };
  }
}

function value(type, v) {
  if (typeof v === 'boolean') return { bool_value: v };
  if (v instanceof Date || type === 'VALUE_TYPE_TIMESTAMP') {
    const total = micros(v);
    return { timestamp_value: { seconds: Math.floor(total / 1e6), nanos: (total % 1e6) * 1000 } };
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) && type !== 'VALUE_TYPE_DOUBLE' ? { int64_value: v } : { double_value: v };
  }
  return { string_value: String(v) };
}

function columnValues(c) {
  if (c.doubles) return c.doubles.values;
  if (c.int64s) return c.int64s.values.map(Number);
  if (c.strings) return c.strings.values;
  if (c.timestamps) return c.timestamps.unix_micros.map(Number);
  if (c.keys) return c.keys.codes.map((code) => c.keys.entries[code]);
  return [];
}

// A kpi.v1.MetricResult as a plain object: value is null when undefined
// (undefinedReason says why); tables map name -> { column: values };
// segments are [{ key: [...], result }].
function result(r) {
  return {
    metric: r.metric,
    value: r.value === undefined || r.value === null ? null : r.value,
    unit: r.unit || '',
    undefinedReason: r.undefined_reason || '',
    ratio: r.ratio ? { numerator: r.ratio.numerator, denominator: r.ratio.denominator } : null,
    interval: r.interval ? {
      lower: r.interval.lower, upper: r.interval.upper, margin: r.interval.margin,
      standardError: r.interval.standard_error, confidenceLevel: r.interval.confidence_level,
    } : null,
    warnings: r.warnings || [],
    sampleSize: r.sample_size || 0,
    plugin: r.plugin || '',
    pluginVersion: r.plugin_version || '',
    tables: Object.fromEntries((r.tables || []).map((t) => [
      t.name, Object.fromEntries(t.columns.map((c) => [c.name, columnValues(c)]))])),
    segments: (r.segments || []).map((s) => ({ key: s.key, result: result(s.result) })),
  };
}

module.exports = { column, value, result, micros };
