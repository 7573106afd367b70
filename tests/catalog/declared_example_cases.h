// The declared examples (kpi_example, a metric's kExamples) of the loaded
// metrics as requests: the single source of every worked example. Each runs
// as a catalog case (declared_example_cases.cc); a table row that checks
// more of an example's result than its value builds its request with
// ExampleRequest() instead of writing the data again.
#ifndef KPI_TESTS_CATALOG_DECLARED_EXAMPLE_CASES_H_
#define KPI_TESTS_CATALOG_DECLARED_EXAMPLE_CASES_H_

#include <string>

#include "tests/catalog/catalog_harness.h"

namespace kpi::testing {

// The request of `metric`'s example named `example` (its kpi_example.name),
// as a caller would send it: parameters, scalars and columns, a KEY input's
// keys as their text. Fails the test when the metric declares no such
// example.
Request ExampleRequest(const std::string& metric, const std::string& example);

}  // namespace kpi::testing

#endif  // KPI_TESTS_CATALOG_DECLARED_EXAMPLE_CASES_H_
