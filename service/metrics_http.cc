#include "metrics_http.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "prometheus_text.h"

namespace kpi {
namespace {

using Clock = std::chrono::steady_clock;

// After the answer is sent, how long to read (and drop) what the client
// still sends, so that closing with unread bytes does not reset the
// connection before the client has read the answer.
constexpr std::chrono::milliseconds kDrainTime{1000};

std::string Response(int code, absl::string_view reason,
                     absl::string_view content_type, absl::string_view body,
                     bool head_only, absl::string_view extra_headers = "") {
  std::string response = absl::StrCat(
      "HTTP/1.1 ", code, " ", reason, "\r\nContent-Type: ", content_type,
      "\r\nContent-Length: ", body.size(),
      "\r\nCache-Control: no-store\r\nConnection: close\r\n", extra_headers,
      "\r\n");
  if (!head_only) response.append(body.data(), body.size());
  return response;
}

std::string PlainResponse(int code, absl::string_view reason,
                          absl::string_view body, bool head_only = false,
                          absl::string_view extra_headers = "") {
  return Response(code, reason, "text/plain; charset=utf-8", body, head_only,
                  extra_headers);
}

// Where a request head ends ("\r\n\r\n", or "\n\n" from lenient clients),
// or npos.
size_t HeadEnd(absl::string_view received) {
  const size_t crlf = received.find("\r\n\r\n");
  const size_t lf = received.find("\n\n");
  return std::min(crlf, lf);
}

void CloseFd(int fd) {
  if (fd >= 0) close(fd);
}

}  // namespace

struct MetricsHttpServer::Connection {
  enum class State { kReading, kWriting, kDraining };
  int fd;
  Clock::time_point deadline;
  State state = State::kReading;
  std::string received;
  std::string answer;
  size_t sent = 0;
};

absl::StatusOr<std::unique_ptr<MetricsHttpServer>> MetricsHttpServer::Start(
    absl::string_view address, MetricsHttpHandlers handlers,
    MetricsHttpOptions options) {
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address '", address, "' is not HOST:PORT"));
  }
  std::string host(address.substr(0, colon));
  const absl::string_view port_text = address.substr(colon + 1);
  int port_number;
  if (!absl::SimpleAtoi(port_text, &port_number) || port_number < 0 ||
      port_number > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address '", address, "': port '", port_text,
                     "' is not a number from 0 to 65535"));
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port_string = std::to_string(port_number);
  const int lookup =
      getaddrinfo(host.c_str(), port_string.c_str(), &hints, &found);
  if (lookup != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "metrics address '", address, "': ", gai_strerror(lookup)));
  }
  int listen_fd = -1;
  std::string error = "no address";
  for (const addrinfo* candidate = found; candidate != nullptr;
       candidate = candidate->ai_next) {
    const int fd =
        socket(candidate->ai_family,
               candidate->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = strerror(errno);
      continue;
    }
    const int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0 &&
        listen(fd, 64) == 0) {
      listen_fd = fd;
      break;
    }
    error = strerror(errno);
    close(fd);
  }
  freeaddrinfo(found);
  if (listen_fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for metrics on '", address, "': ", error));
  }
  sockaddr_storage bound{};
  socklen_t bound_size = sizeof(bound);
  getsockname(listen_fd, reinterpret_cast<sockaddr*>(&bound), &bound_size);
  const int port =
      ntohs(bound.ss_family == AF_INET6
                ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  const int wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) {
    const std::string why = strerror(errno);
    close(listen_fd);
    return absl::UnavailableError(absl::StrCat("eventfd: ", why));
  }
  std::unique_ptr<MetricsHttpServer> server(new MetricsHttpServer(
      listen_fd, wake_fd, port, std::move(handlers), options));
  server->thread_ = std::thread([raw = server.get()] { raw->Run(); });
  return server;
}

MetricsHttpServer::MetricsHttpServer(int listen_fd, int wake_fd, int port,
                                     MetricsHttpHandlers handlers,
                                     MetricsHttpOptions options)
    : listen_fd_(listen_fd),
      wake_fd_(wake_fd),
      port_(port),
      handlers_(std::move(handlers)),
      options_(options) {}

MetricsHttpServer::~MetricsHttpServer() {
  Stop();
  CloseFd(wake_fd_);
}

void MetricsHttpServer::Stop() {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  if (!thread_.joinable()) return;
  stopping_.store(true);
  const uint64_t one = 1;
  if (write(wake_fd_, &one, sizeof(one)) < 0) {
    // Cannot fail: the eventfd is written once and never full.
  }
  thread_.join();
  close(listen_fd_);  // new clients are refused from now on
}

void MetricsHttpServer::Run() {
  std::vector<Connection> connections;
  std::vector<pollfd> polled;
  while (!stopping_.load()) {
    polled.clear();
    polled.push_back({wake_fd_, POLLIN, 0});
    polled.push_back({listen_fd_, POLLIN, 0});
    Clock::time_point next_deadline = Clock::time_point::max();
    for (const Connection& connection : connections) {
      const short events =
          connection.state == Connection::State::kWriting ? POLLOUT : POLLIN;
      polled.push_back({connection.fd, events, 0});
      next_deadline = std::min(next_deadline, connection.deadline);
    }
    int timeout_ms = -1;  // idle: until a client or Stop()
    if (next_deadline != Clock::time_point::max()) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
                             next_deadline - Clock::now())
                             .count() +
                         1;
      timeout_ms = static_cast<int>(std::clamp<int64_t>(until, 0, 60000));
    }
    const int ready =
        poll(polled.data(), static_cast<nfds_t>(polled.size()), timeout_ms);
    if (ready < 0 && errno != EINTR) break;
    if (stopping_.load()) break;

    // Connections first (their pollfds follow the first two), then the new
    // ones, so that indices still match.
    const Clock::time_point now = Clock::now();
    std::vector<Connection> kept;
    kept.reserve(connections.size());
    for (size_t i = 0; i < connections.size(); ++i) {
      Connection& connection = connections[i];
      bool open = true;
      if (ready > 0 && polled[i + 2].revents != 0) open = Serve(connection);
      if (open && now >= connection.deadline) open = false;
      if (open) {
        kept.push_back(std::move(connection));
      } else {
        close(connection.fd);
      }
    }
    connections = std::move(kept);
    if (ready > 0 && (polled[1].revents & POLLIN) != 0) Accept(connections);
  }
  for (const Connection& connection : connections) close(connection.fd);
}

void MetricsHttpServer::Accept(std::vector<Connection>& connections) {
  for (;;) {
    const int fd =
        accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: no more; anything else: try next round
    if (connections.size() >= options_.max_connections) {
      // Make room by dropping the oldest client still sending its request
      // (a slow one, likely); if every one is being answered, the new one.
      auto oldest = std::find_if(
          connections.begin(), connections.end(), [](const Connection& c) {
            return c.state == Connection::State::kReading;
          });
      if (oldest == connections.end()) {
        close(fd);
        continue;
      }
      close(oldest->fd);
      connections.erase(oldest);
    }
    Connection connection;
    connection.fd = fd;
    connection.deadline = Clock::now() + options_.request_timeout;
    connections.push_back(std::move(connection));
  }
}

bool MetricsHttpServer::Serve(Connection& connection) {
  char buffer[4096];
  switch (connection.state) {
    case Connection::State::kReading: {
      for (;;) {
        const ssize_t got = recv(connection.fd, buffer, sizeof(buffer), 0);
        if (got == 0) return false;  // closed before a whole request
        if (got < 0) {
          if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
          if (errno == EINTR) continue;
          return false;
        }
        connection.received.append(buffer, static_cast<size_t>(got));
        const size_t end = HeadEnd(connection.received);
        if (end != std::string::npos && end < options_.max_request_bytes) {
          connection.answer =
              Answer(absl::string_view(connection.received).substr(0, end));
          break;
        }
        if (connection.received.size() >= options_.max_request_bytes) {
          connection.answer =
              PlainResponse(431, "Request Header Fields Too Large",
                            "request head too large\n");
          break;
        }
      }
      connection.received.clear();
      connection.state = Connection::State::kWriting;
      return Serve(connection);  // most answers fit in the socket buffer
    }
    case Connection::State::kWriting: {
      while (connection.sent < connection.answer.size()) {
        const ssize_t put =
            send(connection.fd, connection.answer.data() + connection.sent,
                 connection.answer.size() - connection.sent, MSG_NOSIGNAL);
        if (put < 0) {
          if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
          if (errno == EINTR) continue;
          return false;
        }
        connection.sent += static_cast<size_t>(put);
      }
      shutdown(connection.fd, SHUT_WR);
      connection.answer.clear();
      connection.state = Connection::State::kDraining;
      connection.deadline =
          std::min(connection.deadline, Clock::now() + kDrainTime);
      return true;
    }
    case Connection::State::kDraining: {
      for (;;) {
        const ssize_t got = recv(connection.fd, buffer, sizeof(buffer), 0);
        if (got > 0) continue;
        if (got < 0 && errno == EINTR) continue;
        return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      }
    }
  }
  return false;
}

std::string MetricsHttpServer::Answer(absl::string_view head) const {
  const absl::string_view request_line = head.substr(0, head.find('\n'));
  std::vector<absl::string_view> parts = absl::StrSplit(
      absl::StripSuffix(request_line, "\r"), ' ', absl::SkipEmpty());
  if (parts.size() != 3 || !absl::StartsWith(parts[2], "HTTP/1.")) {
    return PlainResponse(400, "Bad Request", "malformed request line\n");
  }
  const absl::string_view method = parts[0];
  const absl::string_view path = parts[1].substr(0, parts[1].find('?'));
  const bool head_only = method == "HEAD";
  const bool is_metrics = path == "/metrics" && handlers_.metrics;
  const bool is_health = path == "/healthz" && handlers_.serving;
  if (!is_metrics && !is_health) {
    return PlainResponse(404, "Not Found", "not found: try /metrics\n",
                         head_only);
  }
  if (method != "GET" && !head_only) {
    return PlainResponse(405, "Method Not Allowed", "only GET and HEAD\n",
                         false, "Allow: GET, HEAD\r\n");
  }
  if (is_metrics) {
    return Response(200, "OK", kPrometheusContentType, handlers_.metrics(),
                    head_only);
  }
  return handlers_.serving() ? PlainResponse(200, "OK", "SERVING\n", head_only)
                             : PlainResponse(503, "Service Unavailable",
                                             "NOT_SERVING\n", head_only);
}

}  // namespace kpi
