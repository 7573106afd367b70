#include "metric_stream.h"

#include "absl/time/clock.h"

namespace kpi::report {

MetricStream::MetricStream(const Connection& connection,
                           const kpi::v1::ComputeStreamRequest& first) {
  connection.Prepare(&context_);
  writer_ = connection.stub().ComputeStream(&context_, &response_);
  Write(first);
}

bool MetricStream::Write(const kpi::v1::ComputeStreamRequest& chunk) {
  if (failed_) return false;
  last_write_ = absl::Now();
  failed_ = !writer_->Write(chunk);
  return !failed_;
}

absl::StatusOr<kpi::v1::MetricResult> MetricStream::Finish() {
  if (!failed_) writer_->WritesDone();
  const grpc::Status status = writer_->Finish();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        DescribeCallError(status, context_));
  }
  return std::move(*response_.mutable_result());
}

}  // namespace kpi::report
