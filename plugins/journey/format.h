// plugins/journey/format.h -- the SDK's message formatting
// (kpi/plugin_text.hpp) under the names the journey metrics use.
#ifndef KPI_PLUGINS_JOURNEY_FORMAT_H_
#define KPI_PLUGINS_JOURNEY_FORMAT_H_

#include "kpi/plugin_text.hpp"

namespace kpi::journey {

using sdk::Counted;
using sdk::FormatCount;
using sdk::FormatInstant;
using sdk::FormatNumber;
using sdk::Quote;

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_FORMAT_H_
