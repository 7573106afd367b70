#include "plugins/predictive/models/customer_summary.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace kpi::predictive {

std::optional<CustomerSummary> Summarize(std::vector<Purchase>& purchases,
                                         int64_t calibration_end,
                                         double unit_micros) {
  // Sorting by (time, amount) makes the summed amounts of one instant
  // independent of the order the rows arrived in.
  std::sort(purchases.begin(), purchases.end(),
            [](const Purchase& p, const Purchase& q) {
              return std::tie(p.time, p.amount) < std::tie(q.time, q.amount);
            });
  if (purchases.empty() || purchases.front().time > calibration_end) {
    return std::nullopt;
  }
  const int64_t first = purchases.front().time;
  int64_t last = first;
  int64_t repeats = 0;
  double repeat_amount = 0;
  for (const Purchase& p : purchases) {
    if (p.time > calibration_end) break;
    if (p.time != last) {
      ++repeats;
      last = p.time;
    }
    if (p.time != first) repeat_amount += p.amount;
  }
  CustomerSummary summary;
  summary.x = static_cast<double>(repeats);
  // Differences of instants are exact in uint64 and, as doubles, to the
  // microsecond for spans under 285 years.
  summary.t_x = static_cast<double>(static_cast<uint64_t>(last) -
                                    static_cast<uint64_t>(first)) /
                unit_micros;
  summary.T = static_cast<double>(static_cast<uint64_t>(calibration_end) -
                                  static_cast<uint64_t>(first)) /
              unit_micros;
  if (repeats > 0) summary.mean_repeat_amount = repeat_amount / summary.x;
  return summary;
}

GroupedSummaries GroupSummaries(absl::Span<const CustomerSummary> customers) {
  const auto key = [&customers](uint32_t i) {
    return std::tie(customers[i].x, customers[i].t_x, customers[i].T);
  };
  std::vector<uint32_t> order(customers.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&key](uint32_t i, uint32_t j) { return key(i) < key(j); });
  GroupedSummaries grouped;
  grouped.row_of.resize(customers.size());
  for (size_t k = 0; k < order.size(); ++k) {
    const uint32_t i = order[k];
    if (k == 0 || key(order[k - 1]) != key(i)) {
      grouped.rows.push_back(
          {customers[i].x, customers[i].t_x, customers[i].T, 0});
    }
    grouped.rows.back().weight += 1;
    grouped.row_of[i] = static_cast<uint32_t>(grouped.rows.size() - 1);
  }
  return grouped;
}

}  // namespace kpi::predictive
