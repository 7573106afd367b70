// Turns what a user typed for `kpi compute` into a ComputeRequest.
//
// The CLI knows no metric in advance: it reads the metric's declared inputs
// and parameters (a MetricInfo from DescribeMetric) and fits the user's
// NAME=VALUE arguments and --input-json object to them. This file is pure: no
// I/O, no server; everything here is unit tested.

#ifndef KPI_CLIENTS_CLI_REQUEST_BUILDER_H_
#define KPI_CLIENTS_CLI_REQUEST_BUILDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "google/protobuf/struct.pb.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi::cli {

// Checks that every argument has the form NAME=VALUE with a non-empty NAME,
// before any server is asked. Returns a UsageError naming the first one that
// does not.
absl::Status CheckAssignments(absl::Span<const std::string> assignments);

// Builds the generic request computing `metric` from `assignments`
// ("NAME=VALUE" arguments) and `input_json` (a JSON object; nullptr when not
// given), per segment of the `group_by` columns when that is not empty.
//
// Every NAME and every JSON key must name an input or a parameter of
// `metric`, or a `group_by` column. A column input takes comma-separated
// values on the command line ("scores=10,9,3"; "scores=" is an empty column)
// and an array in JSON; a scalar input or a parameter takes one value. Values
// are converted to the declared type (see raw_item.h); in a timestamp column
// an empty item, "open" or a JSON null is an open end (kOpenEnd). A JSON null
// is otherwise the same as leaving the key out. A name given both ways takes
// the NAME=VALUE value; a name given twice on the command line takes the
// last one.
//
// A `group_by` column is not an input of the metric: its values are sent as
// a STRING column (JSON numbers as their text), after the input columns, and
// `group_by` lists the names in the order given, each once.
//
// Columns appear in the order the metric declares its inputs. Nothing else
// is checked here (required inputs, ranges, equal column lengths, a group_by
// column without values): the server validates every request and says
// precisely what is wrong.
//
// Errors are UsageErrors: a malformed argument, an unknown name (the message
// lists the valid ones), a `group_by` name that is an input or parameter of
// `metric`, or a value that does not convert (the message names the input
// and, for columns, the 1-based item: `scores: item 3 "x" is not a number`).
absl::StatusOr<kpi::v1::ComputeRequest> BuildComputeRequest(
    const kpi::v1::MetricInfo& metric,
    absl::Span<const std::string> assignments,
    const google::protobuf::Struct* input_json,
    absl::Span<const std::string> group_by = {});

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_REQUEST_BUILDER_H_
