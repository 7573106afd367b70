// SegmentedState: one metric state per segment of a grouped call
// (ComputeRequest.group_by), so every metric can be computed per segment
// without the plugin knowing: rows are dealt to their segment's state, and
// the overall result is all segment states merged.
//
// Each chunk costs one pass to key its rows (one hash lookup per row) and one
// scatter of every column into segment order (a copy: a segment's rows must
// be contiguous for the plugin's update); each segment's state is then
// updated once per chunk.
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
  };
  // Fills segment_of_row_ with the segment of each of the chunk's `rows`
  // rows, creating segments on first sight.
  absl::Status KeyRows(const std::vector<ColumnArg>& keys, size_t rows);
  // The same through `index`, which maps key_of(row) to a segment.
  template <typename Index, typename KeyOf>
  absl::Status KeyRowsWith(Index& index, const KeyOf& key_of,
                           const std::vector<ColumnArg>& keys, size_t rows);
  // KeyRows for one INT64 or TIMESTAMP column, through int_memo_.
  absl::Status KeyIntRows(const std::vector<ColumnArg>& keys, size_t rows);
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
  // Key -> index into segments_. Keying is the per-row cost of group_by,
  // so the common single-column keys skip encoding: one INT64 or TIMESTAMP
  // column is looked up as the number (int_index_), one STRING column as
  // the string itself; several columns as their length-prefixed parts.
  absl::flat_hash_map<int64_t, uint32_t> int_index_;
  // A direct-mapped cache in front of int_index_, slot = a multiplicative
  // hash of the key: most rows find their segment with one load and one
  // compare instead of a hash-table probe. Allocated on first use.
  struct IntMemoSlot {
    int64_t key;
    uint32_t segment;  // kNoSegment: empty
  };
  static constexpr uint32_t kNoSegment = ~uint32_t{0};
  static constexpr int kIntMemoBits = 12;
  std::vector<IntMemoSlot> int_memo_;
  absl::flat_hash_map<std::string, uint32_t> index_;
  std::string scratch_key_;
  // Per chunk, kept to reuse their allocations: each row's segment, and
  // each declared input's values in segment order.
  std::vector<uint32_t> segment_of_row_;
  std::vector<Gathered> gathered_;
};

}  // namespace kpi

#endif  // KPI_HOST_SEGMENTED_STATE_H_
