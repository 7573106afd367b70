#include "shared_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace kpi {
namespace {

// Sizes grow by doubling from one page, so a stream of equal chunks maps
// once.
size_t RoundUp(size_t size) {
  size_t rounded = 4096;
  while (rounded < size) rounded *= 2;
  return rounded;
}

absl::Status Errno(absl::string_view what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<SharedBuffer> SharedBuffer::Create(size_t size) {
  const int fd = memfd_create("kpi-channel", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return Errno("memfd_create");
  size = RoundUp(size);
  if (ftruncate(fd, static_cast<off_t>(size)) != 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
    const absl::Status error = Errno("sizing a shared buffer");
    close(fd);
    return error;
  }
  void* data = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    const absl::Status error = Errno("mapping a shared buffer");
    close(fd);
    return error;
  }
  return SharedBuffer(fd, static_cast<char*>(data), size);
}

absl::StatusOr<SharedBuffer> SharedBuffer::Adopt(int fd) {
  struct stat info;
  if (fstat(fd, &info) != 0 || info.st_size < static_cast<off_t>(kBodyOffset)) {
    close(fd);
    return absl::InvalidArgumentError("not a shared buffer");
  }
  const size_t size = static_cast<size_t>(info.st_size);
  void* data = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) {
    const absl::Status error = Errno("mapping a shared buffer");
    close(fd);
    return error;
  }
  return SharedBuffer(fd, static_cast<char*>(data), size);
}

SharedBuffer::SharedBuffer(SharedBuffer&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)) {}

SharedBuffer& SharedBuffer::operator=(SharedBuffer&& other) noexcept {
  if (this != &other) {
    this->~SharedBuffer();
    new (this) SharedBuffer(std::move(other));
  }
  return *this;
}

SharedBuffer::~SharedBuffer() {
  if (data_ != nullptr) munmap(data_, size_);
  if (fd_ >= 0) close(fd_);
}

bool SharedBuffer::Remap(size_t size) {
  void* data = mremap(data_, size_, size, MREMAP_MAYMOVE);
  if (data == MAP_FAILED) return false;
  data_ = static_cast<char*>(data);
  size_ = size;
  return true;
}

char* SharedBuffer::Reserve(size_t size) {
  if (size <= size_) return data_;
  struct stat info;
  if (fstat(fd_, &info) != 0) return nullptr;
  const size_t wanted = RoundUp(size);
  if (static_cast<size_t>(info.st_size) < wanted &&
      ftruncate(fd_, static_cast<off_t>(wanted)) != 0) {
    return nullptr;
  }
  return Remap(wanted) ? data_ : nullptr;
}

bool SharedBuffer::MapAtLeast(size_t size) {
  if (size <= size_) return true;
  struct stat info;
  if (fstat(fd_, &info) != 0 || static_cast<size_t>(info.st_size) < size) {
    return false;
  }
  return Remap(static_cast<size_t>(info.st_size));
}

}  // namespace kpi
