#include "plugins/retention/repeat_purchase_rate.h"

#include <cstdint>
#include <stdexcept>
#include <string>

#include "kpi/plugin_text.hpp"
#include "plugins/retention/counts.h"

namespace kpi::retention {

RepeatPurchaseRate::RepeatPurchaseRate(const sdk::Params& params)
    : window_{"window_start", "window_end", params.Timestamp(kWindowStart),
              params.Timestamp(kWindowEnd)} {
  window_.CheckNotReversed();
}

void RepeatPurchaseRate::Update(const sdk::Chunk& chunk) {
  if (chunk.Has(kCustomer)) {
    window_.CheckNotEmpty();
    has_records_ = true;
    const sdk::KeyColumn customers = chunk.Keys(kCustomer);
    const sdk::View<int64_t> times = chunk.Timestamps(kTime);
    orders_.Track(customers);
    if (customers.codes.size() != times.size()) {
      throw std::logic_error("customer and time differ in length");
    }
    const int32_t* code = customers.codes.begin();
    for (const int64_t time : times) {
      const int32_t customer = *code++;
      if (!window_.Contains(time)) continue;
      bool added = false;
      Orders& orders = orders_.At(customer, added);
      if (added) {
        orders.first = time;
      } else {
        orders.repeat = orders.repeat || time != orders.first;
      }
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
  orders_.Merge(other.orders_, [](Orders& mine, const Orders& theirs) {
    mine.repeat = mine.repeat || theirs.repeat || theirs.first != mine.first;
  });
}

void RepeatPurchaseRate::Finalize(sdk::Result& result) const {
  // A request uses one form, so one of the two parts is empty.
  double repeat = repeat_customers_;
  orders_.ForEach([&repeat](int32_t, const Orders& orders) {
    repeat += orders.repeat ? 1 : 0;
  });
  const double customers = customers_ + static_cast<double>(orders_.count());
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
