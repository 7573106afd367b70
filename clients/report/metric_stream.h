// One ComputeStream call: one KPI over one period. The first chunk names the
// metric and carries its parameters and group_by; row chunks follow as the
// file is read; Finish half-closes and waits for the result.
//
// Not thread-safe: one thread writes all of a run's streams in turn.

#ifndef KPI_CLIENTS_REPORT_METRIC_STREAM_H_
#define KPI_CLIENTS_REPORT_METRIC_STREAM_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"
#include "kpi/client.h"
#include "kpi/v1/metric_service.pb.h"
#include "kpi/v1/result.pb.h"

namespace kpi::report {

class MetricStream {
 public:
  // Opens the call and sends `first`. `client` must outlive the stream.
  MetricStream(const Client& client,
               const kpi::v1::ComputeStreamRequest& first);
  MetricStream(const MetricStream&) = delete;
  MetricStream& operator=(const MetricStream&) = delete;

  // Sends a chunk. False once the call has failed (the server refused a
  // chunk or went away); Finish then says why. Nothing is sent after that.
  bool Write(const kpi::v1::ComputeStreamRequest& chunk);
  // When the last chunk was sent: the server ends a stream that is idle
  // for 30 s, so the reader sends an empty chunk to streams whose rows are
  // all still ahead in the file.
  absl::Time last_write() const { return last_write_; }

  // Ends the call and returns its result, or an error "CODE: message
  // (request id ID)". Call once.
  absl::StatusOr<kpi::v1::MetricResult> Finish();
  // Cancels the call (another stream failed: the run is over).
  void Cancel() { context_.TryCancel(); }

 private:
  const Client& client_;
  grpc::ClientContext context_;
  kpi::v1::ComputeStreamResponse response_;
  std::unique_ptr<grpc::ClientWriter<kpi::v1::ComputeStreamRequest>> writer_;
  bool failed_ = false;
  absl::Time last_write_;
};

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_METRIC_STREAM_H_
