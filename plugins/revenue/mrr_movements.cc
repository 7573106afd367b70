#include "plugins/revenue/mrr_movements.h"

#include <string>
#include <vector>

#include "plugins/revenue/money.h"

namespace kpi::revenue {
namespace {

Period PeriodOf(const sdk::Params& params) {
  const Period period{params.Timestamp(MrrMovementsMetric::kPeriodStart),
                      params.Timestamp(MrrMovementsMetric::kPeriodEnd)};
  period.Check();
  return period;
}

}  // namespace

MrrMovementsMetric::MrrMovementsMetric(const sdk::Params& params)
    : book_(kSubscriptions, PeriodOf(params)) {}

void MrrMovementsMetric::Update(const sdk::Chunk& chunk) {
  if (chunk.rows() > 0) book_.Add(chunk);
}

void MrrMovementsMetric::Merge(const MrrMovementsMetric& other) {
  book_.Merge(other.book_);
}

void MrrMovementsMetric::Finalize(sdk::Result& result) const {
  const MrrMovements m = book_.Compute();
  std::vector<std::string> names(std::begin(kMovementNames),
                                 std::end(kMovementNames));
  std::vector<double> mrr;
  std::vector<int64_t> customers;
  for (int i = 0; i < kNumMovements; ++i) {
    mrr.push_back(ToDouble(m.mrr[i]));
    customers.push_back(m.customers[i]);
  }
  result.TableColumn("movements", "movement", names);
  result.TableColumn("movements", "mrr", mrr);
  result.TableColumn("movements", "customers", customers);
  if (m.customers_covered == 0) {
    result.Warning(
        "no customer has MRR at period_start or at period_end: every "
        "movement is 0");
  }
  result.SampleSize(static_cast<double>(m.customers_covered));
  result.Value(ToDouble(m.mrr[kEnding] - m.mrr[kStarting]));
}

}  // namespace kpi::revenue
