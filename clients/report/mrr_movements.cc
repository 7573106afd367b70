#include "mrr_movements.h"

#include <algorithm>
#include <string>

namespace kpi::report {

std::optional<double> MrrMovements::quick_ratio() const {
  if (losses() == 0) return std::nullopt;
  return gains() / losses();
}

std::optional<MrrMovements> MovementsOf(const KpiPeriodResult& result) {
  for (const kpi::v1::ResultTable& table : result.result.tables()) {
    if (table.name() != "movements") continue;
    const kpi::v1::Column* names = nullptr;
    const kpi::v1::Column* amounts = nullptr;
    for (const kpi::v1::Column& column : table.columns()) {
      if (column.name() == "movement" && column.has_strings()) names = &column;
      if (column.name() == "mrr" && column.has_doubles()) amounts = &column;
    }
    if (names == nullptr || amounts == nullptr) return std::nullopt;
    MrrMovements m;
    m.period = result.period.label;
    m.partial = result.period.partial;
    // Rows are matched by name, so the table's order does not matter, and
    // "starting"/"ending" (levels, not movements) are left out.
    const int rows = std::min(names->strings().values_size(),
                              amounts->doubles().values_size());
    for (int i = 0; i < rows; ++i) {
      const std::string& name = names->strings().values(i);
      const double amount = amounts->doubles().values(i);
      if (name == "new") m.new_mrr = amount;
      if (name == "expansion") m.expansion = amount;
      if (name == "reactivation") m.reactivation = amount;
      if (name == "contraction") m.contraction = amount;
      if (name == "churn") m.churn = amount;
    }
    return m;
  }
  return std::nullopt;
}

}  // namespace kpi::report
