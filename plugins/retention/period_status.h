// plugins/retention/period_status.h -- which customers were active at the
// start and at the end of a period, from subscription records: the state of
// the record forms of churn_rate and retention_rate.
//
// A record is one subscription: (customer, start, end), active on the
// half-open range [start, end); end = INT64_MAX is a subscription still
// active. A customer is active at instant t when any of their subscriptions
// is (start <= t < end). Over a period from period_start to period_end:
//   S (at_start) = customers active at period_start,
//   E (at_end)   = customers active at period_end,
//   retained     = customers active at both,
// so lost = S - retained (churn) and new = E - retained: customers active at
// the end but not at the start, whether first-time or returning. A
// subscription ending exactly at period_end is not active then: its
// customer (if in S and with no other subscription) is lost in this period.
// A customer who joined and left between the two instants is in neither S
// nor E.
//
// The state is one pair of flags per customer seen active at either instant,
// so it is exact whatever way a customer's subscriptions are split across
// chunks and states: merging ORs the flags of the same customer.
//
// Thread safety: calls on one object must be serialised; distinct objects
// are independent.
#ifndef KPI_PLUGINS_RETENTION_PERIOD_STATUS_H_
#define KPI_PLUGINS_RETENTION_PERIOD_STATUS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kpi/plugin.hpp"
#include "plugins/retention/records.h"

namespace kpi::retention {

class PeriodStatus {
 public:
  // Distinct customers at the two instants; whole numbers kept as double,
  // like the aggregate forms' counts.
  struct Counts {
    double at_start = 0;  // S
    double at_end = 0;    // E
    double retained = 0;  // in S and in E
  };

  // `period` names the parameters it came from. Throws sdk::InvalidArgument
  // when the period ends before it starts.
  explicit PeriodStatus(const TimeRange& period);

  // Adds the subscriptions of `chunk`: inputs `customer` (STRING), `start`
  // and `end` (TIMESTAMP). Throws sdk::InvalidArgument, naming the customer,
  // for a subscription that ends before it starts, and when the period is
  // empty.
  void Add(const sdk::Chunk& chunk, sdk::InputRef<KPI_TYPE_STRING> customer,
           sdk::InputRef<KPI_TYPE_TIMESTAMP> start,
           sdk::InputRef<KPI_TYPE_TIMESTAMP> end);
  // REQUIRES: `other` covers the same period.
  void Merge(const PeriodStatus& other);

  // Whether any record has been added (to this state or a merged one).
  bool has_records() const { return has_records_; }
  const TimeRange& period() const { return period_; }
  Counts Count() const;

 private:
  static constexpr uint8_t kAtStart = 1;
  static constexpr uint8_t kAtEnd = 2;

  TimeRange period_;
  bool has_records_ = false;
  // Customers active at period_start and/or period_end; customers active at
  // neither are not kept.
  std::unordered_map<std::string, uint8_t> flags_;
};

// Why a rate over S is undefined when S is 0, e.g. for `rate` "churn rate":
// "customers_at_start is 0: ..." and, when `records` has records, that no
// subscription is active at period_start.
std::string NoCustomersAtStartReason(const PeriodStatus& records,
                                     std::string_view rate);

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_PERIOD_STATUS_H_
