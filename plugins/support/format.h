// plugins/support/format.h -- the SDK's message formatting
// (kpi/plugin_text.hpp) under the names the support metrics use.
#ifndef KPI_PLUGINS_SUPPORT_FORMAT_H_
#define KPI_PLUGINS_SUPPORT_FORMAT_H_

#include "kpi/plugin_text.hpp"

namespace kpi::support {

using sdk::Counted;
using sdk::FormatCount;
using sdk::FormatInstant;
using sdk::FormatNumber;
using sdk::Quote;

}  // namespace kpi::support

#endif  // KPI_PLUGINS_SUPPORT_FORMAT_H_
