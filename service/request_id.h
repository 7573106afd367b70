// Request ids: every kpi.v1.MetricService call has one, so that what a
// client saw can be found in the server's log (event_log.h, call_log.h).
//
// The contract (docs/api.md): a client may send the metadata x-request-id.
// The server uses it as the call's id when the call carries exactly one,
// of 1 to 128 bytes of visible ASCII without spaces (0x21-0x7e); otherwise
// (none, several, too long, other bytes) it makes one. Either way the id
// goes back to the client in the response's initial metadata x-request-id
// -- also when the call is refused or fails -- and into the call's log line.
#ifndef KPI_SERVICE_REQUEST_ID_H_
#define KPI_SERVICE_REQUEST_ID_H_

#include <grpcpp/server_context.h>

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace kpi {

inline constexpr char kRequestIdMetadata[] = "x-request-id";
inline constexpr size_t kMaxRequestIdBytes = 128;

// Whether a client's id is taken as it is (see above).
bool IsAcceptableRequestId(absl::string_view id);

// A new id: 16 lowercase hex digits, a prefix drawn at random once per
// process, then a counter, so ids are unique within a server for 2^32
// calls and tell servers apart. Thread-safe; an atomic add and a format.
std::string NewRequestId();

// The id of the call `context` serves: its client's, if acceptable, else a
// new one.
std::string RequestIdOf(const grpc::ServerContextBase& context);

}  // namespace kpi

#endif  // KPI_SERVICE_REQUEST_ID_H_
