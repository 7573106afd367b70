// plugins/journey/quantile_score.h -- scores 1..q from quantile bins, with
// ties handled: the RFM scores.
//
// A value's score is 1 + floor(q x below / n), where n is the number of
// values and `below` the number strictly worse (lower) than it: its lowest
// rank among ties, counted from 0. So
//   - equal values always get equal scores (a tie is never split between
//     bins by row order, as qcut over rank(method="first") does);
//   - without ties the bins are equal-sized quantiles (for n = 10 and q = 5,
//     two values per score);
//   - a tie group takes the score of the bin its lowest rank falls in, so
//     with many ties some scores are not used (if 60% of customers bought
//     once, they all score 1 and the next score is 4).
#ifndef KPI_PLUGINS_JOURNEY_QUANTILE_SCORE_H_
#define KPI_PLUGINS_JOURNEY_QUANTILE_SCORE_H_

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace kpi::journey {

// The score 1..q of each value, higher values scoring higher. T is ordered
// by operator<. REQUIRES: q >= 1.
template <typename T>
std::vector<int64_t> QuantileScores(const std::vector<T>& values, int64_t q) {
  const size_t n = values.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<int64_t> scores(n);
  size_t below = 0;  // values strictly lower than the current tie group
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && values[order[i - 1]] < values[order[i]]) below = i;
    scores[order[i]] =
        1 + static_cast<int64_t>((static_cast<uint64_t>(q) * below) / n);
  }
  return scores;
}

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_QUANTILE_SCORE_H_
