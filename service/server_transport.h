// How kpi-server's gRPC transport and allocator are set up for streams of
// large chunks; shared with the benchmark's bare server, so it measures the
// same RPC path.
#ifndef KPI_SERVICE_SERVER_TRANSPORT_H_
#define KPI_SERVICE_SERVER_TRANSPORT_H_

#include <grpcpp/server_builder.h>

namespace kpi {

// Message size limit and HTTP/2 flow control. gRPC's bandwidth-delay
// probing grows a fast stream's receive window until the transport buffers
// far more than one chunk (peak memory grew 68 -> 222 MiB between 1M- and
// 10M-row streams); a fixed window of one message keeps a stream's memory
// bounded by its largest chunk, whatever the input size. The cost: on a
// link with a large bandwidth-delay product one stream gets at most one
// window per round trip (4 MiB per 10 ms RTT = 400 MiB/s).
//
// Compressed requests are refused (see the .cc for why).
void ConfigureTransport(grpc::ServerBuilder& builder, int max_message_bytes);

// Turns off abseil's mutex deadlock detection, which Debian's abseil
// leaves on: gRPC takes absl::Mutex locks on every call, and recording each
// acquisition in the detector's global lock graph cost a few percent of
// the server's CPU on small calls, contended across threads. (The project's
// own locks are std::mutex, which the detector never saw.) Call once, first
// thing.
void DisableMutexDeadlockDetection();

// Keeps glibc from mapping and unmapping every large receive buffer: with
// the default dynamic mmap threshold about 20% of a bulk stream's server CPU
// went to page faults in recvmsg. Allocations below 32 MiB come from the
// heap, which is trimmed only past 128 MiB free. Call once, first thing.
void TuneAllocatorForLargeMessages();

}  // namespace kpi

#endif  // KPI_SERVICE_SERVER_TRANSPORT_H_
