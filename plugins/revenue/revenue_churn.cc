#include "plugins/revenue/revenue_churn.h"

#include <cmath>

#include "kpi/plugin_text.hpp"
#include "plugins/revenue/money.h"

namespace kpi::revenue {

RevenueChurn::RevenueChurn(const RevenueChurnHandles& handles,
                           const sdk::Params& params)
    : handles_(handles),
      book_(handles.subscriptions,
            Period{params.Timestamp(handles.period_start),
                   params.Timestamp(handles.period_end)}) {}

void RevenueChurn::Update(const sdk::Chunk& chunk) {
  if (chunk.Has(handles_.mrr_at_start)) {
    // The aggregate form; its scalars arrive in the first chunk only.
    const double start = chunk.Doubles(handles_.mrr_at_start)[0];
    const double churned = chunk.Doubles(handles_.churned_mrr)[0];
    const double contraction = chunk.Doubles(handles_.contraction_mrr)[0];
    // Both come out of the MRR at the start. A relative slack of 1e-9
    // forgives totals the caller summed in floating point.
    if (churned + contraction > start * (1 + 1e-9)) {
      throw sdk::InvalidArgument(
          "churned_mrr + contraction_mrr (" + sdk::FormatNumber(churned) +
          " + " + sdk::FormatNumber(contraction) + ") exceeds mrr_at_start (" +
          sdk::FormatNumber(start) +
          "): churn and contraction are losses of the MRR at the start of the "
          "period; MRR of customers who joined in the period belongs to "
          "neither");
    }
    aggregate_ = true;
    mrr_at_start_ += start;
    churned_ += churned;
    contraction_ += contraction;
    if (handles_.expansion_mrr) {
      expansion_ += chunk.Doubles(*handles_.expansion_mrr)[0];
    }
    if (handles_.reactivation_mrr && chunk.Has(*handles_.reactivation_mrr)) {
      reactivation_ += chunk.Doubles(*handles_.reactivation_mrr)[0];
    }
  } else if (book_.In(chunk)) {
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
    if (Net()) numerator -= expansion_ + reactivation_;
    denominator = mrr_at_start_;
  } else {
    // Exact in nanounits; one conversion to double per number.
    const MrrMovements m = book_.Compute();
    Nanos lost = m.mrr[kChurn] + m.mrr[kContraction];
    if (Net()) {
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
