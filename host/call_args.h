// CallArgs: the inputs and parameters of one metric call (or one chunk of a
// streamed call) as views into the request message, whichever message it came
// from: a generic ComputeRequest, a ComputeStreamRequest chunk or a typed
// request. Column values are not copied: `f64` and `i64` point into the
// request's packed repeated fields.
//
// A CallArgs borrows from the message it was made from and must not outlive
// it.
#ifndef KPI_HOST_CALL_ARGS_H_
#define KPI_HOST_CALL_ARGS_H_

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_field.h>

#include <deque>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kpi/plugin_abi.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi {

struct ColumnArg {
  absl::string_view name;
  // 0 when the request's Column set no values at all.
  int type = 0;
  size_t length = 0;
  const double* f64 = nullptr;
  const int64_t* i64 = nullptr;
  // STRING columns: the request's strings, or (in a plugin worker, whose
  // columns arrive as views) `views`.
  const google::protobuf::RepeatedPtrField<std::string>* strings = nullptr;
  const kpi_string_view* views = nullptr;
  // Dictionary-encoded columns (type KPI_TYPE_KEY, v1::KeyValues): one code
  // per row into the caller's dictionary of this column, and the entries
  // this chunk adds to it.
  const uint32_t* codes = nullptr;
  const google::protobuf::RepeatedPtrField<std::string>* entries = nullptr;

  // Row `row` of a STRING column, either way.
  absl::string_view Text(size_t row) const {
    if (views != nullptr)
      return absl::string_view(views[row].data, views[row].size);
    return (*strings)[static_cast<int>(row)];
  }
};

struct NamedValue {
  absl::string_view name;
  const v1::Value* value;
};

struct CallArgs {
  std::vector<ColumnArg> columns;
  std::vector<NamedValue> scalars;     // sorted by name
  std::vector<NamedValue> parameters;  // sorted by name
  // Names of the columns that key segments (ComputeRequest.group_by).
  std::vector<absl::string_view> group_by;
  // The named parameter profile the call asks for (ComputeRequest.profile);
  // empty for none. Applied by ParameterProfiles::Apply.
  absl::string_view profile;
  // Values made while converting a typed request, which NamedValue points
  // to (a deque never moves its elements).
  std::deque<v1::Value> owned_values;
};

// Views of a generic request's columns, scalars and parameters.
CallArgs ArgsFromRequest(const v1::ComputeRequest& request);
CallArgs ArgsFromRequest(const v1::ComputeStreamRequest& request);

// Maps a typed request's fields onto inputs by name: a repeated double,
// sfixed64 or string field is a column (an empty one beside a column with
// rows is taken as unset: proto3 cannot tell them apart, and columns have
// equal lengths); a singular int64, double, string or
// google.protobuf.Timestamp field is a scalar when set; the fields of a
// message field named "parameters" are parameters when set; a string field
// named "profile" names the parameter profile.
// INVALID_ARGUMENT for a field of another shape (a defect in the typed
// message, reported rather than ignored).
absl::StatusOr<CallArgs> ArgsFromTypedRequest(
    const google::protobuf::Message& request);

}  // namespace kpi

#endif  // KPI_HOST_CALL_ARGS_H_
