// Small POSIX helpers for the server <-> plugin worker sockets: whole
// reads and writes that survive EINTR, length-framed messages with a
// deadline, and passing file descriptors (SCM_RIGHTS).
#ifndef KPI_HOST_UNIX_IO_H_
#define KPI_HOST_UNIX_IO_H_

#include <chrono>
#include <cstddef>
#include <string>

namespace kpi {

enum class ReadResult { kOk, kClosed, kTimeout, kTooLarge };

bool WriteAll(int fd, const void* data, size_t size);
// Reads exactly `size` bytes, or fails: kClosed at end of file or on an
// error, kTimeout at `deadline`.
ReadResult ReadAll(int fd, void* data, size_t size,
                   std::chrono::steady_clock::time_point deadline);

// A message prefixed with its length (8 bytes).
bool SendFrame(int fd, const std::string& message);
// kTooLarge when the announced length passes `max_size`.
ReadResult ReceiveFrame(int fd, std::chrono::steady_clock::time_point deadline,
                        size_t max_size, std::string* message);

// Sends `count` descriptors (and one byte) over the Unix socket `socket`.
bool SendFds(int socket, const int* fds, int count);
// Receives up to `max` descriptors sent by SendFds; returns how many (each
// close-on-exec), 0 at end of file, -1 on error.
int ReceiveFds(int socket, int* fds, int max);

// Opens /dev/null onto any of the descriptors 0, 1 and 2 that is closed, so
// nothing opened later takes their numbers: a log line written to stderr
// can never land in a socket.
void ProtectStandardDescriptors();

}  // namespace kpi

#endif  // KPI_HOST_UNIX_IO_H_
