// plugins/predictive/sbg.h -- the `sbg` metric: the shifted-beta-geometric
// model of contractual retention (Fader & Hardie 2007) fitted to a cohort's
// survival counts or to subscription records, or given by a stored fit, and
// its projections.
//
// Two input forms:
//   - survival: rows (period, survivors), the customers still active after
//     each period, period 0 being the cohort's size; rows for one period
//     add up (cohorts observed over the same periods); periods 0 .. N must
//     all be there, N >= 2, and the counts must not increase;
//   - records: subscriptions (customer, start, end) as of `as_of`, in
//     periods of period_days from each customer's first start: a customer
//     whose last subscription ended by as_of churned in period
//     ceil((end - start) / period) (at least 1); one still active (end after
//     as_of, or open) is known to have survived floor((as_of - start) /
//     period) periods (censored). A customer's subscriptions count as one
//     tenure, first start to last end.
// alpha and beta are fitted by maximum likelihood unless both are given.
// Value: the projected share of a new cohort still active after `horizon`
// periods, S(horizon), in %. Tables "model" (alpha, beta, log_likelihood,
// gradient_norm, evaluations, fitted) and "periods" (period 1 .. horizon:
// retention_rate, survival, and discounted_residual_lifetime, the
// discounted expected residual lifetime of a customer active after that
// many periods, Fader & Hardie 2010).
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_PREDICTIVE_SBG_H_
#define KPI_PLUGINS_PREDICTIVE_SBG_H_

#include <cstdint>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"
#include "plugins/predictive/models/sbg.h"

namespace kpi::predictive {

class Sbg {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("period", KPI_TYPE_INT64,
                  "Periods since the cohort started (0: its start).")
          .Required()
          .Integral()
          .Min(0)
          .Max(1000)
          .Form("survival"),
      sdk::Column("survivors", KPI_TYPE_DOUBLE,
                  "Customers of the cohort still active after the period "
                  "(at period 0: the cohort's size).")
          .Required()
          .Min(0)
          .Form("survival"),
      sdk::Column("customer", KPI_TYPE_KEY,
                  "Customer id of each subscription; a customer may have "
                  "several.")
          .Required()
          .Form("records"),
      sdk::Column("start", KPI_TYPE_TIMESTAMP,
                  "When the subscription became active.")
          .Required()
          .Form("records"),
      sdk::Column("end", KPI_TYPE_TIMESTAMP,
                  "When it stopped being active; the largest int64 for a "
                  "subscription still active.")
          .Required()
          .Form("records")};
  static constexpr auto kPeriod = sdk::Input<KPI_TYPE_INT64>(kInputs, "period");
  static constexpr auto kSurvivors =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "survivors");
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kStart =
      sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "start");
  static constexpr auto kEnd = sdk::Input<KPI_TYPE_TIMESTAMP>(kInputs, "end");
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("end", "start")};

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("as_of", 0,
                          "The instant the subscriptions are observed at "
                          "(records form).")
          .Required("records"),
      sdk::DoubleParam("period_days", 30.4375,
                       "Days per contract period (records form; 30.4375: an "
                       "average month, 365.25: a year).")
          .Min(1),
      sdk::Int64Param("horizon", 12, "Periods to project.")
          .Integral()
          .Min(1)
          .Max(1000),
      sdk::DoubleParam("discount_rate", 0.1,
                       "Discount rate per period for the discounted expected "
                       "residual lifetime, > 0.")
          .Min(0)
          .Max(10),
      sdk::DoubleParam("alpha", 0,
                       "sBG alpha of the churn-probability distribution. 0 "
                       "(the default, with beta): fitted. Give alpha and beta "
                       "of a stored fit to project only.")
          .Min(0),
      sdk::DoubleParam("beta", 0,
                       "sBG beta of the churn-probability distribution; 0: "
                       "fitted (see alpha).")
          .Min(0)};
  static constexpr auto kAsOf =
      sdk::Param<KPI_TYPE_TIMESTAMP>(kParams, "as_of");
  static constexpr auto kPeriodDays =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "period_days");
  static constexpr auto kHorizon =
      sdk::Param<KPI_TYPE_INT64>(kParams, "horizon");
  static constexpr auto kDiscountRate =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "discount_rate");
  static constexpr auto kAlpha = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "alpha");
  static constexpr auto kBeta = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "beta");

  static constexpr sdk::MetricInfo kInfo{
      "sbg",
      "Shifted-beta-geometric model of contractual retention (Fader & "
      "Hardie 2007), from a cohort's survival counts (period, survivors; "
      "period 0 the cohort) or from subscriptions (customer, start, end) as "
      "of as_of in periods of period_days. Fits alpha, beta by maximum "
      "likelihood, or projects only when both are given. Value: projected "
      "survival of a new cohort after horizon periods, in %. Tables "
      "\"model\" and \"periods\" (retention_rate, survival, "
      "discounted_residual_lifetime at discount_rate per period). Undefined "
      "without rows.",
      "%"};

  // Declared examples, checked at load. Fader & Hardie (2007)'s "high end"
  // cohort of 1,000 (869, 743, 653, 593, 551, 517, 491 left after years
  // 1-7) given as two cohorts of 500, each period's rows adding up:
  // alpha = 0.668, beta = 3.806, and 37.80% projected to remain after 12
  // years (the maximum-likelihood fit in mpmath: alpha = 0.66809, beta =
  // 3.80609, S(12) = 37.7999%). Split in halves, it fits the same (a
  // segment is one cohort).
  static constexpr int64_t kHighEndPeriods[] = {0, 0, 1, 1, 2, 2, 3, 3,
                                                4, 4, 5, 5, 6, 6, 7, 7};
  static constexpr double kHighEndSurvivors[] = {
      500,   500,   434.5, 434.5, 371.5, 371.5, 326.5, 326.5,
      296.5, 296.5, 275.5, 275.5, 258.5, 258.5, 245.5, 245.5};
  static constexpr kpi_example_input kHighEnd[] = {
      sdk::ExampleInput("period", kHighEndPeriods),
      sdk::ExampleInput("survivors", kHighEndSurvivors)};
  static constexpr kpi_example_param kTwelveYears[] = {
      sdk::ExampleParam("horizon", sdk::Int64Value(12))};
  // Subscriptions: every customer twice, so that each half of the rows is
  // the same cohort. Monthly periods from 2024-01-01, observed on
  // 2024-07-01 with the published fit of the "regular" cohort given: the
  // projection S(12) = 17.006% is the fit's, whatever the rows.
  static constexpr kpi_string_view kSubscribers[] = {
      sdk::Str("a"), sdk::Str("a"), sdk::Str("b"), sdk::Str("b")};
  // 2024-01-01 (four times).
  static constexpr int64_t kStarts[] = {1704067200000000, 1704067200000000,
                                        1704067200000000, 1704067200000000};
  // 2024-03-15 (churned in period 3), open (active after 5 periods).
  static constexpr int64_t kEnds[] = {1710460800000000, 1710460800000000,
                                      INT64_MAX, INT64_MAX};
  static constexpr kpi_example_input kSubscriptions[] = {
      sdk::ExampleKeys("customer", kSubscribers),
      sdk::ExampleTimestamps("start", kStarts),
      sdk::ExampleTimestamps("end", kEnds)};
  static constexpr kpi_example_param kRegularFit[] = {
      sdk::ExampleParam("as_of", sdk::TimestampValue(1719792000000000)),
      sdk::ExampleParam("horizon", sdk::Int64Value(12)),
      sdk::ExampleParam("alpha", sdk::DoubleValue(0.704)),
      sdk::ExampleParam("beta", sdk::DoubleValue(1.182))};
  static constexpr kpi_example_input kNoCounts[] = {
      sdk::ExampleEmptyColumn("period", KPI_TYPE_INT64),
      sdk::ExampleEmptyColumn("survivors", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("the high end cohort of Fader and Hardie", kHighEnd)
          .Params(kTwelveYears)
          .Expect(37.799907159740885, 1e-6),
      sdk::Example("subscriptions with the regular cohort's fit",
                   kSubscriptions)
          .Params(kRegularFit)
          .Expect(17.00625768060506, 1e-9),
      sdk::Example("no counts", kNoCounts).ExpectUndefined()};

  // Throws sdk::InvalidArgument for a discount_rate of 0.
  explicit Sbg(const sdk::Params& params);

  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` has the same parameters.
  void Merge(const Sbg& other);
  // Throws sdk::InvalidArgument when the counts have a gap or increase or
  // span fewer than 2 periods; undefined, with the reason, when the fit
  // fails (no churn, too few periods observed in the records).
  void Finalize(sdk::Result& result) const;

 private:
  struct Tenure {
    int64_t start = 0;  // first start
    int64_t end = 0;    // last end (sdk::kOpenEnd while active)
  };

  // The lifetimes the rows describe (survival counts or subscriptions).
  SbgLifetimes Lifetimes() const;

  int64_t as_of_;
  double period_micros_;
  int64_t horizon_;
  double discount_rate_;
  double given_[2];  // alpha, beta; both 0 to fit
  // Survival form: survivors by period, and which periods had rows.
  std::vector<double> survivors_;
  std::vector<uint8_t> has_period_;
  // Records form: each customer's tenure.
  sdk::PerKey<Tenure> tenures_;
};

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_SBG_H_
