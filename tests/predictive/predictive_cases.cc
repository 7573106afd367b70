// The predictive plugin's metrics through the server's dispatch path (the
// catalog harness, tests/catalog/catalog_harness.h): the published CDNOW
// fits reproduced from the raw transactions by the metrics themselves, the
// sBG worked examples, and the errors a caller gets for data a model cannot
// fit. The metrics' declared examples run in tests/catalog with every
// other metric's.
#include <fstream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tests/catalog/catalog_harness.h"
#include "tests/predictive/cdnow.h"

namespace kpi::testing {
namespace {

using absl::StatusCode;

// The CDNOW sample (shared/datasets/cdnow/CDNOW_sample.txt): customer,
// time ("YYYY-MM-DD") and amount columns; empty without the data set.
struct Transactions {
  std::vector<std::string> customers, times;
  std::vector<double> amounts;
};

Transactions Cdnow() {
  Transactions t;
  for (const predictive::testing::CdnowTransaction& row :
       predictive::testing::CdnowSample()) {
    t.customers.push_back(row.customer);
    t.times.push_back(absl::FormatTime(
        "%Y-%m-%d", absl::FromUnixMicros(row.time), absl::UTCTimeZone()));
    t.amounts.push_back(row.amount);
  }
  return t;
}

Request CdnowRequest(const std::string& metric, const Transactions& t,
                     bool amounts) {
  Request request(metric);
  request.Strings("customer", t.customers)
      .Timestamps("time", t.times)
      .ParamTime("calibration_end", "1997-09-30");
  if (amounts) request.Doubles("amount", t.amounts);
  return request;
}

// Fader, Hardie & Lee (2005) to their printed precision.
Expect PublishedBgNbd(const std::string& table) {
  Expect expect = Expect::Ok();
  expect.Tolerance(0.0005)
      .SampleSize(2357)
      .Warning("after calibration_end")
      .TableDoubles(table, "r", {0.243})
      .TableDoubles(table, "alpha", {4.414})
      .TableDoubles(table, "a", {0.793})
      .TableDoubles(table, "b", {2.426})
      .TableInt64s(table, "fitted", {1});
  return expect;
}

std::vector<CatalogCase> CdnowCases() {
  const Transactions cdnow = Cdnow();
  if (cdnow.customers.empty()) return {};
  return {
      {"BgNbdFitsTheCdnowSampleAsPublished",
       CdnowRequest("bgnbd", cdnow, false), PublishedBgNbd("model")},
      {"BgNbdCdnowLogLikelihoodIsThePublished",
       CdnowRequest("bgnbd", cdnow, false),
       Expect::Ok()
           .Tolerance(0.05)
           .Warning("after calibration_end")
           .TableDoubles("model", "log_likelihood", {-9582.4})},
      // p = 6.25, q = 3.74, v = 15.44 on the 946 repeat buyers; the
      // log-likelihood there is -4055.92 (mpmath).
      {"GammaGammaFitsTheCdnowRepeatBuyersAsPublished",
       CdnowRequest("gamma_gamma", cdnow, true),
       Expect::Ok()
           .Tolerance(0.005)
           .SampleSize(2357)
           .Warning("after calibration_end")
           .TableDoubles("model", "p", {6.25})
           .TableDoubles("model", "q", {3.74})
           .TableDoubles("model", "v", {15.44})
           .TableDoubles("model", "frequency_spend_correlation", {0.11})},
      {"GammaGammaCdnowLogLikelihoodIsThePublished",
       CdnowRequest("gamma_gamma", cdnow, true),
       Expect::Ok()
           .Tolerance(0.05)
           .Warning("after calibration_end")
           .TableDoubles("model", "log_likelihood", {-4055.9})},
      {"PredictiveClvFitsBothCdnowModels",
       CdnowRequest("predictive_clv", cdnow, true),
       PublishedBgNbd("purchase_model")
           .TableDoubles("spend_model", "p", {6.25})
           .Tolerance(0.005)},
      {"ChurnRiskFitsTheCdnowSample", CdnowRequest("churn_risk", cdnow, false),
       PublishedBgNbd("model")},
  };
}

// Fader & Hardie (2007), table 1: survivors of 1,000 after years 1-7, as
// two cohorts of half the size (each period's rows add up), so that the
// segment test's halves of the rows are each a whole cohort that fits the
// same.
Request Survival(const std::vector<double>& survivors) {
  std::vector<int64_t> periods;
  std::vector<double> halves;
  for (size_t t = 0; t < survivors.size(); ++t) {
    for (int cohort = 0; cohort < 2; ++cohort) {
      periods.push_back(static_cast<int64_t>(t));
      halves.push_back(survivors[t] / 2);
    }
  }
  Request request("sbg");
  request.Int64s("period", periods).Doubles("survivors", halves);
  return request;
}

// The same cohort as subscriptions of a year each from 2000-01-01: a
// customer lost in year t ends mid-year t, a survivor is still active on
// the as_of after year 7 (as ISO instants, open ends as "").
Request Subscriptions(const std::vector<double>& survivors) {
  const absl::Time start =
      absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());
  const absl::Duration year = absl::Hours(24 * 365.25);
  std::vector<std::string> customers, starts, ends;
  const auto add = [&](const std::string& end) {
    customers.push_back("c" + std::to_string(customers.size()));
    starts.push_back("2000-01-01");
    ends.push_back(end);
  };
  for (size_t t = 1; t < survivors.size(); ++t) {
    const std::string end = absl::FormatTime(
        "%Y-%m-%dT%H:%M:%SZ", start + (t - 0.5) * year, absl::UTCTimeZone());
    for (double n = survivors[t]; n < survivors[t - 1]; ++n) add(end);
  }
  for (double n = 0; n < survivors.back(); ++n) add("");
  Request request("sbg");
  request.Strings("customer", customers)
      .Timestamps("start", starts)
      .Timestamps("end", ends)
      .ParamDouble("period_days", 365.25)
      .ParamTime("as_of", absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                           start + 7 * year + absl::Hours(24),
                                           absl::UTCTimeZone()));
  return request;
}

std::vector<CatalogCase> SbgCases() {
  return {
      {"SbgFitsSubscriptionsLikeTheirSurvivalCounts",
       Subscriptions({1000, 631, 468, 382, 326, 289, 262, 241}),
       Expect::Ok()
           .Tolerance(0.0005)
           .SampleSize(1000)
           .TableDoubles("model", "alpha", {0.704})
           .TableDoubles("model", "beta", {1.182})},
      {"SbgFitsTheRegularCohortAsPublished",
       Survival({1000, 631, 468, 382, 326, 289, 262, 241}),
       Expect::Ok()
           .Tolerance(0.0005)
           .SampleSize(1000)
           .TableDoubles("model", "alpha", {0.704})
           .TableDoubles("model", "beta", {1.182})},
      {"SbgFitsTheHighEndCohortAsPublished",
       Survival({1000, 869, 743, 653, 593, 551, 517, 491}),
       Expect::Ok()
           .Tolerance(0.0005)
           .TableDoubles("model", "alpha", {0.668})
           .TableDoubles("model", "beta", {3.806})},
      {"SbgRefusesASinglePeriod", Survival({1000, 631}),
       Expect::Error(StatusCode::kInvalidArgument, "at least 2 periods")},
      {"SbgRefusesCountsThatIncrease", Survival({1000, 631, 700}),
       Expect::Error(StatusCode::kInvalidArgument, "must not increase")},
      {"SbgRefusesAGapInThePeriods",
       Request("sbg")
           .Int64s("period", {0, 1, 3})
           .Doubles("survivors", {100, 80, 60}),
       Expect::Error(StatusCode::kInvalidArgument, "skip period 2")},
  };
}

std::vector<CatalogCase> ErrorCases() {
  // Three customers who never bought again.
  const auto single_purchases = [](const std::string& metric) {
    return Request(metric)
        .Strings("customer", {"a", "b", "c"})
        .Timestamps("time", {"2024-01-05", "2024-02-01", "2024-02-20"})
        .ParamTime("calibration_end", "2024-03-31");
  };
  return {
      // A fit the data cannot support is the data's property, not the
      // caller's mistake: undefined with the model's reason (so one small
      // segment does not fail a grouped call).
      {"BgNbdIsUndefinedWithoutRepeatPurchases", single_purchases("bgnbd"),
       Expect::Undefined("no customer made a repeat purchase").SampleSize(3)},
      {"ChurnRiskIsUndefinedWithoutRepeatPurchases",
       single_purchases("churn_risk"),
       Expect::Undefined("no customer made a repeat purchase").SampleSize(3)},
      {"GammaGammaIsUndefinedWithoutRepeatBuyers",
       single_purchases("gamma_gamma").Doubles("amount", {10, 20, 30}),
       Expect::Undefined("no repeat buyer").SampleSize(3)},
      {"SbgIsUndefinedWhenNoSubscriberChurned",
       Request("sbg")
           .Strings("customer", {"a", "b"})
           .Timestamps("start", {"2024-01-01", "2024-01-01"})
           .Timestamps("end", {"", ""})
           .ParamTime("as_of", "2024-07-01"),
       Expect::Undefined("no customer churned").SampleSize(2)},
      {"BgNbdRefusesPartOfAStoredFit",
       single_purchases("bgnbd").ParamDouble("r", 0.243),
       Expect::Error(StatusCode::kInvalidArgument, "given in part")},
      // Every purchase after the calibration end: no customer to fit.
      {"BgNbdIsUndefinedBeforeAnyPurchase",
       single_purchases("bgnbd").ParamTime("calibration_end", "2023-12-31"),
       Expect::Undefined("no purchases by calibration_end")
           .SampleSize(0)
           .Warning("3 purchase rows after calibration_end")},
      // Two repeat purchases worth 1e308 each: their sum is no double.
      {"GammaGammaRefusesAmountsThatOverflow",
       Request("gamma_gamma")
           .Strings("customer", {"a", "a", "a"})
           .Timestamps("time", {"2024-01-05", "2024-02-01", "2024-02-20"})
           .Doubles("amount", {1, 1e308, 1e308})
           .ParamTime("calibration_end", "2024-03-31"),
       Expect::Error(StatusCode::kInvalidArgument,
                     "beyond the largest representable number")},
      {"ChurnRiskRefusesBandsOutOfOrder",
       single_purchases("churn_risk")
           .ParamDouble("high_risk", 0.2)
           .ParamDouble("medium_risk", 0.5),
       Expect::Error(StatusCode::kInvalidArgument, "medium_risk")},
  };
}

std::vector<CatalogCase> PredictiveCases() {
  std::vector<CatalogCase> all;
  for (auto* family : {&CdnowCases, &SbgCases, &ErrorCases}) {
    std::vector<CatalogCase> cases = family();
    all.insert(all.end(), cases.begin(), cases.end());
  }
  return all;
}

KPI_CATALOG_CASES(Predictive, PredictiveCases);

}  // namespace
}  // namespace kpi::testing
