#include "tests/support/raw_calls.h"

#include <grpcpp/impl/client_unary_call.h>

#include <chrono>

namespace kpi::testing {
namespace {

constexpr char kStreamMethod[] = "/kpi.v1.MetricService/ComputeStream";

grpc::ByteBuffer Bytes(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

std::unique_ptr<grpc::ClientContext> Context(int seconds) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(seconds));
  return context;
}

std::string Serialized(const google::protobuf::Message& message) {
  std::string bytes;
  message.SerializeToString(&bytes);
  return bytes;
}

RawStream::RawStream(const std::shared_ptr<grpc::Channel>& channel, int seconds)
    : context_(Context(seconds)),
      writer_(grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(
          channel.get(),
          grpc::internal::RpcMethod(
              kStreamMethod, grpc::internal::RpcMethod::CLIENT_STREAMING),
          context_.get(), &response_bytes_)) {}

bool RawStream::Write(const std::string& bytes) {
  return writer_->Write(Bytes(bytes));
}

grpc::Status RawStream::Finish(v1::ComputeStreamResponse* response,
                               bool writes_done) {
  if (writes_done) writer_->WritesDone();
  grpc::Status status = writer_->Finish();
  if (status.ok() && response != nullptr) {
    std::vector<grpc::Slice> slices;
    std::string bytes;
    if (response_bytes_.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) {
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
    if (!response->ParseFromString(bytes)) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "the answer is not a ComputeStreamResponse");
    }
  }
  return status;
}

grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel,
                      const std::string& method, const std::string& bytes,
                      std::string* response) {
  grpc::ByteBuffer answer;
  auto context = Context();
  const grpc::Status status =
      grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
          channel.get(),
          grpc::internal::RpcMethod(method.c_str(),
                                    grpc::internal::RpcMethod::NORMAL_RPC),
          context.get(), Bytes(bytes), &answer);
  if (response != nullptr) {
    response->clear();
    std::vector<grpc::Slice> slices;
    if (status.ok() && answer.Dump(&slices).ok()) {
      for (const grpc::Slice& slice : slices) {
        response->append(reinterpret_cast<const char*>(slice.begin()),
                         slice.size());
      }
    }
  }
  return status;
}

v1::ComputeStreamRequest NpsChunk(std::vector<double> scores, bool first) {
  v1::ComputeStreamRequest chunk;
  if (first) chunk.set_metric("nps");
  v1::Column* column = chunk.add_columns();
  column->set_name("scores");
  for (double s : scores) column->mutable_doubles()->add_values(s);
  return chunk;
}

}  // namespace kpi::testing
