// plugins/journey/records.h -- reading the string columns of record rows.
#ifndef KPI_PLUGINS_JOURNEY_RECORDS_H_
#define KPI_PLUGINS_JOURNEY_RECORDS_H_

#include <string>
#include <string_view>

#include "kpi/plugin.hpp"

namespace kpi::journey {

// A string cell as a view; valid only during the update() call.
inline std::string_view View(const kpi_string_view& s) {
  return {s.data, s.size};
}

// The customer id of a row. Throws sdk::InvalidArgument when it is empty:
// every record belongs to a customer. `record` names the row's kind
// ("event", "transaction", "row") for the message; rows are not numbered,
// since chunking and segments renumber them.
inline std::string_view CustomerId(const kpi_string_view& s,
                                   const char* record) {
  if (s.size == 0) {
    throw sdk::InvalidArgument(std::string("customer is empty: every ") +
                               record + " needs a customer id");
  }
  return View(s);
}

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_RECORDS_H_
