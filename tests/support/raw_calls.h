// Calling kpi-server the way no well-behaved client would: raw request
// bytes, unary or streamed, so tests can send garbage, invalid UTF-8,
// repeated map keys or a stream that stalls. Shared by the hostile-caller
// and soak tests.
#ifndef KPI_TESTS_SUPPORT_RAW_CALLS_H_
#define KPI_TESTS_SUPPORT_RAW_CALLS_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/codegen/sync_stream.h>

#include <memory>
#include <string>
#include <vector>

#include "kpi/v1/metric_service.pb.h"

namespace kpi::testing {

// A client context with a deadline `seconds` from now.
std::unique_ptr<grpc::ClientContext> Context(int seconds = 30);

std::string Serialized(const google::protobuf::Message& message);

// A ComputeStream call whose chunks are raw bytes.
class RawStream {
 public:
  explicit RawStream(const std::shared_ptr<grpc::Channel>& channel,
                     int seconds = 30);

  // Sends one chunk; false once the call has ended.
  bool Write(const std::string& bytes);
  // The call's status (and answer), after half-closing the stream unless
  // `writes_done` is false (then it waits for the server to end the call).
  grpc::Status Finish(v1::ComputeStreamResponse* response = nullptr,
                      bool writes_done = true);
  grpc::ClientContext& context() { return *context_; }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer response_bytes_;
  std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer_;
};

// A unary call of `method` ("/kpi.v1.MetricService/Compute") with raw
// request bytes; the answer's bytes into `response` when not null.
grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel,
                      const std::string& method, const std::string& bytes,
                      std::string* response = nullptr);

// A ComputeStreamRequest chunk of nps scores; the first names the metric.
v1::ComputeStreamRequest NpsChunk(std::vector<double> scores,
                                  bool first = false);

}  // namespace kpi::testing

#endif  // KPI_TESTS_SUPPORT_RAW_CALLS_H_
