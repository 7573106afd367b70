// plugins/support/ticket_resolution_rate.h -- ticket resolution rate.
//
// resolution rate = tickets resolved / tickets opened in the period x 100, in
// %. Two input forms:
//   - aggregate: the totals `tickets_resolved` and `tickets_opened` of a
//     period. Resolutions in a period may include tickets opened before it,
//     so the rate can exceed 100%: a warning, not an error.
//   - records: one row per ticket, `opened` and `resolved` (the open end,
//     INT64_MAX, while unresolved), with the period [period_start,
//     period_end) as parameters. The denominator is the tickets opened in
//     the period; the numerator those of them resolved before period_end.
//     Tickets opened outside the period are ignored, so the rate is a
//     cohort's and cannot exceed 100%.
// The period is half-open, so consecutive periods share no instant: a ticket
// resolved exactly at period_end is resolved in the next period.
//
// The state is two counts, so merging the states of segments adds them.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_SUPPORT_TICKET_RESOLUTION_RATE_H_
#define KPI_PLUGINS_SUPPORT_TICKET_RESOLUTION_RATE_H_

#include <cstdint>

#include "kpi/plugin.hpp"

namespace kpi::support {

class TicketResolutionRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("tickets_resolved", KPI_TYPE_INT64,
                  "Tickets resolved in the period.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("tickets_opened", KPI_TYPE_INT64,
                  "Tickets opened in the period.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Column("opened", KPI_TYPE_TIMESTAMP, "When each ticket was opened.")
          .Required()
          .Form("records"),
      sdk::Column("resolved", KPI_TYPE_TIMESTAMP,
                  "When each ticket was resolved, not before it was opened; "
                  "the open end while unresolved.")
          .Required()
          .Form("records")};
  static constexpr auto kTicketsResolved =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "tickets_resolved");
  static constexpr auto kTicketsOpened =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "tickets_opened");
  static constexpr auto kOpened =
      sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "opened");
  static constexpr auto kResolved =
      sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "resolved");
  // The host refuses a resolution before its ticket was opened.
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("resolved", "opened")};

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("period_start", 0,
                          "Start of the period, inclusive (records form).")
          .Required("records"),
      sdk::TimestampParam("period_end", 0,
                          "End of the period, exclusive (records form): "
                          "tickets resolved before it count as resolved.")
          .Required("records")};
  static constexpr auto kPeriodStart =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_start");
  static constexpr auto kPeriodEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_end");

  static constexpr sdk::MetricInfo kInfo{
      "ticket_resolution_rate",
      "Ticket resolution rate: tickets resolved / tickets opened in the "
      "period x 100, in %. From totals (tickets_resolved, tickets_opened; a "
      "warning when more were resolved than opened) or from ticket rows "
      "(opened, resolved -- the open end while unresolved) with the period "
      "[period_start, period_end): tickets opened in the period and "
      "resolved before period_end / tickets opened in the period. "
      "Undefined when no ticket was opened.",
      "%"};

  // Declared examples, checked at load: totals; January 2024's tickets
  // (opened / resolved): 01-02 / 01-03 and 01-05 / 01-06 resolved; 01-10 /
  // open and 01-20 / 02-01 (at period_end: next period's) not; 2023-12-30
  // / 01-02 opened before the period, ignored. And no tickets.
  static constexpr int64_t kFortyFive[] = {45};
  static constexpr int64_t kFifty[] = {50};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kTotals[] = {
      sdk::ExampleInput("tickets_resolved", kFortyFive),
      sdk::ExampleInput("tickets_opened", kFifty)};
  // Microseconds since the epoch, UTC.
  static constexpr int64_t kDec30th2023 = 1703894400000000;
  static constexpr int64_t kJan1st = 1704067200000000;
  static constexpr int64_t kJan2nd = 1704153600000000;
  static constexpr int64_t kJan3rd = 1704240000000000;
  static constexpr int64_t kJan5th = 1704412800000000;
  static constexpr int64_t kJan6th = 1704499200000000;
  static constexpr int64_t kJan10th = 1704844800000000;
  static constexpr int64_t kJan20th = 1705708800000000;
  static constexpr int64_t kFeb1st = 1706745600000000;
  static constexpr int64_t kOpenedAt[] = {kJan2nd, kJan5th, kJan10th, kJan20th,
                                          kDec30th2023};
  static constexpr int64_t kResolvedAt[] = {kJan3rd, kJan6th, INT64_MAX,
                                            kFeb1st, kJan2nd};
  static constexpr kpi_example_input kTickets[] = {
      sdk::ExampleTimestamps("opened", kOpenedAt),
      sdk::ExampleTimestamps("resolved", kResolvedAt)};
  static constexpr kpi_example_param kJanuary[] = {
      sdk::ExampleParam("period_start", sdk::TimestampValue(kJan1st)),
      sdk::ExampleParam("period_end", sdk::TimestampValue(kFeb1st))};
  static constexpr kpi_example_input kNoTickets[] = {
      sdk::ExampleInput("tickets_resolved", kNone),
      sdk::ExampleInput("tickets_opened", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("45 of 50 resolved", kTotals).Expect(90),
      sdk::Example("January: 2 of 4 resolved", kTickets)
          .Params(kJanuary)
          .Expect(50),
      sdk::Example("no tickets", kNoTickets).ExpectUndefined()};

  // Throws sdk::InvalidArgument when period_end is before period_start.
  explicit TicketResolutionRate(const sdk::Params& params);

  // Adds the chunk's totals (aggregate form) or counts its tickets opened in
  // the period (records form). Throws sdk::InvalidArgument, naming the row,
  // for a ticket opened at the open end.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const TicketResolutionRate& other);
  // Value, ratio (resolved, opened) and sample size (opened); undefined when
  // no ticket was opened; a warning when more were resolved than opened.
  void Finalize(sdk::Result& result) const;

 private:
  int64_t period_start_;
  int64_t period_end_;
  // Sums of whole numbers, kept as double.
  double resolved_ = 0;
  double opened_ = 0;
};

}  // namespace kpi::support

#endif  // KPI_PLUGINS_SUPPORT_TICKET_RESOLUTION_RATE_H_
