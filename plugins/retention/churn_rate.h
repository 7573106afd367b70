// plugins/retention/churn_rate.h -- logo churn rate.
//
// churn = customers_lost / customers_at_start x 100, in %, with the standard
// (ChartMogul) definition: S is the customers active at the start of the
// period, and only customers of S who left count as lost. A customer who
// joined and left inside the period is in neither count.
//
// The state is the two counts, so merging the states of segments adds their
// customers: the result is the churn of the union of the segments.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_RETENTION_CHURN_RATE_H_
#define KPI_PLUGINS_RETENTION_CHURN_RATE_H_

#include "kpi/plugin.hpp"

namespace kpi::retention {

class ChurnRate {
 public:
  enum Input { kCustomersAtStart, kCustomersLost };

  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("customers_at_start", KPI_TYPE_INT64,
                  "Customers active at the start of the period (S).")
          .Required()
          .Min(0),
      sdk::Scalar("customers_lost", KPI_TYPE_INT64,
                  "Customers of S lost during the period. Customers who "
                  "joined and left inside the period are not counted.")
          .Required()
          .Min(0)};

  static constexpr sdk::MetricInfo kInfo{
      "churn_rate",
      "Logo churn rate: customers_lost / customers_at_start x 100, in %. "
      "Standard (ChartMogul) definition: S is the customers active at the "
      "start of the period and only customers of S who left are lost; "
      "customers who joined and left inside the period are in neither "
      "count. A monthly rate is never annualised by multiplying by 12 "
      "(annual retention = (1 - monthly churn)^12). Undefined when "
      "customers_at_start is 0.",
      "%"};

  explicit ChurnRate(const sdk::Params& params);

  // Adds the chunk's scalars to the counts. Throws sdk::InvalidArgument when
  // customers_lost exceeds customers_at_start: the lost customers must come
  // from S.
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric.
  void Merge(const ChurnRate& other);
  // Value, ratio (lost, start) and sample size (start); undefined when
  // customers_at_start is 0.
  void Finalize(sdk::Result& result) const;

 private:
  // Sums of whole numbers, kept as double: exact up to 2^53 and, unlike
  // int64, merging states can never overflow.
  double customers_at_start_ = 0;
  double customers_lost_ = 0;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_CHURN_RATE_H_
