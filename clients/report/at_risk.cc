#include "at_risk.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace kpi::report {
namespace {

// Lower score first; equal scores by customer id.
bool Before(const AtRiskCustomer& a, const AtRiskCustomer& b) {
  return std::tie(a.score, a.customer) < std::tie(b.score, b.customer);
}

const kpi::v1::Column* FindColumn(const kpi::v1::ResultTable& table,
                                  absl::string_view name) {
  for (const kpi::v1::Column& column : table.columns()) {
    if (column.name() == name) return &column;
  }
  return nullptr;
}

}  // namespace

void LowestScores::Offer(absl::string_view customer, double score,
                         absl::string_view band) {
  if (n_ == 0) return;
  // Most customers are not among the lowest: compare before copying.
  if (heap_.size() == n_ &&
      !(std::tie(score, customer) <
        std::tie(heap_.front().score, heap_.front().customer))) {
    return;
  }
  AtRiskCustomer candidate{std::string(customer), score, std::string(band), {}};
  if (heap_.size() < n_) {
    heap_.push_back(std::move(candidate));
    std::push_heap(heap_.begin(), heap_.end(), Before);
    return;
  }
  std::pop_heap(heap_.begin(), heap_.end(), Before);
  heap_.back() = std::move(candidate);
  std::push_heap(heap_.begin(), heap_.end(), Before);
}

std::vector<AtRiskCustomer> LowestScores::Take() {
  std::sort_heap(heap_.begin(), heap_.end(), Before);
  return std::exchange(heap_, {});
}

absl::StatusOr<std::vector<AtRiskCustomer>> LowestScoredCustomers(
    const kpi::v1::MetricResult& result, size_t n) {
  const kpi::v1::ResultTable* table = nullptr;
  for (const kpi::v1::ResultTable& t : result.tables()) {
    if (t.name() == "customers") table = &t;
  }
  if (table == nullptr) return std::vector<AtRiskCustomer>();
  const kpi::v1::Column* customer = FindColumn(*table, "customer");
  const kpi::v1::Column* score = FindColumn(*table, "score");
  const kpi::v1::Column* band = FindColumn(*table, "band");
  for (const auto& [name, column, ok] :
       {std::tuple{"customer", customer,
                   customer != nullptr &&
                       (customer->has_strings() || customer->has_int64s())},
        std::tuple{"score", score, score != nullptr && score->has_doubles()},
        std::tuple{"band", band, band != nullptr && band->has_strings()}}) {
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("the \"customers\" table of the result has no ", name,
                       column == nullptr ? " column" : " column of its type",
                       ": the at-risk list needs customer, score and band"));
    }
  }
  const int rows = score->doubles().values_size();
  LowestScores lowest(n);
  for (int i = 0; i < rows; ++i) {
    const std::string id =
        customer->has_strings()
            ? (i < customer->strings().values_size()
                   ? customer->strings().values(i)
                   : std::string())
            : (i < customer->int64s().values_size()
                   ? absl::StrCat(customer->int64s().values(i))
                   : std::string());
    lowest.Offer(
        id, score->doubles().values(i),
        i < band->strings().values_size() ? band->strings().values(i) : "");
  }
  return lowest.Take();
}

std::vector<std::string> DeclaredSignals(const KpiSpec& kpi) {
  std::vector<std::string> names;
  const auto it = kpi.parameters.find("signals");
  if (it == kpi.parameters.end() || !it->second.has_string_value()) {
    return names;
  }
  for (absl::string_view item :
       absl::StrSplit(it->second.string_value(), ',', absl::SkipWhitespace())) {
    const absl::string_view name =
        absl::StripAsciiWhitespace(item.substr(0, item.find(':')));
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

std::vector<std::string> SignalColumns(
    const std::vector<std::string>& declared,
    const std::vector<AtRiskCustomer>& customers) {
  std::vector<std::string> columns = declared;
  for (const AtRiskCustomer& c : customers) {
    for (const AtRiskSignal& s : c.signals) {
      if (std::find(columns.begin(), columns.end(), s.name) == columns.end()) {
        columns.push_back(s.name);
      }
    }
  }
  return columns;
}

SignalCollector::SignalCollector(std::vector<AtRiskCustomer>& customers,
                                 std::vector<std::string> declared)
    : customers_(customers), declared_(std::move(declared)) {
  for (AtRiskCustomer& c : customers_) by_id_[c.customer] = &c;
}

void SignalCollector::Add(absl::string_view customer, absl::string_view signal,
                          double value) {
  const auto it = by_id_.find(customer);
  if (it == by_id_.end()) return;
  it->second->signals.push_back({std::string(signal), value});
}

void SignalCollector::Finish() {
  // Declared signals by their place; the rest after them, as they came.
  auto rank = [this](const AtRiskSignal& s) {
    return static_cast<size_t>(
        std::find(declared_.begin(), declared_.end(), s.name) -
        declared_.begin());
  };
  for (AtRiskCustomer& c : customers_) {
    std::stable_sort(c.signals.begin(), c.signals.end(),
                     [&](const AtRiskSignal& a, const AtRiskSignal& b) {
                       return rank(a) < rank(b);
                     });
  }
}

}  // namespace kpi::report
