// BoundParams: a metric's parameters resolved for one call -- every declared
// parameter present, in declaration order, defaults filled in, types and
// ranges checked -- ready to hand to the plugin's create().
#ifndef KPI_HOST_BOUND_PARAMS_H_
#define KPI_HOST_BOUND_PARAMS_H_

#include <deque>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "call_args.h"
#include "kpi/plugin_abi.h"

namespace kpi {

class BoundParams {
 public:
  // Checks `given` against `metric`'s declared parameters. INVALID_ARGUMENT
  // names the parameter: unknown ("unknown parameter 'x'; nps takes:
  // promoter_min, ..."), wrong type, not a whole number, out of range, or
  // not one of the allowed values, or, for a list parameter among `lists`,
  // an item that does not fit its fields (list_param.h).
  static absl::StatusOr<BoundParams> Bind(
      const kpi_metric_descriptor& metric, const std::vector<NamedValue>& given,
      absl::Span<const kpi_list_param> lists = {});

  // Parameters already bound elsewhere (by the server, for a plugin
  // worker): copied as they are, strings included, without checks.
  static BoundParams FromValues(const kpi_metric_descriptor& metric,
                                const std::vector<kpi_param_value>& values);

  const kpi_param_value* data() const { return values_.data(); }
  size_t size() const { return values_.size(); }
  // The bytes the values take: what each copy of them costs.
  uint64_t ByteSize() const;
  // The numeric value of parameter `name`. REQUIRES: declared and numeric.
  double Numeric(absl::string_view name) const;
  // INVALID_ARGUMENT naming the first required parameter the request did not
  // set, among those every form needs and those `form` (may be null) needs.
  absl::Status CheckRequired(const char* form) const;

 private:
  explicit BoundParams(const kpi_metric_descriptor& metric)
      : metric_(&metric) {}

  const kpi_metric_descriptor* metric_;
  std::vector<kpi_param_value> values_;
  std::vector<bool> given_;  // per parameter: set by the request
  // Storage for string values; kpi_param_value::str points here.
  std::deque<std::string> strings_;
};

// `value` as a request carries it, which Bind accepts back (TIMESTAMP as
// int64 microseconds): for turning declared values -- defaults, examples --
// into requests.
v1::Value ToRequestValue(const kpi_param_value& value);

}  // namespace kpi

#endif  // KPI_HOST_BOUND_PARAMS_H_
