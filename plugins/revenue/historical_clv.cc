#include "plugins/revenue/historical_clv.h"

#include <algorithm>
#include <cmath>

#include "kpi/plugin_text.hpp"
#include "plugins/revenue/records.h"

namespace kpi::revenue {

HistoricalClv::HistoricalClv(const sdk::Params& params)
    : lifespan_years_(params.Double(kLifespanYears)),
      gross_margin_(params.Double(kGrossMargin)) {}

void HistoricalClv::Update(const sdk::Chunk& chunk) {
  if (chunk.Has(kAveragePurchaseValue)) {
    // The aggregate form; its scalars arrive in the first chunk only.
    if (aggregate_) {
      throw sdk::InvalidArgument(
          "average_purchase_value and purchase_frequency were given twice");
    }
    aggregate_ = true;
    average_purchase_value_ = chunk.Doubles(kAveragePurchaseValue)[0];
    purchase_frequency_ = chunk.Doubles(kPurchaseFrequency)[0];
    return;
  }
  const sdk::KeyColumn customers = chunk.Keys(kCustomer);
  const sdk::View<int64_t> times = chunk.Timestamps(kTime);
  const sdk::View<double> amounts = chunk.Doubles(kAmount);
  // Room for every key of the call so far (codes only grow).
  if (bought_.size() < customers.keys.size()) {
    bought_.resize(customers.keys.size(), 0);
  }
  for (size_t row = 0; row < chunk.rows(); ++row) {
    uint8_t& bought = bought_.at(static_cast<size_t>(customers.codes[row]));
    customers_ += bought == 0 ? 1 : 0;
    bought = 1;
    first_time_ = std::min(first_time_, times[row]);
    last_time_ = std::max(last_time_, times[row]);
    revenue_ += ToNanos(amounts[row]);
  }
  transactions_ += static_cast<double>(chunk.rows());
}

void HistoricalClv::Merge(const HistoricalClv& other) {
  if (other.aggregate_) {
    if (aggregate_) {
      throw sdk::InvalidArgument(
          "average_purchase_value and purchase_frequency were given twice: "
          "lifetime values of separate totals cannot be merged");
    }
    aggregate_ = true;
    average_purchase_value_ = other.average_purchase_value_;
    purchase_frequency_ = other.purchase_frequency_;
  }
  transactions_ += other.transactions_;
  revenue_ += other.revenue_;
  first_time_ = std::min(first_time_, other.first_time_);
  last_time_ = std::max(last_time_, other.last_time_);
  // The states of a call share its key codes.
  if (bought_.size() < other.bought_.size()) {
    bought_.resize(other.bought_.size(), 0);
  }
  for (size_t code = 0; code < other.bought_.size(); ++code) {
    if (other.bought_[code] == 0 || bought_[code] != 0) continue;
    bought_[code] = 1;
    ++customers_;
  }
}

void HistoricalClv::Finalize(sdk::Result& result) const {
  double average_purchase_value = average_purchase_value_;
  double purchase_frequency = purchase_frequency_;
  if (!aggregate_) {
    const double customers = static_cast<double>(customers_);
    result.SampleSize(customers);
    if (transactions_ == 0) {
      result.Undefined(
          "no transactions: historical CLV is undefined without purchases");
      return;
    }
    if (first_time_ == last_time_) {
      result.Undefined(
          "every transaction is at the same time (" +
          sdk::FormatInstant(first_time_) +
          "): purchase frequency per year is undefined without an observed "
          "span; give transactions at two different times or use the "
          "aggregate form");
      return;
    }
    // The span in years. long double holds any int64 exactly, so the
    // difference cannot overflow.
    const double years = static_cast<double>(
        (static_cast<long double>(last_time_) - first_time_) / kMicrosPerYear);
    average_purchase_value = ToDouble(revenue_) / transactions_;
    purchase_frequency = transactions_ / customers / years;
  }
  const double clv = average_purchase_value * purchase_frequency *
                     lifespan_years_ * gross_margin_;
  if (!std::isfinite(clv)) {
    result.Undefined(
        "historical CLV is too large to represent as a double: check "
        "lifespan_years and the purchase values and frequency");
    return;
  }
  result.Value(clv);
}

}  // namespace kpi::revenue
