#include "segmented_state.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

// Writes values[row] to out[next[segment]++] for every row: the rows in
// segment order. Reads are sequential and the writes go to one position per
// segment, which stay in cache, where a gather through a row order would
// read the column at random.
template <typename T>
void Scatter(const T* values, const std::vector<uint32_t>& segment_of_row,
             std::vector<size_t>& next, std::vector<T>& out) {
  out.resize(segment_of_row.size());
  T* to = out.data();
  for (size_t row = 0; row < segment_of_row.size(); ++row) {
    to[next[segment_of_row[row]]++] = values[row];
  }
}

}  // namespace

SegmentedState::SegmentedState(std::shared_ptr<const Metric> metric,
                               std::shared_ptr<const BoundParams> params,
                               std::vector<std::string> group_by,
                               const Cancellation* cancellation)
    : metric_(std::move(metric)),
      params_(std::move(params)),
      group_by_(std::move(group_by)),
      cancellation_(cancellation),
      codes_(group_by_.size()) {
  for (const std::string& name : group_by_) {
    // A column holds at most as many keys as there are segments; one more
    // lets AddSegment refuse the segment past the limit with its message.
    dictionaries_.push_back(std::make_unique<KeyDictionary>(
        absl::StrCat("group_by column '", name, "'"), kMaxSegments + 1,
        " (at most that many segments per call); group by fewer or coarser "
        "columns, or split the call",
        /*allow_empty=*/true));
  }
}

absl::Status SegmentedState::CheckCancelled() const {
  return cancellation_ ? cancellation_->Check() : absl::OkStatus();
}

absl::StatusOr<uint32_t> SegmentedState::AddSegment(
    const std::vector<ColumnArg>& keys, size_t row) {
  // Creating a state is plugin code and may be costly (parsing parameters):
  // a call making many segments stops here too once cancelled.
  if (absl::Status s = CheckCancelled(); !s.ok()) return s;
  if (segments_.size() >= kMaxSegments) {
    return absl::ResourceExhaustedError(
        absl::StrCat("group_by: more than ", kMaxSegments,
                     " segments (the limit of segments per call); group by "
                     "fewer or coarser columns, or split the call"));
  }
  const uint64_t parameter_bytes = params_->ByteSize();
  if ((segments_.size() + 1) * parameter_bytes > kMaxSegmentParameterBytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "group_by: ", segments_.size() + 1, " segments x ", parameter_bytes,
        " bytes of parameters pass the ", kMaxSegmentParameterBytes >> 20,
        " MiB a call's segments may hold (the limit on segments x parameter "
        "size); group by fewer segments, or send fewer parameters per call"));
  }
  absl::StatusOr<MetricState> state = MetricState::Create(metric_, *params_);
  if (!state.ok()) return state.status();
  std::vector<KeyPart> parts;
  for (const ColumnArg& key : keys) {
    if (key.type == KPI_TYPE_STRING) {
      parts.push_back({false, 0, std::string(key.Text(row))});
    } else {
      parts.push_back({true, key.i64[row], absl::StrCat(key.i64[row])});
    }
  }
  segments_.push_back({std::move(parts), *std::move(state)});
  return static_cast<uint32_t>(segments_.size() - 1);
}

absl::Status SegmentedState::InternColumn(size_t k, const ColumnArg& key,
                                          size_t rows) {
  std::vector<int32_t>& codes = codes_[k];
  codes.resize(rows);
  size_t failed_row = 0;
  return key.type == KPI_TYPE_STRING
             ? dictionaries_[k]->InternTexts(
                   rows, [&key](size_t row) { return key.Text(row); },
                   codes.data(), failed_row)
             : dictionaries_[k]->InternNumbers(key.i64, rows, codes.data(),
                                               failed_row);
}

absl::Status SegmentedState::KeyRows(const std::vector<ColumnArg>& keys,
                                     size_t rows) {
  segment_of_row_.resize(rows);
  for (size_t k = 0; k < keys.size(); ++k) {
    if (absl::Status s = InternColumn(k, keys[k], rows); !s.ok()) return s;
  }
  uint32_t* out = segment_of_row_.data();
  if (keys.size() == 1) {
    const int32_t* codes = codes_[0].data();
    segment_of_code_.resize(dictionaries_[0]->size(), kNoSegment);
    for (size_t row = 0; row < rows; ++row) {
      uint32_t& segment = segment_of_code_[codes[row]];
      if (segment == kNoSegment) {
        absl::StatusOr<uint32_t> added = AddSegment(keys, row);
        if (!added.ok()) return added.status();
        segment = *added;
      }
      out[row] = segment;
    }
    return absl::OkStatus();
  }
  scratch_codes_.resize(keys.size());
  for (size_t row = 0; row < rows; ++row) {
    for (size_t k = 0; k < keys.size(); ++k) {
      scratch_codes_[k] = codes_[k][row];
    }
    auto found = segment_of_codes_.find(scratch_codes_);
    if (found == segment_of_codes_.end()) {
      absl::StatusOr<uint32_t> added = AddSegment(keys, row);
      if (!added.ok()) return added.status();
      found = segment_of_codes_.emplace(scratch_codes_, *added).first;
    }
    out[row] = found->second;
  }
  return absl::OkStatus();
}

absl::Status SegmentedState::Update(const kpi_chunk& chunk,
                                    const std::vector<ColumnArg>& keys) {
  const size_t rows = chunk.num_rows;
  if (absl::Status s = KeyRows(keys, rows); !s.ok()) return s;
  // Counting sort of the rows by segment: segment s owns rows
  // [begin[s], begin[s + 1]) of the gathered columns.
  std::vector<size_t> begin(segments_.size() + 1, 0);
  for (uint32_t s : segment_of_row_) ++begin[s + 1];
  std::partial_sum(begin.begin(), begin.end(), begin.begin());

  gathered_.resize(chunk.num_inputs);
  std::vector<size_t> next;
  for (size_t i = 0; i < chunk.num_inputs; ++i) {
    const kpi_column& column = chunk.inputs[i];
    if (column.length != rows || rows == 0) continue;  // absent or scalar
    Gathered& g = gathered_[i];
    next.assign(begin.begin(), begin.end() - 1);
    if (column.f64) {
      Scatter(column.f64, segment_of_row_, next, g.f64);
    } else if (column.i64) {
      Scatter(column.i64, segment_of_row_, next, g.i64);
    } else if (column.str) {
      Scatter(column.str, segment_of_row_, next, g.str);
    } else if (chunk.keys != nullptr && chunk.keys[i].codes) {
      Scatter(chunk.keys[i].codes, segment_of_row_, next, g.codes);
    }
  }

  std::vector<kpi_column> columns(chunk.inputs,
                                  chunk.inputs + chunk.num_inputs);
  std::vector<kpi_key_column> key_columns;
  if (chunk.keys != nullptr) {
    key_columns.assign(chunk.keys, chunk.keys + chunk.num_inputs);
  }
  for (size_t s = 0; s < segments_.size(); ++s) {
    const size_t first = begin[s], count = begin[s + 1] - begin[s];
    if (count == 0) continue;
    for (size_t i = 0; i < columns.size(); ++i) {
      const kpi_column& in = chunk.inputs[i];
      if (in.length != rows) continue;
      const Gathered& g = gathered_[i];
      kpi_column& c = columns[i];
      c.length = count;
      c.f64 = in.f64 ? g.f64.data() + first : nullptr;
      c.i64 = in.i64 ? g.i64.data() + first : nullptr;
      c.str = in.str ? g.str.data() + first : nullptr;
      if (!key_columns.empty() && key_columns[i].codes != nullptr) {
        key_columns[i].codes = g.codes.data() + first;
      }
    }
    if (absl::Status status = CheckCancelled(); !status.ok()) return status;
    kpi_chunk segment_chunk = chunk;
    segment_chunk.num_rows = count;
    segment_chunk.inputs = columns.data();
    if (!key_columns.empty()) segment_chunk.keys = key_columns.data();
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
    if (absl::Status s = CheckCancelled(); !s.ok()) return s;
    if (absl::Status s = overall->Merge(segment->state); !s.ok()) return s;
  }
  absl::StatusOr<v1::MetricResult> result = overall->Finalize();
  if (!result.ok()) return result.status();
  for (const Segment* segment : sorted) {
    if (absl::Status s = CheckCancelled(); !s.ok()) return s;
    absl::StatusOr<v1::MetricResult> part = segment->state.Finalize();
    if (!part.ok()) return part.status();
    v1::SegmentResult* out = result->add_segments();
    for (const KeyPart& key : segment->key) out->add_key(key.text);
    *out->mutable_result() = *std::move(part);
  }
  return result;
}

}  // namespace kpi
