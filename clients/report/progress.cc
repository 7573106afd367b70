#include "progress.h"

#include <cstdio>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace kpi::report {

Progress::Progress(bool enabled, int64_t total_bytes)
    : enabled_(enabled),
      total_bytes_(total_bytes),
      start_(absl::Now()),
      last_draw_(absl::InfinitePast()) {}

void Progress::Update(const std::string& file, int64_t bytes, int64_t rows) {
  if (!enabled_) return;
  const absl::Time now = absl::Now();
  if (now - last_draw_ < absl::Milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = absl::ToDoubleSeconds(now - start_);
  if (seconds <= 0) return;
  const double fraction =
      total_bytes_ > 0 ? static_cast<double>(bytes) / total_bytes_ : 0;
  std::string eta = "--:--";
  if (fraction > 0.01) {
    const int64_t left = static_cast<int64_t>(seconds / fraction - seconds);
    eta = absl::StrFormat("%d:%02d", left / 60, left % 60);
  }
  // \r and "erase to end of line": the line is redrawn in place.
  std::fprintf(
      stderr, "\rkpi-report: %s  %lld rows  %.0f rows/s  %3.0f%%  ETA %s\x1b[K",
      file.c_str(), static_cast<long long>(rows), rows / seconds,
      fraction * 100, eta.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Done() {
  if (!drawn_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace kpi::report
