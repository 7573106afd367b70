// BoundChunk: one chunk of a call checked against a metric's declared inputs
// and laid out as the kpi_chunk the plugin's update() takes -- one kpi_column
// per declared input, in declaration order. This is the server's validation
// of input: it runs before any plugin code sees the rows.
//
// Numeric columns are views into the request (no copy); string columns get
// an array of (pointer, length) views; scalars are copied into the chunk; KEY
// columns are interned into the call's codes (call_keys.h), after every
// other check passed, so a refused chunk adds no key.
#ifndef KPI_HOST_BOUND_CHUNK_H_
#define KPI_HOST_BOUND_CHUNK_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "bound_params.h"
#include "call_args.h"
#include "call_keys.h"
#include "kpi/plugin_abi.h"

namespace kpi {

// Where a chunk sits in its call.
struct ChunkPosition {
  // Scalars are accepted only in the first chunk.
  bool first = true;
  // Rows before this chunk; error messages number rows across the call.
  uint64_t row_offset = 0;
  // The input form the call uses (see input_form.h); nullptr when the
  // metric declares none. Inputs of other forms are refused.
  const char* form = nullptr;
};

class BoundChunk {
 public:
  // Checks `args` against `metric`'s inputs. INVALID_ARGUMENT names the
  // input and, for values, the first bad row (numbered from 0 across the
  // call): unknown or duplicate inputs, a column sent as a scalar or the
  // reverse, a wrong type, columns of unequal length, a missing required
  // input, NaN or infinity, a fraction where a whole number is declared, a
  // value outside the declared range, a row that breaks one of `orders`
  // (the metric's kpi_input_order declarations), an empty key or a bad
  // dictionary code. `keys` holds the call's key dictionaries; required
  // when the metric has KEY inputs.
  //
  // A chunk without any column is a chunk of zero rows, allowed in a stream;
  // a chunk with some columns must carry every required column. Required
  // scalars are checked in the first chunk.
  static absl::StatusOr<BoundChunk> Bind(
      const kpi_metric_descriptor& metric, const BoundParams& params,
      const CallArgs& args, ChunkPosition position,
      absl::Span<const kpi_input_order> orders = {}, CallKeys* keys = nullptr);

  BoundChunk(BoundChunk&&) = default;
  BoundChunk& operator=(BoundChunk&&) = default;

  // Valid while this BoundChunk and the request behind it live.
  const kpi_chunk& chunk() const { return chunk_; }
  size_t rows() const { return chunk_.num_rows; }
  // Whether any column input was present.
  bool has_columns() const { return has_columns_; }

 private:
  BoundChunk() = default;

  std::vector<kpi_column> columns_;
  // Scalar values (one slot per input) and string views; kpi_column points
  // into these.
  std::vector<double> scalar_f64_;
  std::vector<int64_t> scalar_i64_;
  std::vector<std::vector<kpi_string_view>> strings_;
  // One entry per declared input (kpi_chunk.keys), pointing into codes_.
  std::vector<kpi_key_column> keys_;
  std::vector<std::vector<int32_t>> codes_;
  kpi_chunk chunk_{};
  bool has_columns_ = false;
};

}  // namespace kpi

#endif  // KPI_HOST_BOUND_CHUNK_H_
