#include "plugins/journey/rfm.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include "kpi/plugin_text.hpp"
#include "plugins/journey/quantile_score.h"

namespace kpi::journey {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;
constexpr size_t kNumSegments = std::size(kRfmSegments);

// A rule's bound with q filled in (see RfmSegmentRule).
int64_t Bound(int bound, int64_t q) { return bound <= 0 ? q + bound : bound; }

bool InRange(int64_t score, int min, int max, int64_t q) {
  return score >= Bound(min, q) && score <= Bound(max, q);
}

// The position in kRfmSegments of the first rule the scores match.
size_t SegmentOf(int64_t r, int64_t f, int64_t m, int64_t q) {
  for (size_t i = 0; i + 1 < kNumSegments; ++i) {
    const RfmSegmentRule& rule = kRfmSegments[i];
    if (InRange(r, rule.r_min, rule.r_max, q) &&
        InRange(f, rule.f_min, rule.f_max, q) &&
        InRange(m, rule.m_min, rule.m_max, q)) {
      return i;
    }
  }
  return kNumSegments - 1;  // others
}

}  // namespace

void Rfm::Totals::AddAmount(double amount) {
  const double t = sum + amount;
  // The low-order bits lost in the addition, from the smaller operand.
  compensation += std::fabs(sum) >= std::fabs(amount) ? (sum - t) + amount
                                                      : (amount - t) + sum;
  sum = t;
}

Rfm::Rfm(const sdk::Params& params)
    : as_of_(params.Timestamp(kAsOf)), quantiles_(params.Int64(kQuantiles)) {
  if (quantiles_ != 4 && quantiles_ != 5) {
    // The host checks the range; this guards a host that did not.
    throw sdk::InvalidArgument("quantiles (" + sdk::FormatCount(quantiles_) +
                               ") must be 4 or 5");
  }
}

void Rfm::Update(const sdk::Chunk& chunk) {
  const sdk::KeyColumn customers = chunk.Keys(kCustomer);
  const sdk::View<int64_t> times = chunk.Timestamps(kTime);
  const sdk::View<double> amounts = chunk.Doubles(kAmount);
  customers_.Track(customers);
  for (size_t row = 0; row < customers.codes.size(); ++row) {
    const int32_t customer = customers.codes[row];
    const int64_t time = times[row];
    if (time > as_of_) {
      throw sdk::InvalidArgument(
          "customer " + sdk::Quote(customers.keys.Text(customer)) +
          " has a transaction at " + sdk::FormatInstant(time) +
          ", after as_of " + sdk::FormatInstant(as_of_) +
          ": recency is measured back from as_of, so as_of must not be "
          "before the last transaction");
    }
    bool added = false;
    Totals& totals = customers_.At(customer, added);
    totals.last = added ? time : std::max(totals.last, time);
    ++totals.transactions;
    totals.AddAmount(amounts[row]);
  }
}

void Rfm::Merge(const Rfm& other) {
  customers_.Merge(other.customers_, [](Totals& mine, const Totals& theirs) {
    mine.last = std::max(mine.last, theirs.last);
    mine.transactions += theirs.transactions;
    mine.AddAmount(theirs.sum);
    mine.AddAmount(theirs.compensation);
  });
}

void Rfm::Finalize(sdk::Result& result) const {
  const size_t n = customers_.count();
  result.SampleSize(static_cast<double>(n));
  if (n == 0) {
    result.Undefined(
        "no transactions: customer is empty, so there is no "
        "customer to score");
    return;
  }
  // The customers by id: codes follow first appearance, the table the text.
  std::vector<std::pair<std::string_view, const Totals*>> sorted;
  sorted.reserve(n);
  customers_.ForEach([&](int32_t code, const Totals& totals) {
    sorted.emplace_back(customers_.Text(code), &totals);
  });
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<std::string_view> ids(n);
  std::vector<int64_t> last(n), frequency(n);
  std::vector<double> recency_days(n), monetary(n);
  for (size_t i = 0; i < n; ++i) {
    const Totals& totals = *sorted[i].second;
    ids[i] = sorted[i].first;
    last[i] = totals.last;
    frequency[i] = totals.transactions;
    monetary[i] = totals.Monetary();
    // as_of >= last (checked in Update), so the difference is >= 0; as a
    // double it is exact to the microsecond for any span under 285 years.
    recency_days[i] = static_cast<double>(static_cast<uint64_t>(as_of_) -
                                          static_cast<uint64_t>(totals.last)) /
                      kMicrosPerDay;
  }
  // Recency scores in reverse: a later last purchase is better, so scoring
  // the last purchase time (not the days since) ranks recent buyers high.
  const std::vector<int64_t> r = QuantileScores(last, quantiles_);
  const std::vector<int64_t> f = QuantileScores(frequency, quantiles_);
  const std::vector<int64_t> m = QuantileScores(monetary, quantiles_);

  std::vector<std::string_view> segment(n);
  std::vector<int64_t> per_segment(kNumSegments, 0);
  for (size_t i = 0; i < n; ++i) {
    const size_t s = SegmentOf(r[i], f[i], m[i], quantiles_);
    segment[i] = kRfmSegments[s].name;
    ++per_segment[s];
  }
  result.TableColumn("customers", "customer", ids);
  result.TableColumn("customers", "recency_days", recency_days);
  result.TableColumn("customers", "frequency", frequency);
  result.TableColumn("customers", "monetary", monetary);
  result.TableColumn("customers", "r", r);
  result.TableColumn("customers", "f", f);
  result.TableColumn("customers", "m", m);
  result.TableColumn("customers", "segment", segment);
  std::vector<std::string_view> names;
  for (const RfmSegmentRule& rule : kRfmSegments) names.push_back(rule.name);
  result.TableColumn("segments", "segment", names);
  result.TableColumn("segments", "customers", per_segment);

  if (n < static_cast<size_t>(quantiles_)) {
    result.Warning(
        "only " +
        sdk::Counted(static_cast<int64_t>(n), "customer", "customers") +
        ", fewer than quantiles (" + sdk::FormatCount(quantiles_) +
        "): some scores cannot occur and segments say little");
  }
  result.Value(static_cast<double>(n));
}

}  // namespace kpi::journey
