// What the bundled plugin files declare through the C ABI: plugin names and
// versions, ABI negotiation, unloading, and for every metric the inputs and
// parameters of its typed request in proto/kpi/v1/metric_service.proto (the
// server maps typed request fields onto declared inputs by name, so names
// and types must match the proto exactly).
//
// Every test loads the plugin through the server's loader (PluginLibrary, in
// this process: the descriptor's functions may be called) and unloads it,
// so the unloading test sees no other load in the process.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kpi/plugin_abi.h"
#include "plugin_library.h"

namespace kpi::testing {
namespace {

std::string PluginPath(const std::string& file) {
  return std::string(KPI_TEST_PLUGIN_DIR) + "/" + file;
}

std::shared_ptr<const PluginLibrary> LoadOrFail(const std::string& file) {
  absl::StatusOr<std::shared_ptr<const PluginLibrary>> plugin =
      PluginLibrary::Load(PluginPath(file));
  EXPECT_TRUE(plugin.ok()) << plugin.status();
  return plugin.ok() ? *plugin : nullptr;
}

// The file `plugin` is mapped from: the loader's private copy of it.
std::string MappedFile(const PluginLibrary& plugin) {
  Dl_info info{};
  if (dladdr(&plugin.descriptor(), &info) == 0) return "";
  return info.dli_fname;
}

const kpi_metric_descriptor* FindMetric(const kpi_plugin_descriptor& plugin,
                                        const std::string& name) {
  for (size_t i = 0; i < plugin.num_metrics; ++i) {
    if (plugin.metrics[i].name == name) return &plugin.metrics[i];
  }
  return nullptr;
}

// ---- Plugins ----------------------------------------------------------------

struct PluginSchema {
  std::string file;
  std::string name;
  std::vector<std::string> metrics;  // in declaration order
};

void PrintTo(const PluginSchema& p, std::ostream* os) { *os << p.name; }

const PluginSchema kPlugins[] = {
    {"kpi_plugin_retention.so",
     "retention",
     {"churn_rate", "retention_rate", "repeat_purchase_rate",
      "cohort_retention"}},
    {"kpi_plugin_survey.so", "survey", {"nps", "csat", "ces"}},
    {"kpi_plugin_engagement.so",
     "engagement",
     {"click_through_rate", "engagement_rate", "average_session_duration",
      "conversion_rate", "cart_abandonment_rate"}},
    {"kpi_plugin_revenue.so",
     "revenue",
     {"mrr", "mrr_movements", "gross_revenue_churn", "net_revenue_churn",
      "historical_clv", "contractual_clv"}},
    {"kpi_plugin_support.so",
     "support",
     {"first_response_time", "ticket_resolution_rate"}},
    {"kpi_plugin_journey.so", "journey", {"funnel", "rfm", "health_score"}},
    {"kpi_plugin_predictive.so",
     "predictive",
     {"bgnbd", "gamma_gamma", "predictive_clv", "churn_risk", "sbg"}},
};

class PluginTest : public ::testing::TestWithParam<PluginSchema> {};

TEST_P(PluginTest, DeclaresItsNameVersion1_0_0AndMetrics) {
  std::shared_ptr<const PluginLibrary> plugin = LoadOrFail(GetParam().file);
  ASSERT_NE(plugin, nullptr);
  const kpi_plugin_descriptor& d = plugin->descriptor();
  EXPECT_EQ(d.abi_major, static_cast<uint32_t>(KPI_ABI_VERSION_MAJOR));
  EXPECT_EQ(d.abi_minor, static_cast<uint32_t>(KPI_ABI_VERSION_MINOR));
  EXPECT_STREQ(d.name, GetParam().name.c_str());
  EXPECT_STREQ(d.version, "1.0.0");
  EXPECT_STRNE(d.description, "");
  std::vector<std::string> metrics;
  for (size_t i = 0; i < d.num_metrics; ++i) {
    metrics.push_back(d.metrics[i].name);
  }
  EXPECT_EQ(metrics, GetParam().metrics);
}

// The loader calls the entry function with the version this host speaks;
// here it is called again, as a host of the next major version would.
TEST_P(PluginTest, RefusesAHostOfAnotherMajorAbiVersion) {
  std::shared_ptr<const PluginLibrary> plugin = LoadOrFail(GetParam().file);
  ASSERT_NE(plugin, nullptr);
  void* library = dlopen(MappedFile(*plugin).c_str(), RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(library, nullptr) << dlerror();
  const auto entry = reinterpret_cast<kpi_plugin_entry_fn>(
      dlsym(library, KPI_PLUGIN_ENTRY_SYMBOL));
  ASSERT_NE(entry, nullptr);
  kpi_error error{};
  EXPECT_EQ(entry(KPI_ABI_VERSION_MAJOR + 1, 0, &error), nullptr);
  EXPECT_NE(std::string(error.message).find("ABI"), std::string::npos)
      << error.message;
  dlclose(library);
}

// A plugin that exports a GNU unique symbol (as std::to_string does in
// libstdc++) can never be unloaded, which would defeat a host's reload.
TEST_P(PluginTest, UnloadsCompletelyWhenClosed) {
  std::shared_ptr<const PluginLibrary> plugin = LoadOrFail(GetParam().file);
  ASSERT_NE(plugin, nullptr);
  const std::string path = MappedFile(*plugin);
  ASSERT_NE(path, "");
  plugin.reset();
  void* still_loaded = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_EQ(still_loaded, nullptr) << path << " stayed mapped after dlclose";
  if (still_loaded != nullptr) dlclose(still_loaded);
}

INSTANTIATE_TEST_SUITE_P(
    Bundled, PluginTest, ::testing::ValuesIn(kPlugins),
    [](const ::testing::TestParamInfo<PluginSchema>& info) {
      return info.param.name;
    });

// ---- Metrics ----------------------------------------------------------------

struct InputSchema {
  std::string name;
  kpi_value_type type;
  kpi_input_kind kind;
  bool required;
  bool integral;
  std::optional<double> min;
  std::optional<double> max;
  std::string min_param;  // "" for none
  std::string max_param;
};

struct ParamSchema {
  std::string name;
  kpi_value_type type;
  std::string default_value;  // as DefaultText prints it
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> allowed_values;
};

struct MetricSchema {
  std::string plugin_file;
  std::string name;
  std::string unit;
  std::vector<InputSchema> inputs;
  std::vector<ParamSchema> params;
  // Phrases the description must contain: what the catalog asks a metric
  // to say about what it computes.
  std::vector<std::string> description_parts;
};

void PrintTo(const MetricSchema& m, std::ostream* os) { *os << m.name; }

std::string DefaultText(const kpi_param_value& v) {
  char buffer[64];
  switch (v.type) {
    case KPI_TYPE_DOUBLE:
      std::snprintf(buffer, sizeof(buffer), "%g", v.f64);
      return buffer;
    case KPI_TYPE_INT64:
    case KPI_TYPE_TIMESTAMP:
      std::snprintf(buffer, sizeof(buffer), "%" PRId64, v.i64);
      return buffer;
    case KPI_TYPE_BOOL:
      return v.boolean ? "true" : "false";
    case KPI_TYPE_STRING:
      return std::string(v.str.data, v.str.size);
  }
  return "?";
}

InputSchema ScoresOnScale() {
  return {"scores",     KPI_TYPE_DOUBLE, KPI_INPUT_COLUMN, true,       true,
          std::nullopt, std::nullopt,    "scale_min",      "scale_max"};
}

// From the typed requests of proto/kpi/v1/metric_service.proto: the survey
// metrics, spelled out with their ranges and defaults. (Every typed request's
// fields are checked against its metric's declarations, by name, type and
// kind, for all metrics in tests/catalog/typed_requests_test.cc.)
std::vector<MetricSchema> Metrics() {
  const std::vector<std::string> kModes = {"percent", "mean"};
  return {
      {"kpi_plugin_survey.so",
       "nps",
       "score",
       {{"scores", KPI_TYPE_DOUBLE, KPI_INPUT_COLUMN, true, true, 0.0, 10.0, "",
         ""}},
       {{"promoter_min", KPI_TYPE_INT64, "9", 0.0, 10.0, {}},
        {"detractor_max", KPI_TYPE_INT64, "6", 0.0, 10.0, {}},
        {"confidence_level", KPI_TYPE_DOUBLE, "0.95", 0.5, 0.999, {}}},
       {"promoters", "detractors", "sqrt((p + d - (p - d)^2) / n)"}},
      {"kpi_plugin_survey.so",
       "csat",
       "%",
       {ScoresOnScale()},
       {{"scale_min", KPI_TYPE_INT64, "1", 0.0, 100.0, {}},
        {"scale_max", KPI_TYPE_INT64, "5", 1.0, 100.0, {}},
        {"threshold", KPI_TYPE_INT64, "4", 0.0, 100.0, {}},
        {"mode", KPI_TYPE_STRING, "percent", std::nullopt, std::nullopt,
         kModes}},
       {"threshold", "mean"}},
      {"kpi_plugin_survey.so",
       "ces",
       "%",
       {ScoresOnScale()},
       {{"scale_min", KPI_TYPE_INT64, "1", 0.0, 100.0, {}},
        {"scale_max", KPI_TYPE_INT64, "7", 1.0, 100.0, {}},
        {"threshold", KPI_TYPE_INT64, "5", 0.0, 100.0, {}},
        {"mode", KPI_TYPE_STRING, "percent", std::nullopt, std::nullopt,
         kModes},
        {"lower_is_better",
         KPI_TYPE_BOOL,
         "false",
         std::nullopt,
         std::nullopt,
         {}}},
       {"CES 2.0", "lower_is_better", "mean"}},
  };
}

std::optional<double> Bound(bool present, double value) {
  return present ? std::optional<double>(value) : std::nullopt;
}

std::string OrEmpty(const char* s) { return s == nullptr ? "" : s; }

class MetricSchemaTest : public ::testing::TestWithParam<MetricSchema> {};

TEST_P(MetricSchemaTest, DeclaresTheInputsAndParametersOfItsTypedRequest) {
  const MetricSchema& want = GetParam();
  std::shared_ptr<const PluginLibrary> plugin = LoadOrFail(want.plugin_file);
  ASSERT_NE(plugin, nullptr);
  const kpi_metric_descriptor* metric =
      FindMetric(plugin->descriptor(), want.name);
  ASSERT_NE(metric, nullptr);
  EXPECT_STREQ(metric->unit, want.unit.c_str());

  ASSERT_EQ(metric->num_inputs, want.inputs.size());
  for (size_t i = 0; i < want.inputs.size(); ++i) {
    const kpi_input_spec& got = metric->inputs[i];
    const InputSchema& w = want.inputs[i];
    SCOPED_TRACE("input " + w.name);
    EXPECT_EQ(got.name, w.name);
    EXPECT_STRNE(got.description, "");
    EXPECT_EQ(got.type, w.type);
    EXPECT_EQ(got.kind, w.kind);
    EXPECT_EQ((got.flags & KPI_INPUT_REQUIRED) != 0, w.required);
    EXPECT_EQ((got.flags & KPI_INPUT_INTEGRAL) != 0, w.integral);
    EXPECT_EQ(Bound(got.flags & KPI_INPUT_HAS_MIN, got.min), w.min);
    EXPECT_EQ(Bound(got.flags & KPI_INPUT_HAS_MAX, got.max), w.max);
    EXPECT_EQ(OrEmpty(got.min_param), w.min_param);
    EXPECT_EQ(OrEmpty(got.max_param), w.max_param);
  }

  ASSERT_EQ(metric->num_params, want.params.size());
  for (size_t i = 0; i < want.params.size(); ++i) {
    const kpi_param_spec& got = metric->params[i];
    const ParamSchema& w = want.params[i];
    SCOPED_TRACE("parameter " + w.name);
    EXPECT_EQ(got.name, w.name);
    EXPECT_STRNE(got.description, "");
    EXPECT_EQ(got.default_value.type, w.type);
    EXPECT_EQ(DefaultText(got.default_value), w.default_value);
    EXPECT_EQ(Bound(got.flags & KPI_PARAM_HAS_MIN, got.min), w.min);
    EXPECT_EQ(Bound(got.flags & KPI_PARAM_HAS_MAX, got.max), w.max);
    std::vector<std::string> allowed(got.allowed_values,
                                     got.allowed_values + got.allowed_count);
    EXPECT_EQ(allowed, w.allowed_values);
  }

  for (const std::string& part : want.description_parts) {
    EXPECT_NE(std::string(metric->description).find(part), std::string::npos)
        << "description lacks \"" << part << "\": " << metric->description;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Bundled, MetricSchemaTest, ::testing::ValuesIn(Metrics()),
    [](const ::testing::TestParamInfo<MetricSchema>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace kpi::testing
