// plugins/engagement/average_session_duration.h -- average session duration.
//
// average = total session time / sessions, in seconds. Three input forms:
//   - durations: one row per session, its length in `duration_seconds`;
//   - intervals: one row per session, its `start` and `end` instants (end
//     before start is refused; a session with the open end INT64_MAX, still
//     in progress, is left out and counted in a warning);
//   - aggregate: the totals `total_seconds` and `sessions`.
// The `include_zero_length` parameter says whether zero-length (bounced)
// sessions count in the denominator (default true, as Google Analytics
// counts them). Only the record forms can tell a zero-length session, so
// the parameter does not change the aggregate form, which takes `sessions`
// as given (a warning says so when it is false).
//
// The state is a few sums, so merging the states of segments adds them: the
// result is the average over the union of their sessions.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_ENGAGEMENT_AVERAGE_SESSION_DURATION_H_
#define KPI_PLUGINS_ENGAGEMENT_AVERAGE_SESSION_DURATION_H_

#include "kpi/plugin.hpp"

namespace kpi::engagement {

class AverageSessionDuration {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("duration_seconds", KPI_TYPE_DOUBLE,
                  "Length of each session, in seconds.")
          .Required()
          .Min(0)
          .Form("durations"),
      sdk::Column("start", KPI_TYPE_TIMESTAMP, "When each session started.")
          .Required()
          .Form("intervals"),
      sdk::Column("end", KPI_TYPE_TIMESTAMP,
                  "When each session ended; not before its start. The open "
                  "end (a session still in progress) leaves the session "
                  "out.")
          .Required()
          .Form("intervals"),
      sdk::Scalar("total_seconds", KPI_TYPE_DOUBLE,
                  "Total time of all sessions, in seconds.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("sessions", KPI_TYPE_INT64, "Number of sessions.")
          .Required()
          .Min(0)
          .Form("aggregate")};
  static constexpr auto kDurationSeconds =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "duration_seconds");
  static constexpr auto kStart =
      sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "start");
  static constexpr auto kEnd = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "end");
  // The host refuses a session that ends before it starts.
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("end", "start")};
  static constexpr auto kTotalSeconds =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "total_seconds");
  static constexpr auto kSessions =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "sessions");

  static constexpr kpi_param_spec kParams[] = {
      sdk::BoolParam("include_zero_length", true,
                     "Whether zero-length (bounced) sessions count in the "
                     "denominator. Record forms only: the aggregate form "
                     "takes sessions as given.")};
  static constexpr auto kIncludeZeroLength =
      sdk::Param<KPI_TYPE_BOOL>(kParams, "include_zero_length");

  static constexpr sdk::MetricInfo kInfo{
      "average_session_duration",
      "Average session duration: total session time / sessions, in "
      "seconds. From session lengths (duration_seconds), session start and "
      "end instants (start, end), or totals (total_seconds, sessions). "
      "include_zero_length (default true) says whether zero-length "
      "(bounced) sessions count in the denominator; only the record forms "
      "can apply it. Sessions still open (end at the open end) are left "
      "out, with a warning. Undefined when there are no sessions.",
      "seconds"};

  // Declared examples, checked at load: the catalog's 5-minute average as
  // session lengths, as start and end instants, and as totals; no sessions.
  static constexpr double kLengths[] = {240, 360, 300};
  static constexpr kpi_example_input kDurations[] = {
      sdk::ExampleInput("duration_seconds", kLengths)};
  // 2024-01-01T00:00:00Z and 4 and 6 minutes later.
  static constexpr int64_t kStarts[] = {1704067200000000, 1704067200000000};
  static constexpr int64_t kEnds[] = {1704067440000000, 1704067560000000};
  static constexpr kpi_example_input kIntervals[] = {
      sdk::ExampleTimestamps("start", kStarts),
      sdk::ExampleTimestamps("end", kEnds)};
  static constexpr double kTotal[] = {3000};
  static constexpr int64_t kTen[] = {10};
  static constexpr kpi_example_input kTotals[] = {
      sdk::ExampleInput("total_seconds", kTotal),
      sdk::ExampleInput("sessions", kTen)};
  static constexpr kpi_example_input kNoSessions[] = {
      sdk::ExampleEmptyColumn("duration_seconds", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("sessions of 4, 6 and 5 minutes", kDurations).Expect(300),
      sdk::Example("sessions from 0:00 to 0:04 and 0:06", kIntervals)
          .Expect(300),
      sdk::Example("3,000 seconds over 10 sessions", kTotals).Expect(300),
      sdk::Example("no sessions", kNoSessions).ExpectUndefined()};

  explicit AverageSessionDuration(const sdk::Params& params);

  // Adds the chunk's sessions (either record form) or totals (aggregate
  // form). Throws sdk::InvalidArgument when total_seconds is positive
  // while sessions is 0.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const AverageSessionDuration& other);
  // Value, ratio (total seconds, sessions) and sample size (sessions);
  // undefined when no session counts.
  void Finalize(sdk::Result& result) const;

 private:
  bool include_zero_length_;
  // Whether totals (the aggregate form) were added: the parameter cannot
  // apply to them.
  bool saw_totals_ = false;
  double total_seconds_ = 0;
  // Sessions of positive length (records) plus the aggregate `sessions`.
  double sessions_ = 0;
  // Zero-length sessions seen in records; in the denominator only when
  // include_zero_length_.
  double zero_length_ = 0;
  // Sessions of the intervals form still open, left out.
  double open_ = 0;
};

}  // namespace kpi::engagement

#endif  // KPI_PLUGINS_ENGAGEMENT_AVERAGE_SESSION_DURATION_H_
