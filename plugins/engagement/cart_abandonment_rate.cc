#include "plugins/engagement/cart_abandonment_rate.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "kpi/plugin_text.hpp"

namespace kpi::engagement {

CartAbandonmentRate::CartAbandonmentRate(const sdk::Params& /*params*/) {}

void CartAbandonmentRate::Update(const sdk::Chunk& chunk) {
  // Aggregate form: the totals, in the first chunk only.
  abandoned_ += chunk.ScalarOr(kAbandonedCarts, 0);
  completed_ += chunk.ScalarOr(kCompletedOrders, 0);
  // Records form: one row per cart.
  const sdk::View<kpi_string_view> statuses = chunk.Strings(kCartStatus);
  for (size_t i = 0; i < statuses.size(); ++i) {
    const std::string_view status(statuses[i].data, statuses[i].size);
    if (status == "abandoned") {
      abandoned_ += 1;
    } else if (status == "completed") {
      completed_ += 1;
    } else {
      throw sdk::InvalidArgument("input 'cart_status' row " +
                                 sdk::FormatCount(static_cast<int64_t>(i)) +
                                 " of the chunk: " + sdk::Quote(status) +
                                 " is neither \"abandoned\" nor \"completed\"");
    }
  }
}

void CartAbandonmentRate::Merge(const CartAbandonmentRate& other) {
  abandoned_ += other.abandoned_;
  completed_ += other.completed_;
}

void CartAbandonmentRate::Finalize(sdk::Result& result) const {
  const double carts = abandoned_ + completed_;
  result.SampleSize(carts);
  result.Rate(abandoned_, carts, 100.0,
              "abandoned_carts + completed_orders is 0: cart abandonment "
              "rate is undefined without carts");
}

}  // namespace kpi::engagement
