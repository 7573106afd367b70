// Test support: plain HTTP/1.1 over a real loopback socket, one request per
// connection, for the metrics listener and a Prometheus server's API.
#ifndef KPI_TESTS_SERVICE_HTTP_GET_H_
#define KPI_TESTS_SERVICE_HTTP_GET_H_

#include <chrono>
#include <string>

#include "absl/status/statusor.h"

namespace kpi::testing {

struct HttpResponse {
  int status = 0;
  std::string head;  // the status line and headers
  std::string body;
};

// A connected socket to 127.0.0.1:`port`, or -1.
int ConnectLoopback(int port);

// Sends `request` as is to 127.0.0.1:`port` and reads the answer until the
// server closes the connection, for at most `timeout`.
absl::StatusOr<HttpResponse> HttpExchange(
    int port, const std::string& request,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// `method` `target` with Host and Connection: close.
absl::StatusOr<HttpResponse> HttpGet(
    int port, const std::string& target, const std::string& method = "GET",
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The value of header `name` (case-insensitive) in `head`, or "".
std::string Header(const HttpResponse& response, const std::string& name);

// A loopback port that was free a moment ago.
int FreeLoopbackPort();

}  // namespace kpi::testing

#endif  // KPI_TESTS_SERVICE_HTTP_GET_H_
