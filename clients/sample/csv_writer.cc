#include "csv_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace kpi::sample {
namespace {

// Big enough that write(2) is not what limits a run.
constexpr size_t kBufferBytes = 1 << 20;

std::string PartialPath(const std::string& path) { return path + ".partial"; }

absl::Status ErrnoError(absl::string_view what, const std::string& path,
                        int error) {
  return absl::InternalError(
      absl::StrCat("cannot ", what, " '", path, "': ", std::strerror(error)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvWriter>> CsvWriter::Open(
    std::string path, absl::Span<const absl::string_view> header) {
  const std::string partial = PartialPath(path);
  const int fd =
      ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("create", partial, errno);
  std::unique_ptr<CsvWriter> writer(
      new CsvWriter(std::move(path), fd, header.size()));
  for (absl::string_view name : header) writer->Text(name);
  writer->EndRow();
  writer->rows_ = 0;
  return writer;
}

CsvWriter::CsvWriter(std::string path, int fd, size_t columns)
    : path_(std::move(path)), fd_(fd), columns_(columns) {
  buffer_.reserve(kBufferBytes + 4096);
}

CsvWriter::~CsvWriter() {
  if (finished_) return;
  if (fd_ >= 0) ::close(fd_);
  ::unlink(PartialPath(path_).c_str());
}

void CsvWriter::StartField() {
  if (fields_in_row_++ > 0) buffer_.push_back(',');
}

void CsvWriter::Text(absl::string_view text) {
  StartField();
  if (text.find_first_of(",\"\r\n") == absl::string_view::npos) {
    buffer_.append(text.data(), text.size());
    return;
  }
  buffer_.push_back('"');
  for (char c : text) {
    if (c == '"') buffer_.push_back('"');
    buffer_.push_back(c);
  }
  buffer_.push_back('"');
}

void CsvWriter::Integer(int64_t value) {
  StartField();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  buffer_.append(digits, result.ptr);
}

void CsvWriter::Money(int64_t cents) {
  StartField();
  if (cents < 0) {
    buffer_.push_back('-');
    cents = -cents;
  }
  char digits[24];
  const auto result =
      std::to_chars(digits, digits + sizeof digits, cents / 100);
  buffer_.append(digits, result.ptr);
  buffer_.push_back('.');
  buffer_.push_back(static_cast<char>('0' + cents % 100 / 10));
  buffer_.push_back(static_cast<char>('0' + cents % 10));
}

void CsvWriter::Timestamp(Time t) {
  StartField();
  AppendTimestamp(t, buffer_);
}

void CsvWriter::Date(Time t) {
  StartField();
  AppendDate(t, buffer_);
}

void CsvWriter::Empty() { StartField(); }

void CsvWriter::EndRow() {
  if (fields_in_row_ != columns_ && status_.ok()) {
    Fail(absl::InternalError(absl::StrCat(
        "'", path_, "' row ", rows_ + 1, ": ", fields_in_row_, " fields for ",
        columns_, " columns (a bug in kpi-sample)")));
  }
  fields_in_row_ = 0;
  buffer_.append("\r\n");
  ++rows_;
  if (buffer_.size() >= kBufferBytes) Flush();
}

void CsvWriter::Flush() {
  if (!status_.ok()) {
    buffer_.clear();
    return;
  }
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n =
        ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Fail(ErrnoError("write", PartialPath(path_), errno));
      break;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

void CsvWriter::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
}

absl::Status CsvWriter::Finish() {
  Flush();
  if (::close(fd_) != 0) Fail(ErrnoError("write", PartialPath(path_), errno));
  fd_ = -1;
  if (!status_.ok()) return status_;
  if (std::rename(PartialPath(path_).c_str(), path_.c_str()) != 0) {
    Fail(ErrnoError("rename to", path_, errno));
    return status_;
  }
  finished_ = true;
  return absl::OkStatus();
}

absl::Status WriteWholeFile(const std::string& path, absl::string_view bytes) {
  const std::string partial = PartialPath(path);
  const int fd =
      ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError("create", partial, errno);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      ::unlink(partial.c_str());
      return ErrnoError("write", partial, error);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(partial.c_str());
    return ErrnoError("write", partial, error);
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(partial.c_str());
    return ErrnoError("rename to", path, error);
  }
  return absl::OkStatus();
}

}  // namespace kpi::sample
