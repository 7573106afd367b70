#include "plugins/revenue/records.h"

#include "kpi/plugin_text.hpp"

namespace kpi::revenue {

void Period::Check() const {
  if (start < end) return;
  throw sdk::InvalidArgument("period_end (" + sdk::FormatInstant(end) +
                             ") must be after period_start (" +
                             sdk::FormatInstant(start) + ")");
}

}  // namespace kpi::revenue
