#include "server_transport.h"

#include <grpc/grpc.h>
#include <malloc.h>

#include "absl/synchronization/mutex.h"

namespace kpi {

void ConfigureTransport(grpc::ServerBuilder& builder, int max_message_bytes) {
  builder.SetMaxReceiveMessageSize(max_message_bytes);
  // gRPC inflates a compressed message whole before it checks the size
  // limit (a 972 KB gzip request became 1 GB), so compressed requests are
  // refused outright: UNIMPLEMENTED, naming the algorithm.
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES,
                             max_message_bytes);
}

void DisableMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

void TuneAllocatorForLargeMessages() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
}

}  // namespace kpi
