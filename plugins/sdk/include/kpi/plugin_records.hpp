// kpi/plugin_records.hpp -- reading the id columns of record rows (a
// customer per transaction, subscription, event). Header-only, C++17.
#ifndef KPI_PLUGIN_RECORDS_HPP_
#define KPI_PLUGIN_RECORDS_HPP_

#include <string>
#include <string_view>

#include "kpi/plugin.hpp"

namespace kpi::sdk {

// A string cell as a view; valid only during the update() call.
inline std::string_view Text(const kpi_string_view& s) {
  return std::string_view(s.data, s.size);
}

// The id in a cell of id column `input`. Throws InvalidArgument when it is
// empty ("customer is empty: every transaction needs a customer id"): rows
// without an id would silently become one entity. `record` names the row's
// kind for the message; rows are not numbered, since chunking and segments
// renumber them.
inline std::string_view RequiredId(const kpi_string_view& id,
                                   std::string_view input,
                                   std::string_view record) {
  if (id.size == 0) {
    throw InvalidArgument(std::string(input) + " is empty: every " +
                          std::string(record) + " needs a customer id");
  }
  return Text(id);
}

}  // namespace kpi::sdk

#endif  // KPI_PLUGIN_RECORDS_HPP_
