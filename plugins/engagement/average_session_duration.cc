#include "plugins/engagement/average_session_duration.h"

#include <cstdint>
#include <string>

#include "kpi/plugin_text.hpp"

namespace kpi::engagement {

AverageSessionDuration::AverageSessionDuration(const sdk::Params& params)
    : include_zero_length_(params.Bool(kIncludeZeroLength)) {}

void AverageSessionDuration::Update(const sdk::Chunk& chunk) {
  // Durations form.
  for (double seconds : chunk.Doubles(kDurationSeconds)) {
    if (seconds == 0) {
      zero_length_ += 1;
    } else {
      total_seconds_ += seconds;
      sessions_ += 1;
    }
  }
  // Intervals form.
  const sdk::View<int64_t> starts = chunk.Timestamps(kStart);
  const sdk::View<int64_t> ends = chunk.Timestamps(kEnd);
  for (size_t i = 0; i < starts.size() && i < ends.size(); ++i) {
    if (ends[i] == INT64_MAX) {
      open_ += 1;
      continue;
    }
    if (ends[i] == starts[i]) {
      zero_length_ += 1;
    } else {
      // Whole microseconds; the difference of two int64 instants in order
      // can exceed int64 only for absurd inputs, so compute it in double.
      total_seconds_ +=
          (static_cast<double>(ends[i]) - static_cast<double>(starts[i])) / 1e6;
      sessions_ += 1;
    }
  }
  // Aggregate form: the totals, in the first chunk only.
  if (chunk.Has(kSessions)) {
    const double total = chunk.ScalarOr(kTotalSeconds, 0);
    const double sessions = chunk.ScalarOr(kSessions, 0);
    if (sessions == 0 && total > 0) {
      throw sdk::InvalidArgument(
          "input 'total_seconds': " + sdk::FormatNumber(total) +
          " seconds of session time, but sessions is 0");
    }
    total_seconds_ += total;
    sessions_ += sessions;
    saw_totals_ = true;
  }
}

void AverageSessionDuration::Merge(const AverageSessionDuration& other) {
  saw_totals_ = saw_totals_ || other.saw_totals_;
  total_seconds_ += other.total_seconds_;
  sessions_ += other.sessions_;
  zero_length_ += other.zero_length_;
  open_ += other.open_;
}

void AverageSessionDuration::Finalize(sdk::Result& result) const {
  if (open_ > 0) {
    result.Warning(sdk::FormatCount(open_) +
                   " session(s) still open (end at the open end) are left "
                   "out of the average");
  }
  if (saw_totals_ && !include_zero_length_) {
    result.Warning(
        "include_zero_length is false, but totals cannot tell zero-length "
        "sessions: sessions is used as given");
  }
  const double sessions = sessions_ + (include_zero_length_ ? zero_length_ : 0);
  result.SampleSize(sessions);
  if (sessions == 0 && zero_length_ > 0) {
    result.Ratio(total_seconds_, sessions);
    result.Undefined(
        "every session has zero length and include_zero_length is false: "
        "average session duration is undefined without sessions");
    return;
  }
  result.Rate(total_seconds_, sessions, 1.0,
              "sessions is 0: average session duration is undefined without "
              "sessions");
}

}  // namespace kpi::engagement
