#include "plugins/predictive/sbg.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "kpi/plugin_text.hpp"
#include "plugins/predictive/fitted_models.h"

namespace kpi::predictive {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;
constexpr const char* kSbgNames[] = {"alpha", "beta"};

// Grows `v` so that index `i` exists.
template <typename T>
void Reach(std::vector<T>& v, size_t i) {
  if (v.size() <= i) v.resize(i + 1, T{});
}

}  // namespace

Sbg::Sbg(const sdk::Params& params)
    : as_of_(params.Timestamp(kAsOf)),
      period_micros_(params.Double(kPeriodDays) * kMicrosPerDay),
      horizon_(params.Int64(kHorizon)),
      discount_rate_(params.Double(kDiscountRate)),
      given_{params.Double(kAlpha), params.Double(kBeta)} {
  if (!(discount_rate_ > 0)) {
    throw sdk::InvalidArgument(
        "discount_rate must be above 0: undiscounted, the expected residual "
        "lifetime is infinite when alpha <= 1");
  }
}

void Sbg::Update(const sdk::Chunk& chunk) {
  const sdk::View<int64_t> periods = chunk.Int64s(kPeriod);
  const sdk::View<double> survivors = chunk.Doubles(kSurvivors);
  for (size_t row = 0; row < periods.size(); ++row) {
    const size_t t = static_cast<size_t>(periods[row]);
    Reach(survivors_, t);
    Reach(has_period_, t);
    survivors_[t] += survivors[row];
    has_period_[t] = 1;
  }
  const sdk::KeyColumn customers = chunk.Keys(kCustomer);
  const sdk::View<int64_t> starts = chunk.Timestamps(kStart);
  const sdk::View<int64_t> ends = chunk.Timestamps(kEnd);
  tenures_.Track(customers);
  for (size_t row = 0; row < customers.codes.size(); ++row) {
    bool added = false;
    Tenure& tenure = tenures_.At(customers.codes[row], added);
    tenure.start = added ? starts[row] : std::min(tenure.start, starts[row]);
    tenure.end = added ? ends[row] : std::max(tenure.end, ends[row]);
  }
}

void Sbg::Merge(const Sbg& other) {
  for (size_t t = 0; t < other.survivors_.size(); ++t) {
    if (!other.has_period_[t]) continue;
    Reach(survivors_, t);
    Reach(has_period_, t);
    survivors_[t] += other.survivors_[t];
    has_period_[t] = 1;
  }
  tenures_.Merge(other.tenures_, [](Tenure& mine, const Tenure& theirs) {
    mine.start = std::min(mine.start, theirs.start);
    mine.end = std::max(mine.end, theirs.end);
  });
}

SbgLifetimes Sbg::Lifetimes() const {
  if (!survivors_.empty()) {
    for (size_t t = 0; t < has_period_.size(); ++t) {
      if (!has_period_[t]) {
        throw sdk::InvalidArgument(
            "survival counts skip period " +
            sdk::FormatCount(static_cast<int64_t>(t)) +
            ": give every period from 0 (the cohort's size) to the last");
      }
    }
    absl::StatusOr<SbgLifetimes> lifetimes = LifetimesFromSurvivors(survivors_);
    if (!lifetimes.ok()) {
      throw sdk::InvalidArgument(std::string(lifetimes.status().message()));
    }
    return *lifetimes;
  }
  SbgLifetimes lifetimes;
  tenures_.ForEach([&](int32_t, const Tenure& tenure) {
    if (tenure.start > as_of_) return;  // not a customer yet
    if (tenure.end <= as_of_) {
      const double span =
          static_cast<double>(static_cast<uint64_t>(tenure.end) -
                              static_cast<uint64_t>(tenure.start));
      const size_t t = std::max<size_t>(
          1, static_cast<size_t>(std::ceil(span / period_micros_)));
      Reach(lifetimes.churned, t);
      lifetimes.churned[t] += 1;
    } else {
      const double span = static_cast<double>(
          static_cast<uint64_t>(as_of_) - static_cast<uint64_t>(tenure.start));
      const size_t n = static_cast<size_t>(std::floor(span / period_micros_));
      Reach(lifetimes.active, n);
      lifetimes.active[n] += 1;
    }
  });
  return lifetimes;
}

void Sbg::Finalize(sdk::Result& result) const {
  if (survivors_.empty() && tenures_.count() == 0) {
    result.SampleSize(0);
    result.Undefined("no rows: no cohort or subscription to fit or project");
    return;
  }
  const SbgLifetimes lifetimes = Lifetimes();
  double customers = 0;
  for (double c : lifetimes.churned) customers += c;
  for (double a : lifetimes.active) customers += a;
  result.SampleSize(customers);
  std::optional<SbgParams> given;
  if (auto v = GivenParameters(given_, kSbgNames, "sBG")) {
    given = SbgParams{(*v)[0], (*v)[1]};
  }
  const absl::StatusOr<UsedModel<SbgParams>> model =
      UseOrFitSbg(given, lifetimes);
  if (!model.ok()) return UndefinedBecause(model.status(), result);
  const SbgParams& params = model->params;
  const double values[] = {params.alpha, params.beta};
  WriteModelTable(result, "model", kSbgNames, values, model->report,
                  model->fitted);

  const int horizon = static_cast<int>(horizon_);
  const std::vector<double> survival = SbgSurvival(params, horizon);
  std::vector<int64_t> periods;
  std::vector<double> retention, survival_column, residual;
  for (int t = 1; t <= horizon; ++t) {
    absl::StatusOr<double> derl =
        SbgDiscountedResidualLifetime(params, t, discount_rate_);
    if (!derl.ok()) {
      throw sdk::InvalidArgument(std::string(derl.status().message()));
    }
    periods.push_back(t);
    retention.push_back(SbgRetentionRate(params, t));
    survival_column.push_back(survival[t]);
    residual.push_back(*derl);
  }
  result.TableColumn("periods", "period", periods);
  result.TableColumn("periods", "retention_rate", retention);
  result.TableColumn("periods", "survival", survival_column);
  result.TableColumn("periods", "discounted_residual_lifetime", residual);
  result.Value(100 * survival[horizon]);
}

}  // namespace kpi::predictive
