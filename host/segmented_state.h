// SegmentedState: one metric state per segment of a grouped call
// (ComputeRequest.group_by), so every metric can be computed per segment
// without the plugin knowing: rows are dealt to their segment's state, and
// the overall result is all segment states merged.
//
// Each chunk costs one pass to key its rows and one scatter of every column
// into segment order (a copy: a segment's rows must be contiguous for the
// plugin's update); each segment's state is then updated once per chunk.
// Keying interns each group_by column into codes with the KeyDictionary that
// KEY inputs use (key_dictionary.h); one column's code is its segment's
// index through an array, several columns' codes are looked up together.
#ifndef KPI_HOST_SEGMENTED_STATE_H_
#define KPI_HOST_SEGMENTED_STATE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "bound_params.h"
#include "call_args.h"
#include "cancellation.h"
#include "key_dictionary.h"
#include "kpi/v1/result.pb.h"
#include "metric.h"
#include "metric_state.h"

namespace kpi {

class SegmentedState {
 public:
  // The most segments one call may create.
  static constexpr size_t kMaxSegments = 100000;
  // The most parameter bytes all of a call's segment states may hold
  // together: each segment's state is the plugin's, made from the call's
  // parameters, so its cost grows with them (8,000 health signals x 500
  // segments once cost 39 CPU-s and 336 MB).
  static constexpr uint64_t kMaxSegmentParameterBytes = uint64_t{16} << 20;

  // REQUIRES: `params` bound for `metric`; `group_by` not empty.
  // `cancellation` (may be null) is asked before each segment's update,
  // merge and finalize, so a call with many segments stops soon after it
  // is cancelled; it must outlive this object.
  SegmentedState(std::shared_ptr<const Metric> metric,
                 std::shared_ptr<const BoundParams> params,
                 std::vector<std::string> group_by,
                 const Cancellation* cancellation = nullptr);

  // Deals the rows of `chunk` (validated, bound) to their segments; `keys`
  // are the group_by columns of the same chunk, in group_by order, each with
  // chunk.num_rows values. RESOURCE_EXHAUSTED past kMaxSegments or
  // kMaxSegmentParameterBytes.
  absl::Status Update(const kpi_chunk& chunk,
                      const std::vector<ColumnArg>& keys);

  // The overall result (all segments merged) with one SegmentResult per
  // segment, sorted by key (INT64 key columns numerically).
  absl::StatusOr<v1::MetricResult> Finish() const;

 private:
  struct KeyPart {
    bool is_int;
    int64_t number;
    std::string text;
  };
  struct Segment {
    std::vector<KeyPart> key;
    MetricState state;
  };
  // Values of one declared input, in segment order.
  struct Gathered {
    std::vector<double> f64;
    std::vector<int64_t> i64;
    std::vector<kpi_string_view> str;
    std::vector<int32_t> codes;  // KEY inputs
  };
  // Fills segment_of_row_ with the segment of each of the chunk's `rows`
  // rows, creating segments on first sight.
  absl::Status KeyRows(const std::vector<ColumnArg>& keys, size_t rows);
  // The codes of group_by column `k` for the chunk's rows, in codes_[k].
  absl::Status InternColumn(size_t k, const ColumnArg& key, size_t rows);
  // OK, or why the call must stop.
  absl::Status CheckCancelled() const;
  // A new segment for the key of `row`. INVALID_ARGUMENT past kMaxSegments.
  absl::StatusOr<uint32_t> AddSegment(const std::vector<ColumnArg>& keys,
                                      size_t row);

  std::shared_ptr<const Metric> metric_;
  std::shared_ptr<const BoundParams> params_;
  std::vector<std::string> group_by_;
  const Cancellation* cancellation_;
  std::vector<Segment> segments_;
  // One dictionary per group_by column, and each chunk's codes.
  std::vector<std::unique_ptr<KeyDictionary>> dictionaries_;
  std::vector<std::vector<int32_t>> codes_;
  // Key -> index into segments_: for one column, by code; for several, by
  // their codes together.
  static constexpr uint32_t kNoSegment = ~uint32_t{0};
  std::vector<uint32_t> segment_of_code_;
  absl::flat_hash_map<std::vector<int32_t>, uint32_t> segment_of_codes_;
  std::vector<int32_t> scratch_codes_;
  // Per chunk, kept to reuse their allocations: each row's segment, and
  // each declared input's values in segment order.
  std::vector<uint32_t> segment_of_row_;
  std::vector<Gathered> gathered_;
};

}  // namespace kpi

#endif  // KPI_HOST_SEGMENTED_STATE_H_
