// plugins/retention/counts.h -- reading and printing the customer counts the
// retention metrics are made of.
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

// Counts for messages. Not std::to_string: in libstdc++ it instantiates a
// table exported as a GNU unique symbol, which makes the plugin impossible to
// unload (dlclose keeps it mapped).
inline std::string FormatCount(int64_t count) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%" PRId64, count);
  return buffer;
}

// A count summed as double, printed as the whole number it is.
inline std::string FormatCount(double count) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.0f", count);
  return buffer;
}

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_COUNTS_H_
