#include "plugins/predictive/purchase_histories.h"

#include <algorithm>

namespace kpi::predictive {

void PurchaseHistories::Add(const sdk::KeyColumn& customers,
                            sdk::View<int64_t> times,
                            sdk::View<double> amounts) {
  purchases_.Track(customers);
  for (size_t row = 0; row < customers.codes.size(); ++row) {
    if (times[row] > calibration_end_) {
      ++later_purchases_;
      continue;
    }
    bool added = false;
    purchases_.At(customers.codes[row], added)
        .push_back({times[row], amounts.empty() ? 0.0 : amounts[row]});
  }
}

void PurchaseHistories::Merge(const PurchaseHistories& other) {
  purchases_.Merge(other.purchases_, [](std::vector<Purchase>& mine,
                                        const std::vector<Purchase>& theirs) {
    mine.insert(mine.end(), theirs.begin(), theirs.end());
  });
  later_purchases_ += other.later_purchases_;
}

std::vector<SummarizedCustomer> PurchaseHistories::Summaries(
    double unit_micros) const {
  std::vector<SummarizedCustomer> customers;
  customers.reserve(purchases_.count());
  std::vector<Purchase> scratch;
  purchases_.ForEach([&](int32_t code, const std::vector<Purchase>& bought) {
    scratch.assign(bought.begin(), bought.end());
    // Every kept purchase is by the calibration end, so there is a summary.
    customers.push_back({purchases_.Text(code),
                         *Summarize(scratch, calibration_end_, unit_micros)});
  });
  std::sort(customers.begin(), customers.end(),
            [](const SummarizedCustomer& a, const SummarizedCustomer& b) {
              return a.id < b.id;
            });
  return customers;
}

}  // namespace kpi::predictive
