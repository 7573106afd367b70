// plugins/support/first_response_time.h -- first response time of tickets.
//
// For each ticket, first_response - created, in seconds; the result is the
// mean, the median and the 90th percentile of those times (the table
// "statistics"), with the one the `statistic` parameter picks as the value.
//
// Percentiles interpolate linearly between the two nearest order statistics
// (Hyndman & Fan type 7, the default of numpy.percentile, R's quantile and
// spreadsheets' PERCENTILE.INC): with the n times sorted, x[0..n-1], the
// q-quantile is x[h] at h = (n - 1) q, interpolated when h is not whole. The
// median is the q = 0.5 case; 10 times of 60, 120, ..., 600 s give median
// 330 s and p90 546 s (nearest-rank would give 540 s).
//
// A ticket without a first response (first_response at the open end,
// INT64_MAX) is left out of the statistics and counted in a warning: it has
// no response time yet, and counting it as 0 or as "now" would bias every
// statistic. A first response before its ticket was created is refused.
//
// Quantiles are exact: the state keeps every answered ticket's time (8 bytes
// each) and merging appends them, so the result never depends on how the
// rows were chunked, split or merged.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_SUPPORT_FIRST_RESPONSE_TIME_H_
#define KPI_PLUGINS_SUPPORT_FIRST_RESPONSE_TIME_H_

#include <cstdint>
#include <vector>

#include "kpi/plugin.hpp"

namespace kpi::support {

// The values of first_response_time's "statistic" parameter, in the order
// of the rows of its "statistics" table.
inline constexpr const char* kResponseStatistics[] = {"mean", "median", "p90"};

class FirstResponseTime {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("created", KPI_TYPE_TIMESTAMP,
                  "When each ticket was created.")
          .Required(),
      sdk::Column("first_response", KPI_TYPE_TIMESTAMP,
                  "When each ticket first got a response from the team; not "
                  "before created. The open end for a ticket not answered "
                  "yet, which is left out.")
          .Required()};
  static constexpr auto kCreated =
      sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "created");
  static constexpr auto kFirstResponse =
      sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "first_response");
  // The host refuses a first response before its ticket was created.
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("first_response", "created")};

  static constexpr kpi_param_spec kParams[] = {
      sdk::StringParam("statistic", "mean",
                       "Which statistic is the value: \"mean\" (default), "
                       "\"median\" or \"p90\" (90th percentile, linear "
                       "interpolation). All three are in the table "
                       "\"statistics\".")
          .OneOf(kResponseStatistics)};
  static constexpr auto kStatistic =
      sdk::Param<KPI_TYPE_STRING>(kParams, "statistic");

  static constexpr sdk::MetricInfo kInfo{
      "first_response_time",
      "First response time: first_response - created per ticket, in "
      "seconds; the value is the mean (default), median or p90 by the "
      "statistic parameter, and the table \"statistics\" (columns "
      "statistic, seconds) holds all three. Percentiles interpolate "
      "linearly between order statistics (numpy's default, Hyndman-Fan type "
      "7). Tickets not answered yet (first_response at the open end) are "
      "left out and counted in a warning. Undefined when no ticket was "
      "answered.",
      "seconds"};

  // Declared examples, checked at load: ten tickets created at
  // 2024-01-01T00:00:00Z and answered after 60, 120, ..., 600 seconds, and
  // an eleventh not answered yet, which is left out: mean and median 330 s,
  // p90 546 s (the header's worked example). And no tickets.
  static constexpr int64_t kMidnight = 1704067200000000;  // us since epoch
  static constexpr int64_t kMinute = 60000000;
  static constexpr int64_t kCreatedAt[] = {
      kMidnight, kMidnight, kMidnight, kMidnight, kMidnight, kMidnight,
      kMidnight, kMidnight, kMidnight, kMidnight, kMidnight};
  static constexpr int64_t kAnswered[] = {kMidnight + 1 * kMinute,
                                          kMidnight + 2 * kMinute,
                                          kMidnight + 3 * kMinute,
                                          kMidnight + 4 * kMinute,
                                          kMidnight + 5 * kMinute,
                                          kMidnight + 6 * kMinute,
                                          kMidnight + 7 * kMinute,
                                          kMidnight + 8 * kMinute,
                                          kMidnight + 9 * kMinute,
                                          kMidnight + 10 * kMinute,
                                          INT64_MAX};
  static constexpr kpi_example_input kTickets[] = {
      sdk::ExampleTimestamps("created", kCreatedAt),
      sdk::ExampleTimestamps("first_response", kAnswered)};
  static constexpr kpi_example_param kMedian[] = {
      sdk::ExampleParam("statistic", sdk::StringValue("median"))};
  static constexpr kpi_example_param kP90[] = {
      sdk::ExampleParam("statistic", sdk::StringValue("p90"))};
  static constexpr kpi_example_input kNoTickets[] = {
      sdk::ExampleEmptyColumn("created", KPI_TYPE_TIMESTAMP),
      sdk::ExampleEmptyColumn("first_response", KPI_TYPE_TIMESTAMP)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("mean of 1 to 10 minutes", kTickets).Expect(330),
      sdk::Example("median", kTickets).Params(kMedian).Expect(330),
      sdk::Example("p90, interpolated", kTickets).Params(kP90).Expect(546),
      sdk::Example("no tickets", kNoTickets).ExpectUndefined()};

  explicit FirstResponseTime(const sdk::Params& params);

  // Keeps the response time of each answered ticket of the chunk and counts
  // the unanswered ones. Throws sdk::InvalidArgument, naming the row, when
  // a ticket's creation is the open end (the host has refused a first
  // response before its creation: kInputOrders).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const FirstResponseTime& other);
  // Value (the chosen statistic), sample size (answered tickets) and the
  // table "statistics"; undefined, without a table, when no ticket was
  // answered; a warning counting unanswered tickets.
  void Finalize(sdk::Result& result) const;

 private:
  // Index of the chosen statistic in kResponseStatistics.
  size_t statistic_index_ = 0;
  // Response time of each answered ticket, in microseconds, unordered.
  std::vector<int64_t> response_micros_;
  // Tickets without a first response.
  double unanswered_ = 0;
};

}  // namespace kpi::support

#endif  // KPI_PLUGINS_SUPPORT_FIRST_RESPONSE_TIME_H_
