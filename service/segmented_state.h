// SegmentedState: one metric state per segment of a grouped call
// (ComputeRequest.group_by), so every metric can be computed per segment
// without the plugin knowing: rows are dealt to their segment's state, and
// the overall result is all segment states merged.
//
// Each chunk costs one pass to key its rows and one gather of every column
// into segment order (a copy: a segment's rows must be contiguous for the
// plugin's update); each segment's state is then updated once per chunk.
#ifndef KPI_SERVICE_SEGMENTED_STATE_H_
#define KPI_SERVICE_SEGMENTED_STATE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "bound_params.h"
#include "call_args.h"
#include "kpi/v1/result.pb.h"
#include "metric.h"
#include "metric_state.h"

namespace kpi {

class SegmentedState {
 public:
  // The most segments one call may create.
  static constexpr size_t kMaxSegments = 100000;

  // REQUIRES: `params` bound for `metric`; `group_by` not empty.
  SegmentedState(std::shared_ptr<const Metric> metric,
                 std::shared_ptr<const BoundParams> params,
                 std::vector<std::string> group_by);

  // Deals the rows of `chunk` (validated, bound) to their segments; `keys`
  // are the group_by columns of the same chunk, in group_by order, each with
  // chunk.num_rows values. INVALID_ARGUMENT past kMaxSegments.
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
  // The segment of `row`, created on first sight.
  absl::StatusOr<uint32_t> SegmentOf(const std::vector<ColumnArg>& keys,
                                     size_t row);

  std::shared_ptr<const Metric> metric_;
  std::shared_ptr<const BoundParams> params_;
  std::vector<std::string> group_by_;
  std::vector<Segment> segments_;
  // Encoded key (length-prefixed parts) -> index into segments_.
  absl::flat_hash_map<std::string, uint32_t> index_;
  std::string scratch_key_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_SEGMENTED_STATE_H_
