#include "plugins/journey/funnel.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>

#include "kpi/plugin_text.hpp"
#include "plugins/journey/list_param.h"

namespace kpi::journey {
namespace {

// The most ignored stage names a warning quotes.
constexpr size_t kIgnoredExamples = 3;

constexpr int64_t kMicrosPerSecond = 1000000;

// a - b and a + b clamped to the int64 range. REQUIRES: b >= 0.
int64_t SaturatingSub(int64_t a, int64_t b) {
  return a < std::numeric_limits<int64_t>::min() + b
             ? std::numeric_limits<int64_t>::min()
             : a - b;
}
int64_t SaturatingAdd(int64_t a, int64_t b) {
  return a > std::numeric_limits<int64_t>::max() - b
             ? std::numeric_limits<int64_t>::max()
             : a + b;
}

// later - earlier without overflow. REQUIRES: later >= earlier.
uint64_t Elapsed(int64_t earlier, int64_t later) {
  return static_cast<uint64_t>(later) - static_cast<uint64_t>(earlier);
}

}  // namespace

Funnel::Funnel(const sdk::Params& params)
    : period_start_(params.Timestamp(kPeriodStart)),
      period_end_(params.Timestamp(kPeriodEnd)) {
  if (period_end_ <= period_start_) {
    throw sdk::InvalidArgument(
        "period_end (" + sdk::FormatInstant(period_end_) +
        ") is not after period_start (" + sdk::FormatInstant(period_start_) +
        "): the period has no instant to enter in");
  }
  const std::string_view text = params.String(kStages);
  for (std::string_view name : ListItems("stages", text)) {
    stages_.emplace_back(name);
  }
  if (stages_.size() < 2) {
    throw sdk::InvalidArgument(
        "stages " + sdk::Quote(text) +
        " names one stage: a funnel needs at least 2, separated by commas");
  }
  for (uint32_t i = 0; i < stages_.size(); ++i) {
    stage_lookup_.emplace_back(stages_[i], i);
  }
  std::sort(stage_lookup_.begin(), stage_lookup_.end());
  for (size_t i = 1; i < stage_lookup_.size(); ++i) {
    if (stage_lookup_[i].first == stage_lookup_[i - 1].first) {
      throw sdk::InvalidArgument("stages names " +
                                 sdk::Quote(stage_lookup_[i].first) +
                                 " twice: each stage may appear once");
    }
  }
  window_micros_ = params.Int64(kWindowSeconds) * kMicrosPerSecond;
  const std::string_view mode = params.String(kMode);
  if (mode == kFunnelModes[0]) {
    mode_ = Mode::kOrdered;
  } else if (mode == kFunnelModes[1]) {
    mode_ = Mode::kStrict;
  } else if (mode == kFunnelModes[2]) {
    mode_ = Mode::kAny;
  } else {
    // The host checks OneOf; this guards a host that did not.
    throw sdk::InvalidArgument("mode " + sdk::Quote(mode) +
                               " must be \"ordered\", \"strict\" or \"any\"");
  }
}

int64_t Funnel::StageIndex(std::string_view name) const {
  const auto it =
      std::lower_bound(stage_lookup_.begin(), stage_lookup_.end(), name,
                       [](const auto& entry, std::string_view key) {
                         return entry.first < key;
                       });
  if (it == stage_lookup_.end() || it->first != name) return -1;
  return it->second;
}

void Funnel::NoteIgnoredStage(std::string_view name) {
  if (ignored_stages_.size() >= kIgnoredExamples &&
      name >= *ignored_stages_.rbegin()) {
    return;
  }
  ignored_stages_.emplace(name);
  if (ignored_stages_.size() > kIgnoredExamples) {
    ignored_stages_.erase(std::prev(ignored_stages_.end()));
  }
}

void Funnel::Update(const sdk::Chunk& chunk) {
  const sdk::KeyColumn customers = chunk.Keys(kCustomer);
  const sdk::View<kpi_string_view> stages = chunk.Strings(kStage);
  const sdk::View<int64_t> times = chunk.Timestamps(kTime);
  customers_.Track(customers);
  for (size_t row = 0; row < customers.codes.size(); ++row) {
    const int64_t stage = StageIndex(sdk::Text(stages[row]));
    if (stage < 0) {
      ++ignored_events_;
      NoteIgnoredStage(sdk::Text(stages[row]));
      continue;
    }
    bool added = false;
    customers_.At(customers.codes[row], added)
        .push_back({times[row], static_cast<uint32_t>(stage)});
  }
}

void Funnel::Merge(const Funnel& other) {
  customers_.Merge(other.customers_, [](Events& mine, const Events& theirs) {
    mine.insert(mine.end(), theirs.begin(), theirs.end());
  });
  ignored_events_ += other.ignored_events_;
  for (const std::string& name : other.ignored_stages_) {
    NoteIgnoredStage(name);
  }
}

size_t Funnel::DepthStrict(const Events& events) const {
  const size_t k = stages_.size();
  size_t best = 0;
  for (size_t start = 0; start < events.size() && best < k; ++start) {
    if (events[start].stage != 0 || !InPeriod(events[start].time)) continue;
    const int64_t t = events[start].time;
    size_t depth = 1;
    for (size_t next = start + 1; next < events.size() && depth < k; ++next) {
      if (events[next].stage != depth) break;
      if (window_micros_ > 0 && Elapsed(t, events[next].time) >
                                    static_cast<uint64_t>(window_micros_)) {
        break;
      }
      ++depth;
    }
    best = std::max(best, depth);
  }
  return best;
}

size_t Funnel::DepthFromTimes(
    const std::vector<std::vector<int64_t>>& times) const {
  const size_t k = stages_.size();
  // The first-stage events in the period: the attempts.
  const std::vector<int64_t>& all_starts = times[0];
  // Sorted, so the attempts are one run of them, found by binary search.
  const auto first =
      std::lower_bound(all_starts.begin(), all_starts.end(), period_start_);
  const auto last =
      period_end_ == sdk::kLatestInstant
          ? all_starts.end()
          : std::lower_bound(first, all_starts.end(), period_end_);
  if (first == last) return 0;
  if (mode_ == Mode::kAny && window_micros_ == 0) {
    size_t depth = 1;
    while (depth < k && !times[depth].empty()) ++depth;
    return depth;
  }
  size_t best = 1;
  for (auto start = first; start != last && best < k; ++start) {
    const int64_t t = *start;
    if (start != first && t == *(start - 1)) continue;  // the same attempt
    size_t depth = 1;
    if (mode_ == Mode::kOrdered) {
      int64_t reached = t;
      for (; depth < k; ++depth) {
        // The earliest stage event at or after the previous stage: choosing
        // it leaves the most room for the stages after it.
        const std::vector<int64_t>& stage = times[depth];
        const auto it = std::lower_bound(stage.begin(), stage.end(), reached);
        if (it == stage.end()) break;
        if (window_micros_ > 0 &&
            Elapsed(t, *it) > static_cast<uint64_t>(window_micros_)) {
          break;
        }
        reached = *it;
      }
    } else {  // any, with a window
      const int64_t low = SaturatingSub(t, window_micros_);
      const int64_t high = SaturatingAdd(t, window_micros_);
      for (; depth < k; ++depth) {
        const std::vector<int64_t>& stage = times[depth];
        const auto it = std::lower_bound(stage.begin(), stage.end(), low);
        if (it == stage.end() || *it > high) break;
      }
    }
    best = std::max(best, depth);
    // Without a window the earliest start reaches furthest.
    if (window_micros_ == 0) break;
  }
  return best;
}

void Funnel::Finalize(sdk::Result& result) const {
  const size_t k = stages_.size();
  // reached[d]: customers whose depth is exactly d.
  std::vector<int64_t> reached(k + 1, 0);
  // Customers with no first-stage event at all (in or out of the period).
  int64_t never_entered = 0;
  Events events;
  std::vector<std::vector<int64_t>> times(k);
  customers_.ForEach([&](int32_t, const Events& customer_events) {
    events = customer_events;
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      return a.time != b.time ? a.time < b.time : a.stage < b.stage;
    });
    size_t depth;
    if (mode_ == Mode::kStrict) {
      depth = DepthStrict(events);
    } else {
      for (auto& stage : times) stage.clear();
      for (const Event& e : events) times[e.stage].push_back(e.time);
      depth = DepthFromTimes(times);
    }
    ++reached[depth];
    const bool entered_ever =
        std::any_of(events.begin(), events.end(),
                    [](const Event& e) { return e.stage == 0; });
    if (!entered_ever) ++never_entered;
  });

  std::vector<int64_t> entrants(k, 0);
  int64_t at_least = 0;
  for (size_t d = k; d >= 1; --d) {
    at_least += reached[d];
    entrants[d - 1] = at_least;
  }
  // A cell whose denominator is 0 is 0: tables hold no undefined cells, and
  // entrants beside it show why.
  const double first = static_cast<double>(entrants[0]);
  std::vector<double> step(k, 0), overall(k, 0);
  std::vector<int64_t> drop_off(k, 0);
  for (size_t i = 0; i < k; ++i) {
    const double here = static_cast<double>(entrants[i]);
    overall[i] = first > 0 ? here / first * 100.0 : 0;
    if (i == 0) {
      step[i] = first > 0 ? 100.0 : 0;
    } else {
      const double before = static_cast<double>(entrants[i - 1]);
      step[i] = before > 0 ? here / before * 100.0 : 0;
      drop_off[i] = entrants[i - 1] - entrants[i];
    }
  }
  result.TableColumn("stages", "stage", stages_);
  result.TableColumn("stages", "entrants", entrants);
  result.TableColumn("stages", "step_conversion", step);
  result.TableColumn("stages", "overall_conversion", overall);
  result.TableColumn("stages", "drop_off", drop_off);

  if (ignored_events_ > 0) {
    std::string examples;
    for (const std::string& name : ignored_stages_) {
      examples += examples.empty() ? "" : ", ";
      examples += sdk::Quote(name);
    }
    result.Warning(sdk::Counted(ignored_events_, "event", "events") +
                   " with a stage not in stages ignored (e.g. " + examples +
                   ")");
  }
  if (never_entered > 0) {
    result.Warning(sdk::Counted(never_entered, "customer", "customers") +
                   " with events of later stages but none of the first stage " +
                   sdk::Quote(stages_[0]) + ": not in the funnel");
  }
  result.SampleSize(first);
  const bool has_period = period_start_ != sdk::kEarliestInstant ||
                          period_end_ != sdk::kLatestInstant;
  result.Rate(
      static_cast<double>(entrants[k - 1]), first, 100.0,
      "no customer entered the first stage " + sdk::Quote(stages_[0]) +
          (has_period ? " in the period [" + sdk::FormatInstant(period_start_) +
                            ", " + sdk::FormatInstant(period_end_) + ")"
                      : "") +
          ": funnel conversion is undefined");
}

}  // namespace kpi::journey
