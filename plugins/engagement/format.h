// plugins/engagement/format.h -- the SDK's message formatting
// (kpi/plugin_text.hpp) under the names the engagement metrics use.
#ifndef KPI_PLUGINS_ENGAGEMENT_FORMAT_H_
#define KPI_PLUGINS_ENGAGEMENT_FORMAT_H_

#include "kpi/plugin_text.hpp"

namespace kpi::engagement {

using sdk::Counted;
using sdk::FormatCount;
using sdk::FormatInstant;
using sdk::FormatNumber;
using sdk::Quote;

}  // namespace kpi::engagement

#endif  // KPI_PLUGINS_ENGAGEMENT_FORMAT_H_
