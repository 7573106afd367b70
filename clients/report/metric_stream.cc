#include "metric_stream.h"

#include "absl/time/clock.h"

namespace kpi::report {

MetricStream::MetricStream(const Client& client,
                           const kpi::v1::ComputeStreamRequest& first)
    : client_(client) {
  client_.Prepare(&context_);
  writer_ = client_.metrics().ComputeStream(&context_, &response_);
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
    const absl::Status error = client_.StatusOf(status, context_);
    return absl::Status(error.code(), kpi::Describe(error));
  }
  return std::move(*response_.mutable_result());
}

}  // namespace kpi::report
