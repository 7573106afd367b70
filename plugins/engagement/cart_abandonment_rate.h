// plugins/engagement/cart_abandonment_rate.h -- cart abandonment rate.
//
// cart abandonment = abandoned carts / (abandoned carts + completed orders)
// x 100, in %: the share of carts started that were not bought. Two input
// forms:
//   - aggregate: the totals `abandoned_carts` and `completed_orders`;
//   - records: one row per cart, its `cart_status` "abandoned" or
//     "completed" (any other value is refused, quoted in the message).
// Not abandoned / completed (which exceeds 100% as soon as most carts are
// abandoned): completed orders are in the denominator.
//
// The state is two counts, so merging the states of segments adds them.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_ENGAGEMENT_CART_ABANDONMENT_RATE_H_
#define KPI_PLUGINS_ENGAGEMENT_CART_ABANDONMENT_RATE_H_

#include "kpi/plugin.hpp"

namespace kpi::engagement {

class CartAbandonmentRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("abandoned_carts", KPI_TYPE_INT64,
                  "Carts started but not bought.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("completed_orders", KPI_TYPE_INT64,
                  "Carts bought (orders completed).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Column("cart_status", KPI_TYPE_STRING,
                  "The outcome of each cart: \"abandoned\" or "
                  "\"completed\".")
          .Required()
          .Form("records")};
  static constexpr auto kAbandonedCarts =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "abandoned_carts");
  static constexpr auto kCompletedOrders =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "completed_orders");
  static constexpr auto kCartStatus =
      sdk::Input<KPI_TYPE_STRING>(kInputs, "cart_status");

  static constexpr sdk::MetricInfo kInfo{
      "cart_abandonment_rate",
      "Cart abandonment rate: abandoned carts / (abandoned carts + "
      "completed orders) x 100, in %. From totals (abandoned_carts, "
      "completed_orders) or one row per cart (cart_status \"abandoned\" or "
      "\"completed\"). Not abandoned / completed. Undefined when there are "
      "no carts.",
      "%"};

  // Declared examples, checked at load: totals (70 abandoned, 30 bought:
  // 70%, not 70 / 30); one row per cart; no carts.
  static constexpr int64_t kSeventy[] = {70};
  static constexpr int64_t kThirty[] = {30};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kTotals[] = {
      sdk::ExampleInput("abandoned_carts", kSeventy),
      sdk::ExampleInput("completed_orders", kThirty)};
  static constexpr kpi_string_view kOutcomes[] = {
      sdk::Str("abandoned"), sdk::Str("completed"), sdk::Str("abandoned"),
      sdk::Str("abandoned")};
  static constexpr kpi_example_input kCarts[] = {
      sdk::ExampleInput("cart_status", kOutcomes)};
  static constexpr kpi_example_input kNoCarts[] = {
      sdk::ExampleInput("abandoned_carts", kNone),
      sdk::ExampleInput("completed_orders", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("70 abandoned, 30 bought", kTotals).Expect(70),
      sdk::Example("3 of 4 carts abandoned", kCarts).Expect(75),
      sdk::Example("no carts", kNoCarts).ExpectUndefined()};

  explicit CartAbandonmentRate(const sdk::Params& params);

  // Adds the chunk's totals (aggregate form) or carts (records form).
  // Throws sdk::InvalidArgument, quoting the value and naming its row, for
  // a cart_status other than "abandoned" and "completed".
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric.
  void Merge(const CartAbandonmentRate& other);
  // Value, ratio (abandoned, carts) and sample size (carts); undefined when
  // there are no carts.
  void Finalize(sdk::Result& result) const;

 private:
  // Sums of whole numbers, kept as double.
  double abandoned_ = 0;
  double completed_ = 0;
};

}  // namespace kpi::engagement

#endif  // KPI_PLUGINS_ENGAGEMENT_CART_ABANDONMENT_RATE_H_
