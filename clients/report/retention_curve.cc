#include "retention_curve.h"

#include <algorithm>
#include <map>

namespace kpi::report {
namespace {

const kpi::v1::Column* Int64Column(const kpi::v1::ResultTable& table,
                                   const char* name) {
  for (const kpi::v1::Column& column : table.columns()) {
    if (column.name() == name && column.has_int64s()) return &column;
  }
  return nullptr;
}

}  // namespace

std::vector<CurvePoint> RetentionCurve(const kpi::v1::ResultTable& cells) {
  const kpi::v1::Column* period = Int64Column(cells, "period");
  const kpi::v1::Column* size = Int64Column(cells, "size");
  const kpi::v1::Column* active = Int64Column(cells, "active");
  if (period == nullptr || size == nullptr || active == nullptr) return {};
  const int rows =
      std::min({period->int64s().values_size(), size->int64s().values_size(),
                active->int64s().values_size()});
  // Each table row is one observable (cohort, k), so summing by k sums over
  // exactly the cohorts that reach k.
  std::map<int64_t, CurvePoint> by_period;
  for (int i = 0; i < rows; ++i) {
    CurvePoint& point = by_period[period->int64s().values(i)];
    point.period = period->int64s().values(i);
    ++point.cohorts;
    point.size += size->int64s().values(i);
    point.active += active->int64s().values(i);
  }
  std::vector<CurvePoint> curve;
  for (const auto& [k, point] : by_period) curve.push_back(point);
  return curve;
}

std::vector<CurvePoint> RetentionCurveOf(const kpi::v1::MetricResult& result) {
  for (const kpi::v1::ResultTable& table : result.tables()) {
    if (table.name() == "cells") return RetentionCurve(table);
  }
  return {};
}

}  // namespace kpi::report
