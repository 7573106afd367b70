#include "metric_format.h"

#include <string>

#include "gtest/gtest.h"
#include "text_proto_for_test.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::ListMetricsResponse;
using ::kpi::v1::MetricInfo;

TEST(FirstSentenceTest, Examples) {
  EXPECT_EQ(FirstSentence("Logo churn rate. Customers lost over start."),
            "Logo churn rate.");
  EXPECT_EQ(FirstSentence("Net Promoter Score:\n  promoters - detractors."),
            "Net Promoter Score: promoters - detractors.");
  EXPECT_EQ(FirstSentence("Share at level 0.95 or above. More."),
            "Share at level 0.95 or above.");
  EXPECT_EQ(FirstSentence("Rates, e.g. churn, in %. More."),
            "Rates, e.g. churn, in %.");
  EXPECT_EQ(FirstSentence("No full stop"), "No full stop");
  EXPECT_EQ(FirstSentence(""), "");
}

TEST(TypeNameTest, LowerCaseWithoutPrefix) {
  EXPECT_EQ(TypeName(kpi::v1::VALUE_TYPE_DOUBLE), "double");
  EXPECT_EQ(TypeName(kpi::v1::VALUE_TYPE_INT64), "int64");
  EXPECT_EQ(TypeName(kpi::v1::VALUE_TYPE_TIMESTAMP), "timestamp");
  EXPECT_EQ(TypeName(static_cast<kpi::v1::ValueType>(42)), "type 42");
}

TEST(FormatMetricTableTest, AlignsColumnsAndShortensDescriptions) {
  const ListMetricsResponse response = ParseText<ListMetricsResponse>(R"pb(
    metrics {
      name: "churn_rate"
      unit: "%"
      plugin: "retention"
      plugin_version: "1.0.0"
      description: "Logo churn rate: customers_lost / customers_at_start x 100. Customers who joined inside the period are not counted."
    }
    metrics {
      name: "nps"
      unit: "score"
      plugin: "survey"
      plugin_version: "0.2"
      description: "Net Promoter Score."
    }
    metrics { name: "bare" plugin: "x" }
  )pb");
  EXPECT_EQ(FormatMetricTable(response.metrics()),
            "METRIC      UNIT   PLUGIN           DESCRIPTION\n"
            "churn_rate  %      retention@1.0.0  Logo churn rate: "
            "customers_lost / customers_at_start x 100.\n"
            "nps         score  survey@0.2       Net Promoter Score.\n"
            "bare               x\n");
}

TEST(FormatMetricTableTest, NoMetrics) {
  EXPECT_EQ(FormatMetricTable(ListMetricsResponse().metrics()),
            "no metrics are loaded\n");
}

TEST(FormatMetricDescriptionTest, InputsAndParameters) {
  const MetricInfo csat = ParseText<MetricInfo>(R"pb(
    name: "csat"
    unit: "%"
    plugin: "survey"
    plugin_version: "1.0.0"
    plugin_file: "/opt/kpi/plugins/libkpi_survey.so"
    description: "Customer satisfaction score.\nShare of satisfied answers."
    inputs {
      name: "scores"
      description: "Survey answers, whole numbers."
      type: VALUE_TYPE_DOUBLE
      kind: INPUT_KIND_COLUMN
      required: true
      integral: true
      min_parameter: "scale_min"
      max_parameter: "scale_max"
    }
    inputs {
      name: "respondents"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      min: 0
    }
    inputs {
      name: "since"
      type: VALUE_TYPE_TIMESTAMP
      kind: INPUT_KIND_SCALAR
      max: 1e12
      min_parameter: "first"
    }
    parameters {
      name: "scale_min"
      description: "Lowest point of the scale."
      type: VALUE_TYPE_INT64
      default_value { int64_value: 1 }
      integral: true
      min: 0
      max: 100
    }
    parameters {
      name: "confidence_level"
      type: VALUE_TYPE_DOUBLE
      default_value { double_value: 0.95 }
      max: 0.999
    }
    parameters {
      name: "mode"
      description: "How to aggregate."
      type: VALUE_TYPE_STRING
      default_value { string_value: "percent" }
      allowed_values: [ "percent", "mean" ]
    }
    parameters {
      name: "lower_is_better"
      type: VALUE_TYPE_BOOL
      default_value { bool_value: false }
    }
    parameters {
      name: "first"
      type: VALUE_TYPE_TIMESTAMP
      default_value { timestamp_value { seconds: 1706659200 } }
    }
    parameters { name: "label" type: VALUE_TYPE_STRING }
  )pb");
  EXPECT_EQ(
      FormatMetricDescription(csat),
      "metric: csat\n"
      "unit: %\n"
      "plugin: survey@1.0.0 (/opt/kpi/plugins/libkpi_survey.so)\n"
      "description:\n"
      "  Customer satisfaction score.\n"
      "  Share of satisfied answers.\n"
      "\n"
      "inputs:\n"
      "  scores (column, double, required, integral, "
      "range scale_min .. scale_max)\n"
      "    Survey answers, whole numbers.\n"
      "  respondents (scalar, int64, optional, range >= 0)\n"
      "  since (scalar, timestamp, optional, range first .. 1000000000000)\n"
      "\n"
      "parameters:\n"
      "  scale_min (int64, default 1, integral, range 0 .. 100)\n"
      "    Lowest point of the scale.\n"
      "  confidence_level (double, default 0.95, range <= 0.999)\n"
      "  mode (string, default \"percent\", one of: percent, mean)\n"
      "    How to aggregate.\n"
      "  lower_is_better (bool, default false)\n"
      "  first (timestamp, default 2024-01-31T00:00:00Z)\n"
      "  label (string)\n");
}

TEST(FormatMetricDescriptionTest, FormsAndRequiredParameters) {
  const MetricInfo churn = ParseText<MetricInfo>(R"pb(
    name: "churn_rate"
    unit: "%"
    plugin: "retention"
    plugin_version: "2.0.0"
    inputs {
      name: "customers_at_start"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      required: true
      integral: true
      min: 0
      form: "aggregate"
    }
    inputs {
      name: "start"
      description: "When each subscription started."
      type: VALUE_TYPE_TIMESTAMP
      kind: INPUT_KIND_COLUMN
      required: true
      form: "records"
    }
    inputs {
      name: "end"
      type: VALUE_TYPE_TIMESTAMP
      kind: INPUT_KIND_COLUMN
      form: "records"
    }
    inputs {
      name: "weight"
      type: VALUE_TYPE_DOUBLE
      kind: INPUT_KIND_COLUMN
      form: "weighted"
    }
    inputs { name: "note" type: VALUE_TYPE_STRING kind: INPUT_KIND_SCALAR }
    parameters {
      name: "period_start"
      description: "First instant of the period."
      type: VALUE_TYPE_TIMESTAMP
      default_value { timestamp_value {} }
      required: true
      form: "records"
    }
    parameters { name: "anchor" type: VALUE_TYPE_TIMESTAMP required: true }
    parameters {
      name: "grace_days"
      type: VALUE_TYPE_INT64
      default_value { int64_value: 0 }
      form: "records"
    }
  )pb");
  EXPECT_EQ(FormatMetricDescription(churn),
            "metric: churn_rate\n"
            "unit: %\n"
            "plugin: retention@2.0.0\n"
            "\n"
            "inputs (a request uses one form: aggregate, records or "
            "weighted):\n"
            "  customers_at_start (scalar, int64, required, form aggregate, "
            "integral, range >= 0)\n"
            "  start (column, timestamp, required, form records)\n"
            "    When each subscription started.\n"
            "  end (column, timestamp, optional, form records)\n"
            "  weight (column, double, optional, form weighted)\n"
            "  note (scalar, string, optional)\n"
            "\n"
            "parameters:\n"
            "  period_start (timestamp, required, form records)\n"
            "    First instant of the period.\n"
            "  anchor (timestamp, required)\n"
            "  grace_days (int64, default 0, form records)\n");
}

TEST(FormatMetricDescriptionTest, TwoForms) {
  const MetricInfo metric = ParseText<MetricInfo>(R"pb(
    name: "m"
    plugin: "p"
    inputs {
      name: "a"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      form: "aggregate"
    }
    inputs {
      name: "r"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_COLUMN
      form: "records"
    }
    inputs {
      name: "b"
      type: VALUE_TYPE_INT64
      kind: INPUT_KIND_SCALAR
      form: "aggregate"
    }
  )pb");
  EXPECT_EQ(FormatMetricDescription(metric),
            "metric: m\n"
            "plugin: p\n"
            "\n"
            "inputs (a request uses one form: aggregate or records):\n"
            "  a (scalar, int64, optional, form aggregate)\n"
            "  r (column, int64, optional, form records)\n"
            "  b (scalar, int64, optional, form aggregate)\n"
            "\n"
            "parameters:\n"
            "  (none)\n");
}

TEST(FormatMetricDescriptionTest, ListParametersAndColumnOrders) {
  const MetricInfo metric = ParseText<MetricInfo>(R"pb(
    name: "m"
    plugin: "p"
    inputs {
      name: "end"
      type: VALUE_TYPE_TIMESTAMP
      kind: INPUT_KIND_COLUMN
      not_before: "start"
    }
    parameters {
      name: "signals"
      type: VALUE_TYPE_STRING
      required: true
      list_fields { name: "name" type: VALUE_TYPE_STRING }
      list_fields {
        name: "weight"
        type: VALUE_TYPE_DOUBLE
        min: 0
        description: "Its weight."
      }
      list_fields { name: "min" type: VALUE_TYPE_DOUBLE optional: true }
      list_fields { name: "max" type: VALUE_TYPE_DOUBLE optional: true }
    }
  )pb");
  EXPECT_EQ(FormatMetricDescription(metric),
            "metric: m\n"
            "plugin: p\n"
            "\n"
            "inputs:\n"
            "  end (column, timestamp, optional, not before start)\n"
            "\n"
            "parameters:\n"
            "  signals (string, required, list of name:weight[:min:max], "
            "comma separated)\n"
            "    - name (string)\n"
            "    - weight (double, range >= 0): Its weight.\n"
            "    - min (double, optional)\n"
            "    - max (double, optional)\n");
}

TEST(FormatMetricDescriptionTest, NothingDeclared) {
  const MetricInfo bare =
      ParseText<MetricInfo>(R"pb(name: "bare" plugin: "x")pb");
  EXPECT_EQ(FormatMetricDescription(bare),
            "metric: bare\n"
            "plugin: x\n"
            "\n"
            "inputs:\n"
            "  (none)\n"
            "\n"
            "parameters:\n"
            "  (none)\n");
}

}  // namespace
}  // namespace kpi::cli
