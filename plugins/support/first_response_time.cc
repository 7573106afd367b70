#include "plugins/support/first_response_time.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::support {
namespace {

// The q-quantile of `sorted` (ascending, not empty) by linear interpolation
// between order statistics (Hyndman & Fan type 7), in the values' unit.
double Quantile(const std::vector<int64_t>& sorted, double q) {
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const size_t below = static_cast<size_t>(std::floor(h));
  const double low = static_cast<double>(sorted[below]);
  if (below + 1 >= sorted.size()) return low;
  const double high = static_cast<double>(sorted[below + 1]);
  return low + (h - static_cast<double>(below)) * (high - low);
}

}  // namespace

FirstResponseTime::FirstResponseTime(const sdk::Params& params) {
  const std::string_view chosen = params.String(kStatistic);
  for (size_t i = 0; i < std::size(kResponseStatistics); ++i) {
    if (chosen == kResponseStatistics[i]) statistic_index_ = i;
  }
}

void FirstResponseTime::Update(const sdk::Chunk& chunk) {
  const sdk::View<int64_t> created = chunk.Timestamps(kCreated);
  const sdk::View<int64_t> responded = chunk.Timestamps(kFirstResponse);
  const size_t rows = std::min(created.size(), responded.size());
  response_micros_.reserve(response_micros_.size() + rows);
  // Messages name the row within the chunk (0-based) and its instants.
  auto row = [](size_t i) {
    return "row " + sdk::FormatCount(static_cast<int64_t>(i)) + " of the chunk";
  };
  for (size_t i = 0; i < rows; ++i) {
    if (created[i] == INT64_MAX) {
      throw sdk::InvalidArgument("input 'created' " + row(i) +
                                 ": a ticket cannot be created at the open "
                                 "end");
    }
    if (responded[i] == INT64_MAX) {
      unanswered_ += 1;
      continue;
    }
    // In order and both below INT64_MAX, the difference can still exceed
    // int64 only for instants more than 292,000 years apart.
    if (created[i] < 0 && responded[i] > INT64_MAX + created[i]) {
      throw sdk::InvalidArgument("input 'first_response' " + row(i) +
                                 ": the response time does not fit in "
                                 "int64 microseconds");
    }
    response_micros_.push_back(responded[i] - created[i]);
  }
}

void FirstResponseTime::Merge(const FirstResponseTime& other) {
  response_micros_.insert(response_micros_.end(),
                          other.response_micros_.begin(),
                          other.response_micros_.end());
  unanswered_ += other.unanswered_;
}

void FirstResponseTime::Finalize(sdk::Result& result) const {
  if (unanswered_ > 0) {
    result.Warning(sdk::FormatCount(unanswered_) +
                   " ticket(s) without a first response (first_response at "
                   "the open end) are left out of the statistics");
  }
  const double answered = static_cast<double>(response_micros_.size());
  result.SampleSize(answered);
  if (response_micros_.empty()) {
    result.Undefined(
        "no answered tickets: first response time is undefined without a "
        "ticket whose first_response is set");
    return;
  }
  // Sorting a copy keeps finalize const and repeatable, and makes the mean's
  // sum independent of the order the rows arrived in.
  std::vector<int64_t> sorted = response_micros_;
  std::sort(sorted.begin(), sorted.end());
  long double sum = 0;
  for (int64_t micros : sorted) sum += micros;
  const std::vector<double> seconds = {
      static_cast<double>(sum / static_cast<long double>(sorted.size())) / 1e6,
      Quantile(sorted, 0.5) / 1e6, Quantile(sorted, 0.9) / 1e6};
  const std::vector<std::string> names(std::begin(kResponseStatistics),
                                       std::end(kResponseStatistics));
  result.TableColumn("statistics", "statistic", names);
  result.TableColumn("statistics", "seconds", seconds);
  result.Value(seconds[statistic_index_]);
}

}  // namespace kpi::support
