#include "plugins/revenue/contractual_clv.h"

#include <cmath>

namespace kpi::revenue {

ContractualClv::ContractualClv(const sdk::Params& /*params*/) {}

void ContractualClv::Update(const sdk::Chunk& chunk) {
  if (!chunk.Has(kMargin)) return;  // scalars arrive in the first chunk only
  if (present_) {
    throw sdk::InvalidArgument(
        "margin, retention and discount_rate were given twice");
  }
  present_ = true;
  margin_ = chunk.Doubles(kMargin)[0];
  retention_ = chunk.Doubles(kRetention)[0];
  discount_rate_ = chunk.Doubles(kDiscountRate)[0];
}

void ContractualClv::Merge(const ContractualClv& other) {
  if (!other.present_) return;
  if (present_) {
    throw sdk::InvalidArgument(
        "margin, retention and discount_rate were given twice: lifetime "
        "values of separate inputs cannot be merged");
  }
  *this = other;
}

void ContractualClv::Finalize(sdk::Result& result) const {
  // r <= 1 and i >= 0 (declared), so the denominator is >= 0, and 0 only
  // for r = 1, i = 0 (or an i too small to change 1 + i).
  if (!present_) {
    result.Undefined("margin, retention and discount_rate are missing");
    return;
  }
  const double denominator = (1 + discount_rate_) - retention_;
  if (denominator <= 0) {
    result.Undefined(
        "1 + discount_rate - retention is 0 (retention 1, discount_rate 0): "
        "a customer who never leaves, without discounting, has an unbounded "
        "lifetime value");
    return;
  }
  const double clv = margin_ * retention_ / denominator;
  if (!std::isfinite(clv)) {
    result.Undefined(
        "contractual CLV is too large to represent as a double: check margin "
        "and discount_rate");
    return;
  }
  result.Value(clv);
}

}  // namespace kpi::revenue
