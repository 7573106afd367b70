#include "plugins/revenue/revenue_churn.h"

#include <cmath>
#include <sstream>

#include "plugins/revenue/money.h"

namespace kpi::revenue {

RevenueChurn::RevenueChurn(Kind kind, const sdk::Params& params,
                           size_t first_subscription_input)
    : kind_(kind),
      first_subscription_input_(first_subscription_input),
      book_(
          Period{params.Timestamp(kPeriodStart), params.Timestamp(kPeriodEnd)},
          first_subscription_input) {}

void RevenueChurn::Update(const sdk::Chunk& chunk) {
  if (chunk.Has(kMrrAtStart)) {
    // The aggregate form; its scalars arrive in the first chunk only.
    const double start = chunk.Doubles(kMrrAtStart)[0];
    const double churned = chunk.Doubles(kChurnedMrr)[0];
    const double contraction = chunk.Doubles(kContractionMrr)[0];
    // Both come out of the MRR at the start. A relative slack of 1e-9
    // forgives totals the caller summed in floating point.
    if (churned + contraction > start * (1 + 1e-9)) {
      std::ostringstream message;
      message.precision(15);
      message << "churned_mrr + contraction_mrr (" << churned << " + "
              << contraction << ") exceeds mrr_at_start (" << start
              << "): churn and contraction are losses of the MRR at the "
                 "start of the period; MRR of customers who joined in the "
                 "period belongs to neither";
      throw sdk::InvalidArgument(message.str());
    }
    aggregate_ = true;
    mrr_at_start_ += start;
    churned_ += churned;
    contraction_ += contraction;
    if (kind_ == Kind::kNet) {
      expansion_ += chunk.Doubles(kExpansionMrr)[0];
      if (chunk.Has(kReactivationMrr)) {
        reactivation_ += chunk.Doubles(kReactivationMrr)[0];
      }
    }
  } else if (chunk.Has(first_subscription_input_)) {
    book_.Add(chunk);
  }
}

void RevenueChurn::Merge(const RevenueChurn& other) {
  aggregate_ = aggregate_ || other.aggregate_;
  mrr_at_start_ += other.mrr_at_start_;
  churned_ += other.churned_;
  contraction_ += other.contraction_;
  expansion_ += other.expansion_;
  reactivation_ += other.reactivation_;
  book_.Merge(other.book_);
}

void RevenueChurn::Finalize(sdk::Result& result) const {
  double numerator;
  double denominator;
  if (aggregate_) {
    numerator = churned_ + contraction_;
    if (kind_ == Kind::kNet) numerator -= expansion_ + reactivation_;
    denominator = mrr_at_start_;
  } else {
    // Exact in nanounits; one conversion to double per number.
    const MrrMovements m = book_.Compute();
    Nanos lost = m.mrr[kChurn] + m.mrr[kContraction];
    if (kind_ == Kind::kNet) {
      lost -= m.mrr[kExpansion] + m.mrr[kReactivation];
    }
    numerator = ToDouble(lost);
    denominator = ToDouble(m.mrr[kStarting]);
    result.SampleSize(static_cast<double>(m.customers[kStarting]));
  }
  // Aggregate totals are unbounded doubles: expansion_mrr near the largest
  // double over a tiny mrr_at_start would overflow.
  if (!std::isfinite(numerator) ||
      (denominator != 0 && !std::isfinite(numerator / denominator * 100.0))) {
    result.Undefined(
        "revenue churn is too large to represent as a double: check the "
        "MRR totals");
    return;
  }
  result.Rate(numerator, denominator, 100.0,
              aggregate_ ? "mrr_at_start is 0: revenue churn is undefined "
                           "without MRR at the start of the period"
                         : "no MRR at period_start (no paid subscription "
                           "active then): revenue churn is undefined without "
                           "MRR at the start of the period");
}

}  // namespace kpi::revenue
