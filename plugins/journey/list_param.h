// plugins/journey/list_param.h -- reading the list parameters of the journey
// metrics (funnel stages, health-score signals and bands): STRING parameters
// whose value is a comma separated list of items.
//
// Every function throws sdk::InvalidArgument with a message that names the
// parameter, and the item when there is one, on bad syntax.
#ifndef KPI_PLUGINS_JOURNEY_LIST_PARAM_H_
#define KPI_PLUGINS_JOURNEY_LIST_PARAM_H_

#include <string>
#include <string_view>
#include <vector>

namespace kpi::journey {

// `text` without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);

// The items of `text` split at `separator`, each trimmed. Keeps empty items
// (a caller decides whether they are allowed). "" gives one empty item.
std::vector<std::string_view> Split(std::string_view text, char separator);

// The items of the comma separated list in parameter `param`, trimmed.
// Throws sdk::InvalidArgument when `text` is blank or an item is empty.
std::vector<std::string_view> ListItems(std::string_view param,
                                        std::string_view text);

// A finite decimal number (strtod syntax, surrounding spaces trimmed).
// Throws sdk::InvalidArgument naming `what` (e.g. "signals item 2 weight")
// when `text` is not one, or is NaN or infinite.
double ParseNumber(std::string_view what, std::string_view text);

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_LIST_PARAM_H_
