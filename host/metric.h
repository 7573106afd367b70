// Metric: one metric of a loaded plugin, as the server serves it.
//
// Holds the plugin library by shared_ptr, so the library stays loaded while
// the Metric, or any state created from it, lives. Immutable and shareable
// across threads.
#ifndef KPI_HOST_METRIC_H_
#define KPI_HOST_METRIC_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "kpi/plugin_abi.h"
#include "kpi/v1/metric_service.pb.h"
#include "plugin_library.h"

namespace kpi {

class Metric {
 public:
  // REQUIRES: `descriptor` belongs to `library`'s plugin descriptor.
  Metric(std::shared_ptr<const PluginLibrary> library,
         const kpi_metric_descriptor* descriptor);

  absl::string_view name() const { return descriptor_->name; }
  const kpi_metric_descriptor& descriptor() const { return *descriptor_; }
  const PluginLibrary& library() const { return *library_; }
  // The orders between its inputs that every chunk must keep.
  absl::Span<const kpi_input_order> input_orders() const {
    return input_orders_;
  }
  // Its list parameters (their fields), checked when parameters bind.
  absl::Span<const kpi_list_param> list_params() const { return list_params_; }
  // The description served by ListMetrics and DescribeMetric.
  const v1::MetricInfo& info() const { return info_; }

 private:
  std::shared_ptr<const PluginLibrary> library_;
  const kpi_metric_descriptor* descriptor_;
  absl::Span<const kpi_input_order> input_orders_;
  absl::Span<const kpi_list_param> list_params_;
  v1::MetricInfo info_;
};

}  // namespace kpi

#endif  // KPI_HOST_METRIC_H_
