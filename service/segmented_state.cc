#include "segmented_state.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

void AppendPart(std::string& key, absl::string_view part) {
  const uint32_t size = static_cast<uint32_t>(part.size());
  key.append(reinterpret_cast<const char*>(&size), sizeof(size));
  key.append(part.data(), part.size());
}

// Values of one declared input, gathered into segment order.
struct Gathered {
  std::vector<double> f64;
  std::vector<int64_t> i64;
  std::vector<kpi_string_view> str;
};

}  // namespace

SegmentedState::SegmentedState(std::shared_ptr<const Metric> metric,
                               std::shared_ptr<const BoundParams> params,
                               std::vector<std::string> group_by)
    : metric_(std::move(metric)),
      params_(std::move(params)),
      group_by_(std::move(group_by)) {}

absl::StatusOr<uint32_t> SegmentedState::SegmentOf(
    const std::vector<ColumnArg>& keys, size_t row) {
  scratch_key_.clear();
  for (const ColumnArg& key : keys) {
    if (key.type == KPI_TYPE_STRING) {
      AppendPart(scratch_key_, (*key.strings)[static_cast<int>(row)]);
    } else {
      AppendPart(scratch_key_,
                 absl::string_view(reinterpret_cast<const char*>(&key.i64[row]),
                                   sizeof(int64_t)));
    }
  }
  auto found = index_.find(scratch_key_);
  if (found != index_.end()) return found->second;
  if (segments_.size() >= kMaxSegments) {
    return absl::InvalidArgumentError(
        absl::StrCat("group_by: more than ", kMaxSegments,
                     " segments; group by fewer or coarser columns"));
  }
  absl::StatusOr<MetricState> state = MetricState::Create(metric_, *params_);
  if (!state.ok()) return state.status();
  std::vector<KeyPart> parts;
  for (const ColumnArg& key : keys) {
    if (key.type == KPI_TYPE_STRING) {
      parts.push_back({false, 0, (*key.strings)[static_cast<int>(row)]});
    } else {
      parts.push_back({true, key.i64[row], absl::StrCat(key.i64[row])});
    }
  }
  const uint32_t index = static_cast<uint32_t>(segments_.size());
  segments_.push_back({std::move(parts), *std::move(state)});
  index_.emplace(scratch_key_, index);
  return index;
}

absl::Status SegmentedState::Update(const kpi_chunk& chunk,
                                    const std::vector<ColumnArg>& keys) {
  const size_t rows = chunk.num_rows;
  std::vector<uint32_t> segment_of_row(rows);
  for (size_t row = 0; row < rows; ++row) {
    absl::StatusOr<uint32_t> segment = SegmentOf(keys, row);
    if (!segment.ok()) return segment.status();
    segment_of_row[row] = *segment;
  }
  // Counting sort of the rows by segment: `order` lists row indices segment
  // by segment; segment s owns order[begin[s], begin[s + 1]).
  std::vector<size_t> begin(segments_.size() + 1, 0);
  for (uint32_t s : segment_of_row) ++begin[s + 1];
  std::partial_sum(begin.begin(), begin.end(), begin.begin());
  std::vector<size_t> next(begin.begin(), begin.end() - 1);
  std::vector<size_t> order(rows);
  for (size_t row = 0; row < rows; ++row) {
    order[next[segment_of_row[row]]++] = row;
  }

  std::vector<Gathered> gathered(chunk.num_inputs);
  for (size_t i = 0; i < chunk.num_inputs; ++i) {
    const kpi_column& column = chunk.inputs[i];
    if (column.length != rows || rows == 0) continue;  // absent or scalar
    Gathered& g = gathered[i];
    if (column.f64) {
      g.f64.reserve(rows);
      for (size_t row : order) g.f64.push_back(column.f64[row]);
    } else if (column.i64) {
      g.i64.reserve(rows);
      for (size_t row : order) g.i64.push_back(column.i64[row]);
    } else if (column.str) {
      g.str.reserve(rows);
      for (size_t row : order) g.str.push_back(column.str[row]);
    }
  }

  std::vector<kpi_column> columns(chunk.inputs,
                                  chunk.inputs + chunk.num_inputs);
  for (size_t s = 0; s < segments_.size(); ++s) {
    const size_t first = begin[s], count = begin[s + 1] - begin[s];
    if (count == 0) continue;
    for (size_t i = 0; i < columns.size(); ++i) {
      const Gathered& g = gathered[i];
      kpi_column& c = columns[i];
      if (chunk.inputs[i].length != rows) continue;
      c.length = count;
      c.f64 = g.f64.empty() ? nullptr : g.f64.data() + first;
      c.i64 = g.i64.empty() ? nullptr : g.i64.data() + first;
      c.str = g.str.empty() ? nullptr : g.str.data() + first;
    }
    const kpi_chunk segment_chunk{count, columns.data(), columns.size()};
    if (absl::Status status = segments_[s].state.Update(segment_chunk);
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::MetricResult> SegmentedState::Finish() const {
  std::vector<const Segment*> sorted;
  sorted.reserve(segments_.size());
  for (const Segment& segment : segments_) sorted.push_back(&segment);
  std::sort(sorted.begin(), sorted.end(),
            [](const Segment* a, const Segment* b) {
              for (size_t i = 0; i < a->key.size(); ++i) {
                const KeyPart& x = a->key[i];
                const KeyPart& y = b->key[i];
                if (x.is_int ? x.number != y.number : x.text != y.text) {
                  return x.is_int ? x.number < y.number : x.text < y.text;
                }
              }
              return false;
            });

  absl::StatusOr<MetricState> overall = MetricState::Create(metric_, *params_);
  if (!overall.ok()) return overall.status();
  for (const Segment* segment : sorted) {
    if (absl::Status s = overall->Merge(segment->state); !s.ok()) return s;
  }
  absl::StatusOr<v1::MetricResult> result = overall->Finalize();
  if (!result.ok()) return result.status();
  for (const Segment* segment : sorted) {
    absl::StatusOr<v1::MetricResult> part = segment->state.Finalize();
    if (!part.ok()) return part.status();
    v1::SegmentResult* out = result->add_segments();
    for (const KeyPart& key : segment->key) out->add_key(key.text);
    *out->mutable_result() = *std::move(part);
  }
  return result;
}

}  // namespace kpi
