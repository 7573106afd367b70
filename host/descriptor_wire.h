// The plugin descriptor on the wire: a worker that loaded a plugin sends its
// kpi_plugin_descriptor -- names, inputs, parameters, examples; everything
// but the function pointers -- and the server keeps a DescriptorCopy of it,
// so validation, profiles and ListMetrics read the same structs as for a
// plugin loaded in process.
#ifndef KPI_HOST_DESCRIPTOR_WIRE_H_
#define KPI_HOST_DESCRIPTOR_WIRE_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kpi/plugin_abi.h"
#include "wire.h"

namespace kpi {

void WriteDescriptor(const kpi_plugin_descriptor& plugin, WireWriter& out);

// One parameter value (a default, an example's, a call's). Read back, its
// string points into the message.
void WriteParamValue(const kpi_param_value& value, WireWriter& out);
bool ReadParamValue(WireReader& in, kpi_param_value& value);

// A kpi_plugin_descriptor that owns everything it points to. Its metrics'
// function pointers are null: their code runs in the worker.
class DescriptorCopy {
 public:
  // DATA_LOSS when the bytes are not a whole descriptor. The copy is not
  // schema-checked here (see schema_check.h).
  static absl::StatusOr<std::unique_ptr<const DescriptorCopy>> Read(
      WireReader& in);

  DescriptorCopy(const DescriptorCopy&) = delete;
  DescriptorCopy& operator=(const DescriptorCopy&) = delete;

  const kpi_plugin_descriptor& descriptor() const { return plugin_; }

 private:
  DescriptorCopy() = default;
  const char* Text(WireReader& in);
  bool ReadValue(WireReader& in, kpi_param_value& value);
  bool ReadColumn(WireReader& in, kpi_column& column);
  bool ReadMetric(WireReader& in, kpi_metric_descriptor& metric);
  bool ReadListParams(WireReader& in, kpi_metric_extras& extras);
  // What WriteStrings wrote: `count` strings, kept by the copy.
  bool ReadStrings(WireReader& in, const char* const*& values, size_t& count);

  kpi_plugin_descriptor plugin_{};
  std::deque<std::string> strings_;
  std::deque<std::vector<const char*>> string_lists_;
  std::deque<std::vector<kpi_string_view>> views_;
  std::deque<std::vector<double>> doubles_;
  std::deque<std::vector<int64_t>> ints_;
  std::vector<kpi_metric_descriptor> metrics_;
  std::deque<std::vector<kpi_input_spec>> inputs_;
  std::deque<std::vector<kpi_param_spec>> params_;
  std::deque<std::vector<kpi_example>> examples_;
  std::deque<std::vector<kpi_example_param>> example_params_;
  std::deque<std::vector<kpi_example_input>> example_inputs_;
  std::vector<kpi_metric_extras> extras_;
  std::vector<const kpi_metric_extras*> extras_pointers_;
  std::deque<std::vector<kpi_input_order>> orders_;
  std::deque<std::vector<kpi_list_param>> list_params_;
  std::deque<std::vector<kpi_list_field>> list_fields_;
};

}  // namespace kpi

#endif  // KPI_HOST_DESCRIPTOR_WIRE_H_
