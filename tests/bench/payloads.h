// Payloads: the inputs every benchmark of the suite sends, built once and
// deterministically, so kpi-server, the bare gRPC server, the in-process
// baseline and the Python service all see the same bytes.
//
//   small_nps     ComputeNpsRequest of 100 whole scores 0..10
//   small_churn   ComputeChurnRateRequest from two counts (1000, 50)
//   bulk_nps      ComputeStream chunks of nps scores
//   grouped_nps   the same with an sfixed64 `segment` column of 1,000
//                 segments and group_by: [segment]
//   records_rpr   repeat_purchase_rate, records form (customer, time), from
//                 the CDNOW transactions tiled with customer ids offset per
//                 copy; the customer key column as strings, int64s or
//                 dictionary codes (KeyForm)
//   bgnbd         bgnbd (fit and predictions) over the transactions of a
//                 simulated BG/NBD population (tests/bench/bgnbd_scipy.py
//                 simulate), customers as int64s
//
// A stream is its first chunk (naming the metric, carrying parameters and
// group_by) followed by `chunks - 1` more; bulk streams cycle through a small
// pool of distinct chunks, so ten million rows need not sit in memory.
#ifndef KPI_TESTS_BENCH_PAYLOADS_H_
#define KPI_TESTS_BENCH_PAYLOADS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "kpi/v1/metric_service.pb.h"

namespace kpi::bench {

// The CDNOW transactions file the record-form case reads.
inline constexpr char kDefaultCdnowPath[] =
    "/work/shared/datasets/cdnow/CDNOW_master.txt";

// Groups of the grouped case.
inline constexpr int64_t kSegments = 1000;

v1::ComputeNpsRequest SmallNpsRequest();
v1::ComputeChurnRateRequest SmallChurnRequest();

// One purchase: a customer id and unix microseconds.
struct Order {
  int64_t customer;
  int64_t time;
};

// How a records payload sends its customer KEY column.
enum class KeyForm {
  kStrings,  // StringValues: the ids' decimal text
  kInt64s,   // Int64Values
  kCodes     // KeyValues: codes, and each chunk's new dictionary entries
};

// One streamed call: chunk(i) is the i-th message to send.
class StreamPayload {
 public:
  size_t chunks() const { return chunks_; }
  uint64_t rows() const { return rows_; }
  const v1::ComputeStreamRequest& chunk(size_t i) const {
    return i == 0 ? first_ : pool_[(i - 1) % pool_.size()];
  }

  // `rows` nps scores in chunks of `chunk_rows` (rows is rounded up to a
  // whole number of chunks); `grouped` adds the segment column.
  static StreamPayload Nps(uint64_t rows, size_t chunk_rows, bool grouped);
  // The CDNOW orders tiled `copies` times, as repeat_purchase_rate
  // records over the whole CDNOW period, customers sent as `keys`.
  // NOT_FOUND when the file is missing.
  static absl::StatusOr<StreamPayload> RepeatPurchaseRecords(
      const std::string& cdnow_path, int copies, size_t chunk_rows,
      KeyForm keys);
  // The transactions in `path` (little-endian int64 pairs: customer id, unix
  // microseconds), as bgnbd records calibrated to `calibration_end_us`.
  // NOT_FOUND when the file is missing, INVALID_ARGUMENT when it is empty
  // or not whole pairs.
  static absl::StatusOr<StreamPayload> BgnbdTransactions(
      const std::string& path, int64_t calibration_end_us, size_t chunk_rows);

 private:
  // `orders` tiled `copies` times (customer ids shifted by `id_stride` per
  // copy) as record chunks (customer, time) of `chunk_rows` rows: the
  // payload but for its metric and parameters.
  static StreamPayload Records(const std::vector<Order>& orders, int copies,
                               int64_t id_stride, size_t chunk_rows,
                               KeyForm keys);

  v1::ComputeStreamRequest first_;
  std::vector<v1::ComputeStreamRequest> pool_;
  size_t chunks_ = 0;
  uint64_t rows_ = 0;
};

}  // namespace kpi::bench

#endif  // KPI_TESTS_BENCH_PAYLOADS_H_
