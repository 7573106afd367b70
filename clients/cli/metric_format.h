// The readable output of `kpi list` and `kpi describe`.

#ifndef KPI_CLIENTS_CLI_METRIC_FORMAT_H_
#define KPI_CLIENTS_CLI_METRIC_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi::cli {

// The first sentence of `text` with runs of whitespace (newlines included)
// made single spaces: everything up to the first '.' that ends the text or
// is followed by a space, the '.' included. "e.g." and "i.e." do not end a
// sentence.
std::string FirstSentence(absl::string_view text);

// A table of `metrics`, one line each, columns aligned:
//
//   METRIC      UNIT  PLUGIN           DESCRIPTION
//   churn_rate  %     retention@1.0.0  Logo churn rate: lost / start x 100.
//
// The description is its first sentence. With no metrics, one line saying
// so.
std::string FormatMetricTable(
    const google::protobuf::RepeatedPtrField<kpi::v1::MetricInfo>& metrics);

// Everything `metric` declares, for `kpi describe`:
//
//   metric: nps
//   unit: score
//   plugin: survey@1.0.0 (/usr/lib/kpi/plugins/libkpi_survey.so)
//   description:
//     Net Promoter Score ...
//
//   inputs:
//     scores (column, double, required, integral, range 0 .. 10)
//       Survey answers on the 0-10 scale.
//
//   parameters:
//     mode (string, default "percent", one of: percent, mean)
//       How to aggregate.
//
// A bound taken from a parameter shows the parameter's name
// ("range scale_min .. scale_max"). An input or parameter of one input form
// says so ("form records"), and the inputs header then names the forms:
//
//   inputs (a request uses one form: aggregate or records):
//     customers_at_start (scalar, int64, required, form aggregate, ...)
//     start (column, timestamp, required, form records)
//
//   parameters:
//     period_start (timestamp, required, form records)
//
// A required parameter shows no default (it is a placeholder).
std::string FormatMetricDescription(const kpi::v1::MetricInfo& metric);

// A ValueType as the CLI writes it: "double", "int64", "string",
// "timestamp", "bool".
std::string TypeName(kpi::v1::ValueType type);

}  // namespace kpi::cli

#endif  // KPI_CLIENTS_CLI_METRIC_FORMAT_H_
