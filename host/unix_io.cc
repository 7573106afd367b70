#include "unix_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace kpi {

bool WriteAll(int fd, const void* data, size_t size) {
  const char* at = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = send(fd, at, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    at += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

ReadResult ReadAll(int fd, void* data, size_t size,
                   std::chrono::steady_clock::time_point deadline) {
  char* at = static_cast<char*>(data);
  while (size > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return ReadResult::kTimeout;
    pollfd ready{fd, POLLIN, 0};
    const int polled = poll(
        &ready, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 1000)));
    if (polled < 0 && errno != EINTR) return ReadResult::kClosed;
    if (polled <= 0) continue;
    const ssize_t n = read(fd, at, size);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return ReadResult::kClosed;
    at += n;
    size -= static_cast<size_t>(n);
  }
  return ReadResult::kOk;
}

bool SendFrame(int fd, const std::string& message) {
  const uint64_t size = message.size();
  return WriteAll(fd, &size, sizeof(size)) &&
         WriteAll(fd, message.data(), message.size());
}

ReadResult ReceiveFrame(int fd, std::chrono::steady_clock::time_point deadline,
                        size_t max_size, std::string* message) {
  uint64_t size = 0;
  ReadResult result = ReadAll(fd, &size, sizeof(size), deadline);
  if (result != ReadResult::kOk) return result;
  if (size > max_size) return ReadResult::kTooLarge;
  message->resize(size);
  return ReadAll(fd, message->data(), size, deadline);
}

bool SendFds(int socket, const int* fds, int count) {
  char byte = 'c';
  iovec data{&byte, 1};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * count));
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int) * count);
  std::memcpy(CMSG_DATA(header), fds, sizeof(int) * count);
  for (;;) {
    const ssize_t n = sendmsg(socket, &message, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    return n == 1;
  }
}

int ReceiveFds(int socket, int* fds, int max) {
  char byte = 0;
  iovec data{&byte, 1};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * max));
  msghdr message{};
  message.msg_iov = &data;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  ssize_t n;
  do {
    n = recvmsg(socket, &message, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return n == 0 ? 0 : -1;
  int received = 0;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
      continue;
    }
    const int count =
        static_cast<int>((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    for (int i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(header) + i * sizeof(int), sizeof(int));
      if (received < max) {
        fds[received++] = fd;
      } else {
        close(fd);
      }
    }
  }
  return received > 0 ? received : -1;
}

void ProtectStandardDescriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    const int opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened >= 0 && opened != fd) {
      dup2(opened, fd);
      close(opened);
    }
  }
}

}  // namespace kpi
