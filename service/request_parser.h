// Parsing a call's request bytes into its message, with an error a caller
// can act on.
//
// The server takes every request as raw bytes (grpc::ByteBuffer) and parses
// it here rather than letting gRPC do it, because gRPC's own parsing fails
// badly: a unary request that does not parse came back INTERNAL with an
// empty message, and a stream chunk that does not parse read as the end of
// the stream -- the call then answered OK over the chunks before it.
//
// On top of the wire format, a map field may not carry a key twice (protobuf
// keeps the last one silently).
#ifndef KPI_SERVICE_REQUEST_PARSER_H_
#define KPI_SERVICE_REQUEST_PARSER_H_

#include <google/protobuf/arena.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"

namespace kpi {

// Parses `bytes` into `*message` (of the request's type), or
// INVALID_ARGUMENT saying why: "not a valid kpi.v1.ComputeRequest: String
// field 'kpi.v1.StringValues.values' contains invalid UTF-8 data ...", or
// "parameters: key 'x' given twice".
absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* message);

// The options of an arena that requests are parsed onto. On the heap, a
// strings column costs a malloc and a free per row: a quarter of the
// server's time on a records stream. The arena's blocks stay below malloc's
// mmap threshold, so they come from its free lists, not from fresh pages.
google::protobuf::ArenaOptions RequestArenaOptions();

// Installs the protobuf log handler ParseRequest reads its reasons from
// (protobuf says why a string field failed only in a log line). Other log
// lines go to stderr as before. Call once, before serving.
void CaptureProtobufParseErrors();

}  // namespace kpi

#endif  // KPI_SERVICE_REQUEST_PARSER_H_
