// plugins/journey/funnel.h -- the journey funnel.
//
// Events (customer, stage, time) in any order; an ordered list of stages
// (awareness, consideration, decision, retention, advocacy by default). Each
// customer reaches a depth d (0..K): the stages 1..d they went through, by
// the mode's rule. Stage k's entrants are the customers with d >= k, so the
// funnel only narrows. Per stage the result table "stages" holds entrants,
// step conversion (k / k-1), overall conversion (k / 1) and drop-off; the
// headline is the overall conversion of the last stage.
//
// How a customer's depth is found. Their funnel events are sorted by time
// (ties by the stage's position in the list). Every event of the first stage
// starts an attempt; the depth is that of the attempt that gets furthest.
//   ordered: stage k counts at the first stage-k event at or after the time
//            stage k-1 was reached (other events in between are fine);
//   strict:  stage k must be the very next funnel event after stage k-1; any
//            other funnel event in between (a repeat included) ends the
//            attempt;
//   any:     stage k counts if the customer has a stage-k event at all,
//            before or after; stages stay cumulative (k needs 1..k-1).
// With window_seconds W > 0, an attempt starting at time t counts only the
// events in [t, t + W] (ordered, strict) or in [t - W, t + W] (any, where
// order does not matter). With a period [period_start, period_end), only
// first-stage events inside it start attempts: the funnel's entrants are
// the customers who entered it in the period, and their later stages may
// fall after the period's end (a customer aware in March who buys in April
// converted, for a March funnel). Events outside the period still count as
// later stages, and in strict mode still interrupt.
//
// The state keeps every customer's funnel events (exact, not a sketch), by
// the host's key code, so events of one customer may arrive in any chunk or
// state; merging appends them. Events whose stage is not in the list are
// counted and dropped.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_JOURNEY_FUNNEL_H_
#define KPI_PLUGINS_JOURNEY_FUNNEL_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"

namespace kpi::journey {

// The values of the funnel's "mode" parameter.
inline constexpr const char* kFunnelModes[] = {"ordered", "strict", "any"};

class Funnel {
 public:
  // 100 years of 365.25 days: wide enough for any journey, small enough
  // that window arithmetic in microseconds cannot overflow.
  static constexpr int64_t kMaxWindowSeconds = 3155760000;

  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_KEY,
                  "The customer (or user, account) the event belongs to.")
          .Required(),
      sdk::Column("stage", KPI_TYPE_STRING,
                  "The funnel stage the event marks, one of `stages`; events "
                  "of other stages are ignored (and counted in a warning).")
          .Required(),
      sdk::Column("time", KPI_TYPE_TIMESTAMP,
                  "When the event happened. Rows may come in any order.")
          .Required()};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kStage = sdk::Input<KPI_TYPE_STRING>(kInputs, "stage");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");

  static constexpr kpi_param_spec kParams[] = {
      sdk::StringParam("stages",
                       "awareness,consideration,decision,retention,advocacy",
                       "The funnel's stages in order, comma separated: at "
                       "least 2 distinct names."),
      sdk::Int64Param("window_seconds", 0,
                      "Conversion window: an attempt that starts with a "
                      "first-stage event at time t counts only events "
                      "within t + window_seconds (t +- window_seconds in "
                      "mode any). 0 means no window.")
          .Min(0)
          .Max(kMaxWindowSeconds),
      sdk::StringParam("mode", "ordered",
                       "\"ordered\": stage k counts at or after stage k-1; "
                       "\"strict\": stage k must be the very next funnel "
                       "event after stage k-1; \"any\": order ignored, "
                       "stages still cumulative.")
          .OneOf(kFunnelModes),
      sdk::TimestampParam("period_start", sdk::kEarliestInstant,
                          "Start of the period (inclusive): only first-stage "
                          "events at or after it start an attempt. Default: "
                          "the earliest instant, no start."),
      sdk::TimestampParam("period_end", sdk::kLatestInstant,
                          "End of the period (exclusive) for first-stage "
                          "events; later stages may fall after it. Default: "
                          "the last instant, no end.")};
  static constexpr auto kStages =
      sdk::Param<KPI_TYPE_STRING>(kParams, "stages");
  // `stages` is a list of names, which the host checks item by item.
  static constexpr kpi_list_field kStageFields[] = {
      sdk::TextField("stage", "A stage, as in the stage column.")};
  static constexpr kpi_list_param kListParams[] = {
      sdk::ListParam("stages", kStageFields)};
  static constexpr auto kWindowSeconds =
      sdk::Param<KPI_TYPE_INT64>(kParams, "window_seconds");
  static constexpr auto kMode = sdk::Param<KPI_TYPE_STRING>(kParams, "mode");
  static constexpr auto kPeriodStart =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_start");
  static constexpr auto kPeriodEnd =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "period_end");

  static constexpr sdk::MetricInfo kInfo{
      "funnel",
      "Journey funnel over events (customer, stage, time) and an ordered "
      "list of stages. Each customer reaches stages 1..d by the mode "
      "(ordered: each stage at or after the previous one; strict: each stage "
      "the very next funnel event; any: order ignored), taking the best "
      "attempt that starts at a first-stage event, and within window_seconds "
      "of that start when a window is set; with period_start/period_end, only "
      "first-stage events in [period_start, period_end) start attempts, and "
      "later stages may fall after the period. Table \"stages\": per stage "
      "entrants (customers with d >= k), step_conversion = entrants(k) / "
      "entrants(k-1) x 100, overall_conversion = entrants(k) / entrants(1) x "
      "100, drop_off = entrants(k-1) - entrants(k). Value: the overall "
      "conversion of the last stage, in %, with ratio (last-stage entrants, "
      "first-stage entrants). Undefined when nobody entered the first stage.",
      "%"};

  // Declared examples, checked at load: a and b both aware, only a goes on
  // to consideration (1 of 2 through the funnel); no events.
  static constexpr kpi_string_view kEventCustomers[] = {
      sdk::Str("a"), sdk::Str("a"), sdk::Str("b")};
  static constexpr kpi_string_view kEventStages[] = {
      sdk::Str("awareness"), sdk::Str("consideration"), sdk::Str("awareness")};
  // 2024-01-01, 2024-01-02, 2024-01-01 (us since the epoch).
  static constexpr int64_t kEventTimes[] = {1704067200000000, 1704153600000000,
                                            1704067200000000};
  static constexpr kpi_example_input kEvents[] = {
      sdk::ExampleKeys("customer", kEventCustomers),
      sdk::ExampleInput("stage", kEventStages),
      sdk::ExampleTimestamps("time", kEventTimes)};
  static constexpr kpi_example_param kTwoStages[] = {
      sdk::ExampleParam("stages", sdk::StringValue("awareness,consideration"))};
  static constexpr kpi_example_input kNoEvents[] = {
      sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
      sdk::ExampleEmptyColumn("stage", KPI_TYPE_STRING),
      sdk::ExampleEmptyColumn("time", KPI_TYPE_TIMESTAMP)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("1 of 2 aware customers considers", kEvents)
          .Params(kTwoStages)
          .Expect(50),
      sdk::Example("no events", kNoEvents).ExpectUndefined()};

  // Throws sdk::InvalidArgument when `stages` has fewer than 2 names, an
  // empty name or a name twice, and when period_end is not after
  // period_start.
  explicit Funnel(const sdk::Params& params);

  // Keeps the chunk's events of the funnel's stages, counts the others.
  void Update(const sdk::Chunk& chunk);
  // Appends `other`'s events. REQUIRES: the same parameters.
  void Merge(const Funnel& other);
  // Value, ratio, sample size (first-stage entrants), table "stages";
  // warnings for ignored events and for customers with no first-stage event
  // at all.
  void Finalize(sdk::Result& result) const;

 private:
  enum class Mode { kOrdered, kStrict, kAny };
  struct Event {
    int64_t time;
    uint32_t stage;  // position in stages_
  };
  using Events = std::vector<Event>;

  // The position of `name` in stages_, or -1.
  int64_t StageIndex(std::string_view name) const;
  // How many stages a customer reached: in strict mode from their events,
  // REQUIRES sorted by (time, stage); in ordered and any mode from each
  // stage's event times, REQUIRES each sorted.
  size_t DepthStrict(const Events& events) const;
  size_t DepthFromTimes(const std::vector<std::vector<int64_t>>& times) const;
  // Whether a first-stage event at `time` starts an attempt.
  bool InPeriod(int64_t time) const {
    return time >= period_start_ &&
           (time < period_end_ || period_end_ == sdk::kLatestInstant);
  }

  // Keeps at most kIgnoredExamples names, the smallest: a choice that does
  // not depend on how rows were split into chunks and states.
  void NoteIgnoredStage(std::string_view name);

  std::vector<std::string> stages_;
  // (name, position) sorted by name, for lookups by string_view.
  std::vector<std::pair<std::string, uint32_t>> stage_lookup_;
  int64_t window_micros_ = 0;  // 0: no window
  // First-stage events in [period_start_, period_end_) start attempts; the
  // default end, the last instant, leaves the period open.
  int64_t period_start_;
  int64_t period_end_;
  Mode mode_ = Mode::kOrdered;

  sdk::PerKey<Events> customers_;
  int64_t ignored_events_ = 0;
  std::set<std::string> ignored_stages_;  // examples for the warning
};

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_FUNNEL_H_
