#include "plugins/retention/cohort_retention.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "plugins/retention/calendar.h"
#include "plugins/retention/records.h"

namespace kpi::retention {

CohortRetention::CohortRetention(const sdk::Params& params)
    : periods_(params.Int64(kPeriods)) {
  // The host has checked the strings against kCohortPeriods / kModes; this
  // guards a host that did not.
  const std::string_view grain = params.String(kCohortPeriod);
  if (grain == kCohortPeriods[0]) {
    grain_ = Grain::kMonth;
  } else if (grain == kCohortPeriods[1]) {
    grain_ = Grain::kWeek;
  } else {
    throw sdk::InvalidArgument(
        "cohort_period must be \"month\" or \"week\", "
        "not \"" +
        std::string(grain) + "\"");
  }
  const std::string_view mode = params.String(kMode);
  if (mode == kModes[0]) {
    mode_ = Mode::kNPeriod;
  } else if (mode == kModes[1]) {
    mode_ = Mode::kUnbounded;
  } else {
    throw sdk::InvalidArgument(
        "mode must be \"n_period\" or \"unbounded\", not \"" +
        std::string(mode) + "\"");
  }
  if (periods_ < 1 || periods_ > 120) {
    throw sdk::InvalidArgument("periods must be between 1 and 120");
  }
}

int64_t CohortRetention::PeriodOf(int64_t micros) const {
  return grain_ == Grain::kMonth ? MonthIndex(micros) : WeekIndex(micros);
}

void CohortRetention::AddPeriod(Periods& periods, int64_t period) const {
  auto at = std::lower_bound(periods.begin(), periods.end(), period);
  if (at != periods.end() && *at == period) return;
  periods.insert(at, period);
  if (mode_ == Mode::kUnbounded) {
    // Only the first (the cohort) and the last period decide it.
    if (periods.size() > 2)
      periods.erase(periods.begin() + 1, periods.end() - 1);
    return;
  }
  // The cohort can only move earlier, so periods beyond `periods_` after it
  // never count again.
  const int64_t horizon = periods.front() + periods_;
  periods.erase(std::upper_bound(periods.begin(), periods.end(), horizon),
                periods.end());
}

void CohortRetention::Update(const sdk::Chunk& chunk) {
  const sdk::KeyColumn customers = chunk.Keys(kCustomer);
  const sdk::View<int64_t> times = chunk.Timestamps(kTime);
  activity_.Track(customers);
  for (size_t row = 0; row < customers.codes.size(); ++row) {
    const int64_t period = PeriodOf(times[row]);
    last_period_ = std::max(last_period_, period);
    bool added = false;
    AddPeriod(activity_.At(customers.codes[row], added), period);
  }
}

void CohortRetention::Merge(const CohortRetention& other) {
  last_period_ = std::max(last_period_, other.last_period_);
  // A customer only `other` saw is copied: its periods are already what
  // AddPeriod would keep of them.
  activity_.Merge(other.activity_,
                  [this](Periods& mine, const Periods& theirs) {
                    for (int64_t period : theirs) AddPeriod(mine, period);
                  });
}

void CohortRetention::Finalize(sdk::Result& result) const {
  // Cohort period -> its size and, per k, the customers active.
  struct Cohort {
    int64_t size = 0;
    std::vector<int64_t> active;
  };
  std::map<int64_t, Cohort> cohorts;
  activity_.ForEach([&](int32_t, const Periods& periods) {
    const int64_t first = periods.front();
    Cohort& cohort = cohorts[first];
    if (cohort.active.empty()) cohort.active.assign(periods_ + 1, 0);
    ++cohort.size;
    if (mode_ == Mode::kNPeriod) {
      for (int64_t period : periods) ++cohort.active[period - first];
    } else {
      const int64_t last = std::min(periods.back() - first, periods_);
      for (int64_t k = 0; k <= last; ++k) ++cohort.active[k];
    }
  });

  std::vector<std::string> labels;
  std::vector<int64_t> starts, ks, sizes, actives;
  std::vector<double> retention;
  double period1_active = 0;
  double period1_size = 0;
  for (const auto& [first, cohort] : cohorts) {
    const std::string label =
        grain_ == Grain::kMonth ? MonthLabel(first) : IsoWeekLabel(first);
    const int64_t start =
        grain_ == Grain::kMonth ? MonthStart(first) : WeekStart(first);
    const int64_t observable = std::min(last_period_ - first, periods_);
    for (int64_t k = 0; k <= observable; ++k) {
      labels.push_back(label);
      starts.push_back(start);
      ks.push_back(k);
      sizes.push_back(cohort.size);
      actives.push_back(cohort.active[k]);
      retention.push_back(static_cast<double>(cohort.active[k]) /
                          static_cast<double>(cohort.size) * 100.0);
    }
    if (observable >= 1) {
      period1_active += static_cast<double>(cohort.active[1]);
      period1_size += static_cast<double>(cohort.size);
    }
  }
  result.TableColumn("cells", "cohort", labels);
  result.TableColumn("cells", "cohort_start",
                     sdk::View<int64_t>(starts.data(), starts.size()),
                     /*timestamps=*/true);
  result.TableColumn("cells", "period", ks);
  result.TableColumn("cells", "size", sizes);
  result.TableColumn("cells", "active", actives);
  result.TableColumn("cells", "retention", retention);

  result.SampleSize(static_cast<double>(activity_.count()));
  const char* unit = grain_ == Grain::kMonth ? "month" : "week";
  std::string reason;
  if (activity_.count() == 0) {
    reason =
        "no activity records: cohort retention is undefined without "
        "customers";
  } else {
    reason = std::string(
                 "no cohort has an observable period 1: all activity "
                 "falls in one ") +
             unit + " (" +
             (grain_ == Grain::kMonth ? MonthLabel(last_period_)
                                      : IsoWeekLabel(last_period_)) +
             "); period-1 retention needs activity in a later " + unit;
  }
  result.Rate(period1_active, period1_size, 100.0, reason);
}

}  // namespace kpi::retention
