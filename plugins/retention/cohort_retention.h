// plugins/retention/cohort_retention.h -- cohort retention: for each
// acquisition cohort, the share of its customers active k periods later.
//
// Input: activity records (`customer`, `time`), any activity (an order, a
// login, a payment). Periods are calendar months or ISO weeks (Monday to
// Sunday), UTC, by `cohort_period`. A customer's cohort is the period of
// their first activity; period k of a cohort is the k-th period after it
// (period 0 is the cohort period). A customer counts as active in period k:
//   - mode "n_period" (N-day/N-week/N-month retention): when they have an
//     activity in exactly that period;
//   - mode "unbounded": when they have an activity in that period or any
//     later one.
// retention(cohort, k) = active(cohort, k) / size(cohort) x 100, so period 0
// is always 100%.
//
// Only observable cells are reported: (cohort, k) with cohort + k at or
// before the last period holding any activity in the rows computed (per
// segment: that segment's rows). A period that has not happened yet is
// missing, not 0%; the last period observed may be partial.
//
// Result: the table "cells", one row per observable (cohort, k), cohorts in
// time order then k = 0..periods: `cohort` (STRING, "2024-01" or
// "2024-W05"), `cohort_start` (TIMESTAMP, the cohort period's first
// instant), `period` (INT64 k), `size` (INT64), `active` (INT64) and
// `retention` (DOUBLE, %). The headline value is the period-1 retention of
// all cohorts whose period 1 is observable, weighted by cohort size:
// sum active(c, 1) / sum size(c) x 100, with that ratio; undefined when no
// cohort has an observable period 1. Sample size: customers.
//
// The state keeps, per customer (by the host's key code), the distinct
// periods with activity that can still matter (n_period: those within
// `periods` of their first; in unbounded mode the first and the last), and
// the last period of all rows: exact whatever way the rows are split across
// chunks and states.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_RETENTION_COHORT_RETENTION_H_
#define KPI_PLUGINS_RETENTION_COHORT_RETENTION_H_

#include <cstdint>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"
#include "plugins/retention/examples.h"

namespace kpi::retention {

class CohortRetention {
 public:
  static constexpr const char* const kCohortPeriods[] = {"month", "week"};
  static constexpr const char* const kModes[] = {"n_period", "unbounded"};

  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_KEY,
                  "Customer id of each activity record.")
          .Required(),
      sdk::Column("time", KPI_TYPE_TIMESTAMP,
                  "When the activity happened (an order, a login, a "
                  "payment).")
          .Required()};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kTime = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "time");

  static constexpr kpi_param_spec kParams[] = {
      sdk::StringParam("cohort_period", "month",
                       "The period of cohorts and of retention: \"month\" "
                       "(calendar months, UTC) or \"week\" (ISO weeks, "
                       "Monday to Sunday, UTC).")
          .OneOf(kCohortPeriods),
      sdk::StringParam("mode", "n_period",
                       "\"n_period\": active in period k means activity in "
                       "exactly that period; \"unbounded\": in that period "
                       "or any later one.")
          .OneOf(kModes),
      sdk::Int64Param("periods", 12,
                      "How many periods after the cohort period to report "
                      "(period 0 is the cohort period itself).")
          .Min(1)
          .Max(120)
          .Integral()};
  static constexpr auto kCohortPeriod =
      sdk::Param<KPI_TYPE_STRING>(kParams, "cohort_period");
  static constexpr auto kMode = sdk::Param<KPI_TYPE_STRING>(kParams, "mode");
  static constexpr auto kPeriods =
      sdk::Param<KPI_TYPE_INT64>(kParams, "periods");

  static constexpr sdk::MetricInfo kInfo{
      "cohort_retention",
      "Cohort retention: customers grouped by the month (or ISO week) of "
      "their first activity; for each cohort and k = 0..periods, the % of "
      "the cohort active k periods later (mode n_period: active in exactly "
      "period k; unbounded: in period k or later). The table \"cells\" has "
      "one row per observable cell (cohort, cohort_start, period, size, "
      "active, retention); periods after the last activity in the data are "
      "left out, not reported as 0. Value: period-1 retention over the "
      "cohorts whose period 1 is observable, weighted by cohort size; "
      "undefined when no cohort's period 1 is observable.",
      "%"};

  // Declared examples, checked at load. January cohort {a, b}: a is back in
  // February; February cohort {c}: back in March. Period-1 retention over
  // both, weighted by size: (1 + 1) / (2 + 1). And no rows.
  static constexpr kpi_string_view kActivityCustomers[] = {
      sdk::Str("a"), sdk::Str("a"), sdk::Str("b"), sdk::Str("c"),
      sdk::Str("c")};
  static constexpr int64_t kActivityTimes[] = {
      example::kJan5th, example::kFeb10th, example::kJan20th, example::kFeb3rd,
      example::kMar1st};
  static constexpr kpi_example_input kActivity[] = {
      sdk::ExampleKeys("customer", kActivityCustomers),
      sdk::ExampleTimestamps("time", kActivityTimes)};
  static constexpr kpi_example_input kNoActivity[] = {
      sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
      sdk::ExampleEmptyColumn("time", KPI_TYPE_TIMESTAMP)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("two monthly cohorts", kActivity).Expect(200.0 / 3),
      sdk::Example("no rows", kNoActivity).ExpectUndefined()};

  // Throws sdk::InvalidArgument for a cohort_period or mode outside the
  // allowed values (the host checks them first).
  explicit CohortRetention(const sdk::Params& params);

  // Adds the chunk's activity records (the host refuses an empty customer
  // id).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric, created with the same
  // parameters.
  void Merge(const CohortRetention& other);
  // The table "cells", the headline value with its ratio, and the sample
  // size (customers).
  void Finalize(sdk::Result& result) const;

 private:
  enum class Grain { kMonth, kWeek };
  enum class Mode { kNPeriod, kUnbounded };
  // Sorted distinct period indices of one customer, front() the cohort.
  using Periods = std::vector<int64_t>;

  int64_t PeriodOf(int64_t micros) const;
  // Adds `period` to `periods`, dropping what can no longer matter.
  void AddPeriod(Periods& periods, int64_t period) const;

  Grain grain_;
  Mode mode_;
  int64_t periods_;
  // The last period with any activity; meaningful when activity_ has a
  // customer.
  int64_t last_period_ = INT64_MIN;
  sdk::PerKey<Periods> activity_;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_COHORT_RETENTION_H_
