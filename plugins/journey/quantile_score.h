// plugins/journey/quantile_score.h -- scores 1..q from quantile bins, with
// ties handled: the RFM scores.
//
// Sort the n values; a tie group holds the ranks lo..hi-1 (counted from 0).
// Every value of the group scores 1 + floor(q x mid / n), where
// mid = (lo + hi - 1) / 2 is the middle rank of the group. So
//   - equal values always get equal scores (a tie is never split between
//     bins by row order, as qcut over rank(method="first") does);
//   - without ties mid is the value's own rank and the bins are equal-sized
//     quantiles (for n = 10 and q = 5, two values per score);
//   - a tie group takes the score of its middle, not of its lowest rank: 7
//     identical customers score 3 of 5 on every dimension (the middle of
//     the scale), never 1, so no segment of the extremes ("lost",
//     "champions") claims them for a difference that does not exist. With
//     many ties some scores are not used (if 60% of customers bought once,
//     they all score 2 -- ranks 0..5 of 10, middle 2.5 -- and the next
//     score is 4).
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
  for (size_t lo = 0; lo < n;) {
    size_t hi = lo + 1;  // the tie group is order[lo..hi)
    while (hi < n && !(values[order[lo]] < values[order[hi]])) ++hi;
    // 1 + floor(q x mid / n) with mid = (lo + hi - 1) / 2, in integers.
    const uint64_t twice_mid = lo + hi - 1;
    const int64_t score =
        1 + static_cast<int64_t>(static_cast<uint64_t>(q) * twice_mid /
                                 (2 * static_cast<uint64_t>(n)));
    for (size_t i = lo; i < hi; ++i) scores[order[i]] = score;
    lo = hi;
  }
  return scores;
}

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_QUANTILE_SCORE_H_
