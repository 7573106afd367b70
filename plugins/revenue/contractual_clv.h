// plugins/revenue/contractual_clv.h -- customer lifetime value of a
// contractual (subscription) customer with constant retention.
//
//   CLV = margin x r / (1 + i - r)
// with margin per period, retention r per period and discount rate i per
// period (Gupta & Lehmann 2003): the sum over t >= 1 of margin x r^t /
// (1 + i)^t, i.e. the customer pays at the end of each period they are
// retained into, and the margin of the period already paid for is not
// included. The variant margin x (1 + i) / (1 + i - r), seen in articles,
// adds that first margin: it is this value plus margin. Undefined when
// 1 + i - r is 0 (r = 1 and i = 0: a customer who never leaves, undiscounted,
// is worth an unbounded amount).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_CONTRACTUAL_CLV_H_
#define KPI_PLUGINS_REVENUE_CONTRACTUAL_CLV_H_

#include "kpi/plugin.hpp"
#include "plugins/revenue/examples.h"

namespace kpi::revenue {

class ContractualClv {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("margin", KPI_TYPE_DOUBLE,
                  "Margin per customer per period, in the currency of the "
                  "result.")
          .Required()
          .Min(0),
      sdk::Scalar("retention", KPI_TYPE_DOUBLE,
                  "Share of customers retained from one period to the next, "
                  "0..1.")
          .Required()
          .Min(0)
          .Max(1),
      sdk::Scalar("discount_rate", KPI_TYPE_DOUBLE,
                  "Discount rate per period (0.1 for 10%).")
          .Required()
          .Min(0)};
  static constexpr auto kMargin =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "margin");
  static constexpr auto kRetention =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "retention");
  static constexpr auto kDiscountRate =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "discount_rate");

  static constexpr sdk::MetricInfo kInfo{
      "contractual_clv",
      "Contractual customer lifetime value: margin x r / (1 + i - r) with "
      "retention r and discount rate i per period (margin received at the end "
      "of each period the customer is retained into; add margin for the "
      "variant that counts the current period). In the currency of margin. "
      "Undefined when r = 1 and i = 0.",
      "currency"};

  // Declared examples, checked at load: the catalog's worked example
  // (multiple 0.8 / 0.3) and a customer who never leaves, undiscounted.
  static constexpr double kOne[] = {1};
  static constexpr double kEightyPercent[] = {0.8};
  static constexpr double kTenPercent[] = {0.1};
  static constexpr double kZero[] = {0};
  static constexpr kpi_example_input kCatalogInputs[] = {
      sdk::ExampleInput("margin", kOne),
      sdk::ExampleInput("retention", kEightyPercent),
      sdk::ExampleInput("discount_rate", kTenPercent)};
  static constexpr kpi_example_input kForever[] = {
      sdk::ExampleInput("margin", kOne), sdk::ExampleInput("retention", kOne),
      sdk::ExampleInput("discount_rate", kZero)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("margin 1, r 0.8, i 0.1", kCatalogInputs)
          .Expect(8.0 / 3, 1e-12),
      sdk::Example("r 1, i 0: unbounded", kForever).ExpectUndefined()};

  explicit ContractualClv(const sdk::Params& params);

  // Takes the chunk's scalars (first chunk only).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric. Throws
  // sdk::InvalidArgument when both carry the scalars (a lifetime value
  // cannot be summed).
  void Merge(const ContractualClv& other);
  // Value; undefined when 1 + i - r is 0 or the value overflows.
  void Finalize(sdk::Result& result) const;

 private:
  bool present_ = false;
  double margin_ = 0;
  double retention_ = 0;
  double discount_rate_ = 0;
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_CONTRACTUAL_CLV_H_
