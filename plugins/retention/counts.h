// plugins/retention/counts.h -- reading the customer counts the retention
// metrics are made of.
#ifndef KPI_PLUGINS_RETENTION_COUNTS_H_
#define KPI_PLUGINS_RETENTION_COUNTS_H_

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "kpi/plugin.hpp"

namespace kpi::retention {

// The INT64 scalar `input` of `chunk`, or 0 when the chunk does not carry it
// (scalars arrive in the first chunk only).
inline int64_t ScalarCount(const sdk::Chunk& chunk,
                           sdk::InputRef<KPI_TYPE_INT64> input) {
  return chunk.Has(input) ? chunk.Int64s(input)[0] : 0;
}

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_COUNTS_H_
