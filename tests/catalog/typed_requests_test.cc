// Every typed RPC's request maps one-to-one onto its metric's declared
// inputs and parameters -- by name, type and kind -- so typed and generic
// calls cannot drift apart, and every typed method of the service is wired.
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "kpi/v1/metric_service.grpc.pb.h"
#include "metric_registry.h"
#include "typed_rpcs.h"

namespace kpi {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

struct TypedRpc {
  std::string rpc;
  std::string metric;
  const Descriptor* request;
  const Descriptor* response;
};

std::vector<TypedRpc> TypedRpcs() {
  return {
#define KPI_TYPED_RPC_ROW(Rpc, metric)           \
  {#Rpc, metric, v1::Rpc##Request::descriptor(), \
   v1::Rpc##Response::descriptor()},
      KPI_FOR_EACH_TYPED_RPC(KPI_TYPED_RPC_ROW)
#undef KPI_TYPED_RPC_ROW
  };
}

void PrintTo(const TypedRpc& rpc, std::ostream* os) { *os << rpc.rpc; }

const MetricRegistry& Registry() {
  static const std::shared_ptr<const MetricRegistry> registry =
      *MetricRegistry::Load({KPI_PLUGIN_DIR}, [](absl::string_view) {});
  return *registry;
}

// The kpi value type a typed field carries, or 0 when it has none.
int FieldType(const FieldDescriptor& field) {
  switch (field.type()) {
    case FieldDescriptor::TYPE_DOUBLE:
      return KPI_TYPE_DOUBLE;
    case FieldDescriptor::TYPE_INT64:
    case FieldDescriptor::TYPE_SFIXED64:
      return KPI_TYPE_INT64;
    case FieldDescriptor::TYPE_STRING:
      return KPI_TYPE_STRING;
    case FieldDescriptor::TYPE_BOOL:
      return KPI_TYPE_BOOL;
    case FieldDescriptor::TYPE_MESSAGE:
      return field.message_type()->full_name() == "google.protobuf.Timestamp"
                 ? KPI_TYPE_TIMESTAMP
                 : 0;
    default:
      return 0;
  }
}

// Timestamp columns travel as int64 microseconds.
bool Compatible(int field_type, int declared) {
  // Typed requests send timestamps as int64 micros and keys as strings.
  return field_type == declared ||
         (declared == KPI_TYPE_TIMESTAMP && field_type == KPI_TYPE_INT64) ||
         (declared == KPI_TYPE_KEY && field_type == KPI_TYPE_STRING);
}

class TypedRequestTest : public ::testing::TestWithParam<TypedRpc> {};

TEST_P(TypedRequestTest, FieldsAreExactlyTheMetricsInputsAndParameters) {
  const TypedRpc& rpc = GetParam();
  std::shared_ptr<const Metric> metric = Registry().Find(rpc.metric);
  ASSERT_NE(metric, nullptr) << "no bundled metric " << rpc.metric;
  const kpi_metric_descriptor& d = metric->descriptor();

  std::set<std::string> inputs_seen, params_seen;
  for (int i = 0; i < rpc.request->field_count(); ++i) {
    const FieldDescriptor& field = *rpc.request->field(i);
    if (field.name() == "parameters") {
      const Descriptor& params = *field.message_type();
      for (int p = 0; p < params.field_count(); ++p) {
        const FieldDescriptor& param = *params.field(p);
        const kpi_param_spec* spec = nullptr;
        for (size_t k = 0; k < d.num_params; ++k) {
          if (param.name() == d.params[k].name) spec = &d.params[k];
        }
        ASSERT_NE(spec, nullptr) << "parameter field " << param.name()
                                 << " is not a parameter of " << rpc.metric;
        EXPECT_EQ(FieldType(param), spec->default_value.type) << param.name();
        EXPECT_TRUE(param.has_presence()) << param.name() << " needs presence";
        params_seen.insert(param.name());
      }
      continue;
    }
    if (field.name() == "profile") {
      // Names a parameter profile (ComputeRequest.profile), not an input.
      EXPECT_EQ(field.type(), FieldDescriptor::TYPE_STRING);
      EXPECT_FALSE(field.is_repeated());
      continue;
    }
    const kpi_input_spec* spec = nullptr;
    for (size_t k = 0; k < d.num_inputs; ++k) {
      if (field.name() == d.inputs[k].name) spec = &d.inputs[k];
    }
    ASSERT_NE(spec, nullptr)
        << "field " << field.name() << " is not an input of " << rpc.metric;
    EXPECT_EQ(field.is_repeated(), spec->kind == KPI_INPUT_COLUMN)
        << field.name() << ": a column is a repeated field, a scalar is not";
    EXPECT_TRUE(Compatible(FieldType(field), spec->type)) << field.name();
    if (!field.is_repeated()) {
      EXPECT_TRUE(field.has_presence()) << field.name() << " needs presence";
    }
    inputs_seen.insert(field.name());
  }
  for (size_t k = 0; k < d.num_inputs; ++k) {
    EXPECT_TRUE(inputs_seen.count(d.inputs[k].name))
        << "input " << d.inputs[k].name << " has no field in "
        << rpc.request->name();
  }
  for (size_t k = 0; k < d.num_params; ++k) {
    EXPECT_TRUE(params_seen.count(d.params[k].name))
        << "parameter " << d.params[k].name << " has no field in "
        << rpc.request->name();
  }
  const FieldDescriptor* result = rpc.response->FindFieldByName("result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(result->message_type(), v1::MetricResult::descriptor());
}

INSTANTIATE_TEST_SUITE_P(All, TypedRequestTest,
                         ::testing::ValuesIn(TypedRpcs()),
                         [](const auto& info) { return info.param.rpc; });

TEST(TypedRpcWiringTest, EveryTypedMethodOfTheServiceIsWired) {
  std::set<std::string> wired;
  for (const TypedRpc& rpc : TypedRpcs()) wired.insert(rpc.rpc);
  const auto* service = v1::MetricService::service_full_name();
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
          service);
  ASSERT_NE(descriptor, nullptr);
  for (int i = 0; i < descriptor->method_count(); ++i) {
    const std::string name = descriptor->method(i)->name();
    if (name == "ListMetrics" || name == "DescribeMetric" ||
        name == "Compute" || name == "ComputeStream" ||
        name == "GetMetricProtos") {
      continue;
    }
    EXPECT_TRUE(wired.count(name)) << name << " is not in typed_rpcs.h";
  }
}

}  // namespace
}  // namespace kpi
