#include "tests/service/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kpi::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

}  // namespace

int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const sockaddr_in address = Loopback(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address),
              sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

absl::StatusOr<HttpResponse> HttpExchange(int port, const std::string& request,
                                          std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int fd = ConnectLoopback(port);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to port ", port));
  }
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t put =
        send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (put <= 0) break;  // the server may answer and close early
    sent += static_cast<size_t>(put);
  }
  std::string received;
  char buffer[8192];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      close(fd);
      return absl::DeadlineExceededError(
          absl::StrCat("no whole answer within the timeout; got: ", received));
    }
    pollfd polled{fd, POLLIN, 0};
    if (poll(&polled, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t got = recv(fd, buffer, sizeof(buffer), 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    received.append(buffer, static_cast<size_t>(got));
  }
  close(fd);
  const size_t head_end = received.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return absl::DataLossError(absl::StrCat("no HTTP head in: ", received));
  }
  HttpResponse response;
  response.head = received.substr(0, head_end);
  response.body = received.substr(head_end + 4);
  const std::vector<std::string> status_line =
      absl::StrSplit(response.head.substr(0, response.head.find("\r\n")), ' ');
  if (status_line.size() < 2 ||
      !absl::SimpleAtoi(status_line[1], &response.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", received));
  }
  return response;
}

absl::StatusOr<HttpResponse> HttpGet(int port, const std::string& target,
                                     const std::string& method,
                                     std::chrono::milliseconds timeout) {
  return HttpExchange(
      port,
      absl::StrCat(method, " ", target, " HTTP/1.1\r\nHost: 127.0.0.1:", port,
                   "\r\nConnection: close\r\n\r\n"),
      timeout);
}

std::string Header(const HttpResponse& response, const std::string& name) {
  for (absl::string_view line : absl::StrSplit(response.head, "\r\n")) {
    const size_t colon = line.find(':');
    if (colon != absl::string_view::npos &&
        absl::EqualsIgnoreCase(line.substr(0, colon), name)) {
      return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    }
  }
  return "";
}

int FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = Loopback(0);
  socklen_t size = sizeof(address);
  if (fd < 0 ||
      bind(fd, reinterpret_cast<const sockaddr*>(&address), size) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    if (fd >= 0) close(fd);
    return -1;
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace kpi::testing
