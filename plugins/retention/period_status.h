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
// The state is one pair of flags per customer (by the host's key code) seen
// active at either instant, so it is exact whatever way a customer's
// subscriptions are split across chunks and states: merging ORs the flags of
// the same customer.
//
// Thread safety: calls on one object must be serialised; distinct objects
// are independent.
#ifndef KPI_PLUGINS_RETENTION_PERIOD_STATUS_H_
#define KPI_PLUGINS_RETENTION_PERIOD_STATUS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"
#include "plugins/retention/records.h"

namespace kpi::retention {

// The records form of churn_rate and retention_rate: its subscription
// columns, in form "records", and its period start.
namespace subscription_records {

inline constexpr kpi_input_spec kCustomer =
    sdk::Column("customer", KPI_TYPE_KEY,
                "Customer id of each subscription; a customer may have "
                "several.")
        .Required()
        .Form("records");
inline constexpr kpi_input_spec kStart =
    sdk::Column("start", KPI_TYPE_TIMESTAMP,
                "When the subscription became active (inclusive).")
        .Required()
        .Form("records");
inline constexpr kpi_input_spec kEnd =
    sdk::Column("end", KPI_TYPE_TIMESTAMP,
                "When it stopped being active (exclusive); the largest "
                "int64 for a subscription still active.")
        .Required()
        .Form("records");
inline constexpr kpi_param_spec kPeriodStart =
    sdk::TimestampParam("period_start", 0,
                        "Start of the period (records form): S is the "
                        "customers with a subscription active then.")
        .Required("records");

// A subscription ends at or after its start: the host refuses one that
// ends before.
inline constexpr kpi_input_order kInputOrders[] = {
    sdk::NotBefore("end", "start")};

}  // namespace subscription_records

// Handles on the subscription columns of a metric's inputs.
struct SubscriptionInputs {
  sdk::InputRef<KPI_TYPE_KEY> customer;
  sdk::InputRef<KPI_TYPE_TIMESTAMP> start;
  sdk::InputRef<KPI_TYPE_TIMESTAMP> end;
};

// The handles of the subscription columns declared in `inputs`.
template <size_t N>
constexpr SubscriptionInputs FindSubscriptionInputs(
    const kpi_input_spec (&inputs)[N]) {
  return {sdk::Input<KPI_TYPE_KEY>(inputs, "customer"),
          sdk::Input<KPI_TYPE_TIMESTAMP>(inputs, "start"),
          sdk::Input<KPI_TYPE_TIMESTAMP>(inputs, "end")};
}

class PeriodStatus {
 public:
  // Distinct customers at the two instants; whole numbers kept as double,
  // like the aggregate forms' counts.
  struct Counts {
    double at_start = 0;  // S
    double at_end = 0;    // E
    double retained = 0;  // in S and in E
  };

  // Reads subscriptions from `inputs`; `period` names the parameters it
  // came from. Throws sdk::InvalidArgument when the period ends before it
  // starts.
  PeriodStatus(const SubscriptionInputs& inputs, const TimeRange& period);

  // Whether `chunk` carries subscriptions.
  bool In(const sdk::Chunk& chunk) const { return chunk.Has(inputs_.customer); }
  // Adds the subscriptions of `chunk` (the host has refused any that ends
  // before it starts, and any empty customer id). Throws
  // sdk::InvalidArgument when the period is empty.
  void Add(const sdk::Chunk& chunk);
  // REQUIRES: `other` covers the same period.
  void Merge(const PeriodStatus& other);

  // Whether any record has been added (to this state or a merged one).
  bool has_records() const { return has_records_; }
  const TimeRange& period() const { return period_; }
  Counts Count() const;

 private:
  static constexpr uint8_t kAtStart = 1;
  static constexpr uint8_t kAtEnd = 2;

  SubscriptionInputs inputs_;
  TimeRange period_;
  bool has_records_ = false;
  // kAtStart | kAtEnd per customer active at period_start and/or
  // period_end; customers active at neither are not kept.
  sdk::PerKey<uint8_t> flags_;
};

// Why a rate over S is undefined when S is 0, e.g. for `rate` "churn rate":
// "customers_at_start is 0: ..." and, when `records` has records, that no
// subscription is active at period_start.
std::string NoCustomersAtStartReason(const PeriodStatus& records,
                                     std::string_view rate);

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_PERIOD_STATUS_H_
