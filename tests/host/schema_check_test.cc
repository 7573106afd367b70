// What CheckPluginDescriptor refuses, with the message an operator reads in
// the server log.
#include "schema_check.h"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "declarations.h"
#include "test_metric.h"

namespace kpi {
namespace {

// A mutable copy of the test metric's declaration.
struct Declaration {
  std::vector<kpi_input_spec> inputs;
  std::vector<kpi_param_spec> params;
  kpi_metric_descriptor metric;
  size_t copies = 1;  // of `metric` in the plugin
  std::vector<kpi_metric_descriptor> metrics;
  // Input orders (ABI 1.2) of every copy of `metric`.
  std::vector<kpi_input_order> orders;
  // List parameters (ABI 1.2) of every copy of `metric`, over `fields`.
  std::vector<kpi_list_field> fields = {
      {"level", "", KPI_TYPE_STRING, 0u, 0, 0, nullptr, 0},
      {"weight", "", KPI_TYPE_DOUBLE, KPI_PARAM_HAS_MIN, 0, 0, nullptr, 0}};
  std::vector<kpi_list_param> lists;
  kpi_metric_extras extras;
  std::vector<const kpi_metric_extras*> extras_of_metrics;
  kpi_plugin_descriptor plugin;

  Declaration() {
    const kpi_metric_descriptor& base = testing::RowCounterDescriptor();
    inputs.assign(base.inputs, base.inputs + base.num_inputs);
    params.assign(base.params, base.params + base.num_params);
    metric = base;
    plugin = {KPI_ABI_VERSION_MAJOR,
              KPI_ABI_VERSION_MINOR,
              "test",
              "1.0",
              "Test.",
              nullptr,
              0,
              nullptr};
  }
  const kpi_plugin_descriptor& Build() {
    metric.inputs = inputs.data();
    metric.num_inputs = inputs.size();
    metric.params = params.data();
    metric.num_params = params.size();
    metrics.assign(copies, metric);
    plugin.metrics = metrics.data();
    plugin.num_metrics = metrics.size();
    for (kpi_list_param& list : lists) {
      list.fields = fields.data();
      list.num_fields = fields.size();
    }
    extras = {orders.data(), orders.size(), lists.data(), lists.size()};
    extras_of_metrics.assign(copies, &extras);
    plugin.metric_extras =
        orders.empty() && lists.empty() ? nullptr : extras_of_metrics.data();
    return plugin;
  }
};

TEST(SchemaCheckTest, AcceptsAWellFormedDescriptor) {
  Declaration d;
  EXPECT_TRUE(CheckPluginDescriptor(d.Build()).ok());
  d.inputs[2].type = KPI_TYPE_KEY;  // ABI 1.3
  d.inputs[2].flags = KPI_INPUT_REQUIRED;
  EXPECT_TRUE(CheckPluginDescriptor(d.Build()).ok());
  d.orders = {{"weight", "score"}};
  EXPECT_TRUE(CheckPluginDescriptor(d.Build()).ok());
}

// Orders are ABI 1.2: a plugin that says it is 1.1 has no metric_extras
// field, so the host must not read one.
TEST(SchemaCheckTest, IgnoresExtrasOfAPluginOlderThanTheirMinorVersion) {
  Declaration d;
  d.orders = {{"label", "weight"}};  // malformed, if it were read
  d.plugin.abi_minor = 1;
  EXPECT_TRUE(CheckPluginDescriptor(d.Build()).ok());
  EXPECT_TRUE(InputOrders(d.Build(), 0).empty());
}

struct MalformedCase {
  std::string name;
  std::function<void(Declaration&)> break_it;
  std::string message;
};

void PrintTo(const MalformedCase& c, std::ostream* os) { *os << c.name; }

const char* const kOnlyMean[] = {"mean"};

std::vector<MalformedCase> MalformedCases() {
  return {
      {"InvalidMetricName",
       [](Declaration& d) { d.metric.name = "Row-Counter"; },
       "metric: invalid name 'Row-Counter'"},
      {"InvalidPluginName", [](Declaration& d) { d.plugin.name = "9lives"; },
       "plugin: name must match [a-z][a-z0-9_]*"},
      {"NullFunctionPointer", [](Declaration& d) { d.metric.merge = nullptr; },
       "metric 'row_counter': a lifecycle function pointer is null"},
      {"NoInputs", [](Declaration& d) { d.inputs.clear(); },
       "metric 'row_counter': declares no inputs"},
      {"DuplicateInput", [](Declaration& d) { d.inputs[1].name = "score"; },
       "metric 'row_counter': input 'score': name already used by another "
       "input or parameter"},
      {"InputNamedLikeAParameter",
       [](Declaration& d) { d.inputs[1].name = "mode"; },
       "metric 'row_counter': input 'mode': name already used by another "
       "input or parameter"},
      {"UpsideDownRange",
       [](Declaration& d) {
         d.inputs[1].flags |= KPI_INPUT_HAS_MAX;
         d.inputs[1].max = -1;
       },
       "metric 'row_counter': input 'weight': min 0 > max -1"},
      {"UnknownInputType",
       [](Declaration& d) {
         d.inputs[1].type = static_cast<kpi_value_type>(9);
       },
       "metric 'row_counter': input 'weight': unknown type 9"},
      {"KeyInputOfAPluginOlderThan1_3",
       [](Declaration& d) {
         d.inputs[2].type = KPI_TYPE_KEY;
         d.plugin.abi_minor = 2;
       },
       "metric 'row_counter': input 'label': type KEY needs a plugin built "
       "for ABI 1.3"},
      {"KeyScalar",
       [](Declaration& d) {
         d.inputs[3].type = KPI_TYPE_KEY;
         d.inputs[3].flags = 0;
       },
       "metric 'row_counter': input 'count': a key input is a column"},
      {"RangedKey",
       [](Declaration& d) {
         d.inputs[2].type = KPI_TYPE_KEY;
         d.inputs[2].flags |= KPI_INPUT_HAS_MIN;
       },
       "metric 'row_counter': input 'label': a key input has no range and is "
       "not integral"},
      {"BoolInput", [](Declaration& d) { d.inputs[2].type = KPI_TYPE_BOOL; },
       "metric 'row_counter': input 'label': unknown type 5"},
      {"UndeclaredRangeParameter",
       [](Declaration& d) { d.inputs[0].max_param = "top"; },
       "metric 'row_counter': input 'score': range parameter 'top' is not "
       "declared"},
      {"NonNumericRangeParameter",
       [](Declaration& d) { d.inputs[0].max_param = "mode"; },
       "metric 'row_counter': input 'score': range parameter 'mode' is not "
       "numeric"},
      {"RangeOnAString",
       [](Declaration& d) { d.inputs[2].flags |= KPI_INPUT_HAS_MIN; },
       "metric 'row_counter': input 'label': a string input cannot have a "
       "range"},
      {"DefaultOutsideItsRange",
       [](Declaration& d) { d.params[1].default_value.i64 = 11; },
       "metric 'row_counter': parameter 'scale_max': default 11 is outside its "
       "own range"},
      {"DefaultNotAllowed",
       [](Declaration& d) {
         d.params[2].allowed_values = kOnlyMean;
         d.params[2].allowed_count = 1;
       },
       "metric 'row_counter': parameter 'mode': default 'percent' is not an "
       "allowed value"},
      {"DuplicateMetric", [](Declaration& d) { d.copies = 2; },
       "metric 'row_counter': declared twice"},
      {"NoMetrics", [](Declaration& d) { d.copies = 0; },
       "plugin: declares no metrics"},
      {"OrderOfAnUndeclaredInput",
       [](Declaration& d) {
         d.orders = {{"weight", "start"}};
       },
       "metric 'row_counter': order 'weight >= start': names an input the "
       "metric does not declare"},
      {"OrderOfOneInputWithItself",
       [](Declaration& d) {
         d.orders = {{"weight", "weight"}};
       },
       "metric 'row_counter': order 'weight >= weight': names one input "
       "twice"},
      {"OrderOfAScalar",
       [](Declaration& d) {
         d.orders = {{"count", "weight"}};
       },
       "metric 'row_counter': order 'count >= weight': orders columns only"},
      {"OrderOfStrings",
       [](Declaration& d) {
         d.orders = {{"label", "weight"}};
       },
       "metric 'row_counter': order 'label >= weight': needs two columns of "
       "one numeric or timestamp type"},
      {"OrderAcrossForms",
       [](Declaration& d) {
         d.inputs[0].form = "a";
         d.inputs[1].form = "b";
         d.orders = {{"weight", "score"}};
       },
       "metric 'row_counter': order 'weight >= score': orders inputs of "
       "different forms"},
      {"ListOfAnUndeclaredParameter",
       [](Declaration& d) {
         d.lists = {{"levels", nullptr, 0}};
       },
       "metric 'row_counter': list parameter 'levels': is not a declared "
       "string parameter"},
      {"ListOfANumberParameter",
       [](Declaration& d) {
         d.lists = {{"scale_max", nullptr, 0}};
       },
       "metric 'row_counter': list parameter 'scale_max': is not a declared "
       "string parameter"},
      {"ListFieldOfABoolType",
       [](Declaration& d) {
         d.lists = {{"mode", nullptr, 0}};
         d.fields[1].type = KPI_TYPE_BOOL;
       },
       "metric 'row_counter': list parameter 'mode': field 'weight': must be "
       "a double or a string"},
      {"ListFieldsWithOneName",
       [](Declaration& d) {
         d.lists = {{"mode", nullptr, 0}};
         d.fields[1].name = "level";
       },
       "metric 'row_counter': list parameter 'mode': field 2 has an invalid "
       "or repeated name"},
      {"ListWhoseDefaultDoesNotFit",
       [](Declaration& d) {
         d.lists = {{"mode", nullptr, 0}};
       },
       "metric 'row_counter': list parameter 'mode': default: parameter "
       "'mode' item 1 ('percent'): has 1 fields; an item is level:weight"},
  };
}

class SchemaCheckRefusalTest : public ::testing::TestWithParam<MalformedCase> {
};

TEST_P(SchemaCheckRefusalTest, RefusesNamingWhatIsWrong) {
  Declaration d;
  GetParam().break_it(d);
  absl::Status status = CheckPluginDescriptor(d.Build());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, SchemaCheckRefusalTest, ::testing::ValuesIn(MalformedCases()),
    [](const ::testing::TestParamInfo<MalformedCase>& info) {
      return info.param.name;
    });

TEST(SchemaCheckTest, NamesAreLowercaseIdentifiersOfAtMost64Characters) {
  EXPECT_TRUE(IsValidName("nps"));
  EXPECT_TRUE(IsValidName("churn_rate_v2"));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName(nullptr));
  EXPECT_FALSE(IsValidName("_private"));
  EXPECT_FALSE(IsValidName("NPS"));
  EXPECT_TRUE(IsValidName(std::string(64, 'a').c_str()));
  EXPECT_FALSE(IsValidName(std::string(65, 'a').c_str()));
}

}  // namespace
}  // namespace kpi
