#include "plugins/retention/repeat_purchase_rate.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin_records.hpp"
#include "kpi/plugin_text.hpp"
#include "plugins/retention/counts.h"

namespace kpi::retention {

RepeatPurchaseRate::RepeatPurchaseRate(const sdk::Params& params)
    : window_{"window_start", "window_end", params.Timestamp(kWindowStart),
              params.Timestamp(kWindowEnd)} {
  window_.CheckNotReversed();
}

RepeatPurchaseRate::Orders& RepeatPurchaseRate::AddOrder(std::string_view id,
                                                         const Orders& orders) {
  bool added = false;
  Orders& known = orders_.Add(id, orders, added);
  if (!added) {
    known.repeat = known.repeat || orders.repeat || orders.first != known.first;
  }
  return known;
}

void RepeatPurchaseRate::Update(const sdk::Chunk& chunk) {
  if (chunk.Has(kCustomer)) {
    window_.CheckNotEmpty();
    has_records_ = true;
    const sdk::View<kpi_string_view> ids = chunk.Strings(kCustomer);
    const sdk::View<int64_t> times = chunk.Timestamps(kTime);
    // The previous row's customer and entry: exports usually list a
    // customer's orders together, and those rows then skip the map lookup,
    // the cost of this loop.
    std::string_view previous_id;
    Orders* previous = nullptr;
    for (size_t row = 0; row < ids.size(); ++row) {
      const std::string_view customer =
          sdk::RequiredId(ids[row], "customer", "order");
      const int64_t time = times[row];
      if (!window_.Contains(time)) continue;
      if (previous != nullptr && customer == previous_id) {
        previous->repeat = previous->repeat || time != previous->first;
        continue;
      }
      previous = &AddOrder(customer, Orders{time, false});
      previous_id = customer;
    }
    return;
  }
  // Scalars arrive in the first chunk only; later chunks add 0.
  const int64_t repeat = ScalarCount(chunk, kRepeatCustomers);
  const int64_t customers = ScalarCount(chunk, kCustomers);
  if (repeat > customers) {
    throw sdk::InvalidArgument(
        "repeat_customers (" + sdk::FormatCount(repeat) +
        ") exceeds customers (" + sdk::FormatCount(customers) +
        "): repeat customers must be counted among the customers who "
        "ordered in the window");
  }
  repeat_customers_ += static_cast<double>(repeat);
  customers_ += static_cast<double>(customers);
}

void RepeatPurchaseRate::Merge(const RepeatPurchaseRate& other) {
  repeat_customers_ += other.repeat_customers_;
  customers_ += other.customers_;
  has_records_ = has_records_ || other.has_records_;
  for (const auto& [id, orders] : other.orders_.entries()) {
    AddOrder(id, orders);
  }
}

void RepeatPurchaseRate::Finalize(sdk::Result& result) const {
  // A request uses one form, so one of the two parts is empty.
  double repeat = repeat_customers_;
  for (const auto& [id, orders] : orders_.entries()) {
    repeat += orders.repeat ? 1 : 0;
  }
  const double customers = customers_ + static_cast<double>(orders_.size());
  result.SampleSize(customers);
  result.Rate(repeat, customers, 100.0,
              has_records_
                  ? "customers is 0: no order falls in the window " +
                        window_.Describe() +
                        "; repeat purchase rate is undefined without "
                        "customers who ordered"
                  : std::string("customers is 0: repeat purchase rate is "
                                "undefined without customers who ordered"));
}

}  // namespace kpi::retention
