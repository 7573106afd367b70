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
  enum Input { kTicketsResolved, kTicketsOpened, kOpened, kResolved };
  enum Param { kPeriodStart, kPeriodEnd };

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

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("period_start", 0,
                          "Start of the period, inclusive (records form).")
          .Required("records"),
      sdk::TimestampParam("period_end", 0,
                          "End of the period, exclusive (records form): "
                          "tickets resolved before it count as resolved.")
          .Required("records")};

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

  // Throws sdk::InvalidArgument when period_end is before period_start.
  explicit TicketResolutionRate(const sdk::Params& params);

  // Adds the chunk's totals (aggregate form) or counts its tickets opened in
  // the period (records form). Throws sdk::InvalidArgument, naming the row
  // and its instants, when a ticket is resolved before it was opened or
  // opened at the open end.
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
