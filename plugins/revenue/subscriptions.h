// plugins/revenue/subscriptions.h -- subscription records and the one
// mechanism every record-form revenue metric reads them with: each
// customer's MRR at one or two instants, exact and mergeable.
//
// A subscription record is five columns, declared with SubscriptionInput and
// read through the handles of FindSubscriptionInputs:
//   customer        KEY        the customer it belongs to
//   amount          DOUBLE     price per billing period, >= 0
//   billing_months  INT64      months per billing period, >= 1 (12: annual)
//   start, end      TIMESTAMP  active over [start, end); end INT64_MAX: open
// Its monthly-normalised revenue is amount / billing_months (a 2,000/year
// plan is 166.67 a month), counted at instant t when start <= t < end. A
// customer's MRR at t is the sum over their subscriptions active at t.
//
// The state is one entry per customer (by the host's key code), kept in
// exact arithmetic (money.h), so a customer's rows may be split across
// chunks and states in any way and the result is the same.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_SUBSCRIPTIONS_H_
#define KPI_PLUGINS_REVENUE_SUBSCRIPTIONS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"
#include "plugins/revenue/money.h"

namespace kpi::revenue {

// The columns of a subscription record.
enum SubscriptionColumn {
  kCustomer,
  kAmount,
  kBillingMonths,
  kStart,
  kEnd,
};

// The declaration of subscription column `column`, in input form `form`
// (nullptr when the metric has no forms). All five are required (within the
// form): billing_months in particular, since counting an annual price as
// monthly is the mistake this metric exists to avoid.
constexpr kpi_input_spec SubscriptionInput(SubscriptionColumn column,
                                           const char* form) {
  switch (column) {
    case kCustomer:
      return sdk::Column("customer", KPI_TYPE_KEY,
                         "Customer the subscription belongs to (not empty).")
          .Required()
          .Form(form);
    case kAmount:
      return sdk::Column("amount", KPI_TYPE_DOUBLE,
                         "Price per billing period, in the currency of the "
                         "result; its monthly revenue is amount / "
                         "billing_months.")
          .Required()
          .Min(0)
          .Max(kMaxAmount)
          .Form(form);
    case kBillingMonths:
      return sdk::Column("billing_months", KPI_TYPE_INT64,
                         "Months per billing period: 1 monthly, 3 quarterly, "
                         "12 annual.")
          .Required()
          .Min(1)
          .Form(form);
    case kStart:
      return sdk::Column("start", KPI_TYPE_TIMESTAMP,
                         "When the subscription becomes active (inclusive).")
          .Required()
          .Form(form);
    case kEnd:
      return sdk::Column("end", KPI_TYPE_TIMESTAMP,
                         "When it stops being active (exclusive); the largest "
                         "timestamp (INT64_MAX) while it is still active.")
          .Required()
          .Form(form);
  }
  return sdk::Column("", KPI_TYPE_STRING, "");
}

// A subscription ends at or after its start: the host refuses one that ends
// before (every metric reading subscriptions declares this order).
inline constexpr kpi_input_order kSubscriptionOrders[] = {
    sdk::NotBefore("end", "start")};

// Handles on the five subscription columns of a metric's inputs.
struct SubscriptionInputs {
  sdk::InputRef<KPI_TYPE_KEY> customer;
  sdk::InputRef<KPI_TYPE_DOUBLE> amount;
  sdk::InputRef<KPI_TYPE_INT64> billing_months;
  sdk::InputRef<KPI_TYPE_TIMESTAMP> start;
  sdk::InputRef<KPI_TYPE_TIMESTAMP> end;
};

// The handles of the subscription columns declared in `inputs`; compiles
// only where all five are declared with their types.
template <size_t N>
constexpr SubscriptionInputs FindSubscriptionInputs(
    const kpi_input_spec (&inputs)[N]) {
  return {sdk::Input<KPI_TYPE_KEY>(inputs, "customer"),
          sdk::Input<KPI_TYPE_DOUBLE>(inputs, "amount"),
          sdk::Input<KPI_TYPE_INT64>(inputs, "billing_months"),
          sdk::Input<KPI_TYPE_TIMESTAMP>(inputs, "start"),
          sdk::Input<KPI_TYPE_TIMESTAMP>(inputs, "end")};
}

// One customer's MRR, rounded, at the instants of a SubscriptionBook.
struct CustomerMrr {
  std::array<Nanos, 2> at{};
  // With history: whether the customer paid for a subscription active at
  // some instant before the first instant.
  bool paid_before = false;
};

// Per-customer MRR at one or two instants, read from subscription records.
class SubscriptionBook {
 public:
  // Measures MRR at `first` and, when `two_instants`, at `second` too. With
  // `track_history`, also records whether each customer paid before `first`
  // (a paid subscription whose start is before `first`): what tells a
  // reactivation from a new customer.
  // The records are read from `inputs`.
  SubscriptionBook(const SubscriptionInputs& inputs, int64_t first,
                   int64_t second, bool two_instants, bool track_history);

  // Whether `chunk` carries subscription records.
  bool In(const sdk::Chunk& chunk) const { return chunk.Has(inputs_.customer); }
  // Reads the subscription records of `chunk` (the host has refused any
  // that ends before it starts, kSubscriptionOrders, and any empty customer
  // id).
  void Add(const sdk::Chunk& chunk);
  // REQUIRES: `other` was made with the same instants and options.
  void Merge(const SubscriptionBook& other);

  // Every customer with MRR at an instant or (with history) a paid
  // subscription before the first, in code order (first appearance in the
  // call).
  std::vector<CustomerMrr> Customers() const;

 private:
  struct Entry {
    std::array<MonthlySum, 2> at;
    bool paid_before = false;
  };

  SubscriptionInputs inputs_;
  std::array<int64_t, 2> instants_;
  size_t num_instants_;
  bool track_history_;
  // Customers with MRR at an instant or (with history) paid before the
  // first; others are not kept.
  sdk::PerKey<Entry> customers_;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_SUBSCRIPTIONS_H_
