// MetricsHttpServer: a small HTTP/1.1 server, on a listener of its own
// (kpi-server's --metrics-listen), for Prometheus scrapes and plain health
// checks:
//
//   GET /metrics  200, Content-Type "text/plain; version=0.0.4; ...", the
//                 body handlers.metrics() returns
//   GET /healthz  200 "SERVING\n" or 503 "NOT_SERVING\n", as
//                 handlers.serving() says
//   HEAD          of either: the same head, no body
//   other paths   404; other methods on those two paths: 405
//   a request whose head does not parse: 400; is larger than
//                 max_request_bytes: 431
//
// One request per connection (every answer says Connection: close), plain
// HTTP only: bind it to an address that only the monitoring system reaches.
//
// A slow or hostile client cannot hold the server: one thread serves every
// connection from a poll() loop, non-blocking, so no client waits for
// another; a connection gets request_timeout from its accept to send its
// request head and read the whole answer, then is closed; at most
// max_connections are open, and past that the oldest one still sending its
// request is closed. The handlers run on that thread, one at a time; a
// handler that blocks holds every client.
//
// Thread-safe: Stop() and the destructor may be called from any thread,
// not from a handler.
#ifndef KPI_SERVICE_METRICS_HTTP_H_
#define KPI_SERVICE_METRICS_HTTP_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace kpi {

struct MetricsHttpHandlers {
  // The body of GET /metrics, in the Prometheus text format. Null: 404.
  std::function<std::string()> metrics;
  // Whether the server is serving, for GET /healthz. Null: 404.
  std::function<bool()> serving;
};

struct MetricsHttpOptions {
  std::chrono::milliseconds request_timeout{5000};
  size_t max_request_bytes = 8192;
  size_t max_connections = 64;
};

class MetricsHttpServer {
 public:
  // Listens on `address`, "HOST:PORT" (an IPv6 host in brackets:
  // "[::1]:9464"; PORT 0 picks a free port, see port()), and serves from a
  // thread of its own until Stop(). INVALID_ARGUMENT for a malformed
  // address; UNAVAILABLE when it cannot be bound (in use, not local).
  static absl::StatusOr<std::unique_ptr<MetricsHttpServer>> Start(
      absl::string_view address, MetricsHttpHandlers handlers,
      MetricsHttpOptions options = MetricsHttpOptions());

  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;
  // Stop().
  ~MetricsHttpServer();

  // The port it listens on.
  int port() const { return port_; }

  // Closes every connection and the listener, and joins the thread; a
  // request being answered is cut off. Idempotent.
  void Stop();

 private:
  struct Connection;

  MetricsHttpServer(int listen_fd, int wake_fd, int port,
                    MetricsHttpHandlers handlers, MetricsHttpOptions options);
  void Run();
  void Accept(std::vector<Connection>& connections);
  // Reads, answers or drains as `connection`'s state says; false once it
  // should be closed.
  bool Serve(Connection& connection);
  // The whole answer to a request head.
  std::string Answer(absl::string_view head) const;

  const int listen_fd_;
  const int wake_fd_;  // an eventfd that Stop() writes to
  const int port_;
  const MetricsHttpHandlers handlers_;
  const MetricsHttpOptions options_;
  std::atomic<bool> stopping_{false};
  std::mutex stop_mutex_;
  std::thread thread_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_METRICS_HTTP_H_
