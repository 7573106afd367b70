// The declared examples of every loaded metric as catalog cases. Each runs
// through the shared tests (catalog_harness.h) as a real request -- the
// declared value within the declared tolerance, or undefined; both isolation
// modes bit for bit; chunking, merging and segments where it has rows to split
// -- and every result through ExpectResultInvariants. The instances are named
// metric_Example, e.g.
// DeclaredExamples/CatalogCaseTest.ComputesAsExpected/csat_30Of50Satisfied.
#include "tests/catalog/declared_example_cases.h"

#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bound_params.h"
#include "metric.h"

namespace kpi::testing {
namespace {

// "30 of 50 satisfied" -> "30Of50Satisfied": a test name's characters.
std::string CamelCase(absl::string_view text) {
  std::string name;
  bool word_start = true;
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      word_start = true;
      continue;
    }
    name += word_start
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : c;
    word_start = false;
  }
  return name;
}

// The one value of a scalar input, as a parameter value would hold it.
kpi_param_value ScalarValue(const kpi_column& values) {
  kpi_param_value value{};
  value.type = values.type;
  if (values.f64 != nullptr) value.f64 = values.f64[0];
  if (values.i64 != nullptr) value.i64 = values.i64[0];
  if (values.str != nullptr) value.str = values.str[0];
  return value;
}

v1::Column ColumnValues(const char* name, const kpi_column& values) {
  v1::Column out;
  out.set_name(name);
  switch (values.type) {
    case KPI_TYPE_DOUBLE:
      out.mutable_doubles()->mutable_values()->Add(values.f64,
                                                   values.f64 + values.length);
      break;
    case KPI_TYPE_INT64:
      out.mutable_int64s()->mutable_values()->Add(values.i64,
                                                  values.i64 + values.length);
      break;
    case KPI_TYPE_TIMESTAMP:
      out.mutable_timestamps()->mutable_unix_micros()->Add(
          values.i64, values.i64 + values.length);
      break;
    default:  // STRING, and KEY: an example's keys are their text
      out.mutable_strings();  // typed even when empty
      for (size_t row = 0; row < values.length; ++row) {
        out.mutable_strings()->add_values(values.str[row].data,
                                          values.str[row].size);
      }
      break;
  }
  return out;
}

bool IsScalar(const kpi_metric_descriptor& metric, absl::string_view input) {
  for (size_t i = 0; i < metric.num_inputs; ++i) {
    if (input == metric.inputs[i].name) {
      return metric.inputs[i].kind == KPI_INPUT_SCALAR;
    }
  }
  return false;
}

// The example as the request a caller would send.
v1::ComputeRequest RequestOf(const kpi_metric_descriptor& metric,
                             const kpi_example& example) {
  v1::ComputeRequest request;
  request.set_metric(metric.name);
  for (size_t i = 0; i < example.num_params; ++i) {
    const kpi_example_param& param = example.params[i];
    (*request.mutable_parameters())[param.name] = ToRequestValue(param.value);
  }
  for (size_t i = 0; i < example.num_inputs; ++i) {
    const kpi_example_input& input = example.inputs[i];
    if (IsScalar(metric, input.name)) {
      (*request.mutable_scalars())[input.name] =
          ToRequestValue(ScalarValue(input.values));
    } else {
      *request.add_columns() = ColumnValues(input.name, input.values);
    }
  }
  return request;
}

// What the example declares: its value within its tolerance, or undefined
// (for any reason; ExpectResultInvariants checks there is one). Nothing
// else: an example declares no warnings, ratio or tables.
Expect ExampleExpectation(const kpi_example& example) {
  Expect expect =
      example.expect == KPI_EXPECT_UNDEFINED
          ? Expect::Undefined("")
          : std::move(
                Expect::Value(example.value).Tolerance(example.tolerance));
  return std::move(expect.WarningsUnchecked());
}

std::vector<CatalogCase> DeclaredExampleCases() {
  std::vector<CatalogCase> cases;
  for (const std::shared_ptr<const Metric>& metric : LoadedMetrics()) {
    const kpi_metric_descriptor& d = metric->descriptor();
    for (size_t i = 0; i < d.num_examples; ++i) {
      const kpi_example& example = d.examples[i];
      cases.push_back({absl::StrCat(d.name, "_", CamelCase(example.name)),
                       Request(RequestOf(d, example)),
                       ExampleExpectation(example)});
    }
  }
  return cases;
}

}  // namespace

Request ExampleRequest(const std::string& metric, const std::string& example) {
  for (const std::shared_ptr<const Metric>& loaded : LoadedMetrics()) {
    const kpi_metric_descriptor& d = loaded->descriptor();
    if (loaded->name() != metric) continue;
    for (size_t i = 0; i < d.num_examples; ++i) {
      if (d.examples[i].name == example) {
        return Request(RequestOf(d, d.examples[i]));
      }
    }
  }
  ADD_FAILURE() << metric << " declares no example \"" << example << "\"";
  return Request(metric);
}

KPI_CATALOG_CASES(DeclaredExamples, DeclaredExampleCases);

}  // namespace kpi::testing
