// What fuzzing found (tests/fuzz, docs/reliability.md#fuzzing), one test per
// finding, each with the exact request: the bundled plugins loaded in this
// process, the request computed through MetricCall as the server computes
// it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "call_args.h"
#include "metric_call.h"
#include "metric_registry.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;

const MetricRegistry& Bundled() {
  static const auto registry = [] {
    MetricRegistry::Options options;
    options.isolation = Isolation::kNone;
    options.check_plugins = false;  // tests/conformance checks them
    auto loaded = MetricRegistry::Load(
        {KPI_PLUGIN_DIR}, [](absl::string_view) {}, options);
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return loaded.ok() ? *loaded : nullptr;
  }();
  return *registry;
}

absl::StatusOr<v1::MetricResult> Compute(const v1::ComputeRequest& request) {
  std::shared_ptr<const Metric> metric = Bundled().Find(request.metric());
  if (metric == nullptr) return absl::NotFoundError(request.metric());
  return ComputeOnce(metric, ArgsFromRequest(request));
}

// Customer "a" scores 50 on usage and 20 on nps; `signals` declares them.
v1::ComputeRequest HealthScoreOfOneCustomer(const std::string& signals) {
  v1::ComputeRequest request;
  request.set_metric("health_score");
  v1::Column* customer = request.add_columns();
  customer->set_name("customer");
  customer->mutable_strings()->add_values("a");
  customer->mutable_strings()->add_values("a");
  v1::Column* signal = request.add_columns();
  signal->set_name("signal");
  signal->mutable_strings()->add_values("usage");
  signal->mutable_strings()->add_values("nps");
  v1::Column* value = request.add_columns();
  value->set_name("value");
  value->mutable_doubles()->add_values(50);
  value->mutable_doubles()->add_values(20);
  (*request.mutable_parameters())["signals"].set_string_value(signals);
  return request;
}

// Weights of 1e308 overflowed both sums of the weighted mean to infinity;
// inf / inf is NaN, which the clamp to 100 turned into a perfect score.
TEST(FuzzFindingsTest, HealthScoreWeightsOf1e308GiveTheWeightedMeanNot100) {
  absl::StatusOr<v1::MetricResult> result =
      Compute(HealthScoreOfOneCustomer("usage:1e308:higher,nps:1e308:higher"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_DOUBLE_EQ(result->value(), 35);  // (50 + 20) / 2
  // Unequal huge weights keep their ratio: (3 x 50 + 1 x 20) / 4.
  result = Compute(
      HealthScoreOfOneCustomer("usage:1.5e308:higher,nps:5e307:higher"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_NEAR(result->value(), 42.5, 1e-9);
}

// A range of -1e308..1e308 made max - min infinite: usage (50, the middle of
// its range) normalised to 0 instead of 50.
TEST(FuzzFindingsTest, HealthScoreRangeWiderThanTheLargestDoubleNormalises) {
  absl::StatusOr<v1::MetricResult> result = Compute(
      HealthScoreOfOneCustomer("usage:1:higher:-1e308:1e308,nps:1:lower"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_DOUBLE_EQ(result->value(), 65);  // (50 + (100 - 20)) / 2
}

// strtod reports underflow with ERANGE, which read as "not a finite number".
TEST(FuzzFindingsTest, HealthScoreTakesSubnormalWeights) {
  absl::StatusOr<v1::MetricResult> result = Compute(
      HealthScoreOfOneCustomer("usage:1e-320:higher,nps:1e-320:higher"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_DOUBLE_EQ(result->value(), 35);
  // Below the smallest subnormal a weight is 0, and says so.
  result = Compute(HealthScoreOfOneCustomer("usage:1e-400:higher"));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(std::string(result.status().message()),
              HasSubstr("weight must be greater than 0"));
}

}  // namespace
}  // namespace kpi
