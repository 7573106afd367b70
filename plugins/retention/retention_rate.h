// plugins/retention/retention_rate.h -- customer retention rate.
//
// retention = (E - N) / S x 100, in %, with S = customers_at_start,
// E = customers_at_end and N = new_customers: the share of the customers at
// the start who are still customers at the end. (E - S) / S, which popular
// articles give under this name, is net customer growth, not retention.
//
// The state is the three counts, so merging the states of segments adds
// their customers: the result is the retention of the union of the segments.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_RETENTION_RETENTION_RATE_H_
#define KPI_PLUGINS_RETENTION_RETENTION_RATE_H_

#include "kpi/plugin.hpp"

namespace kpi::retention {

class RetentionRate {
 public:
  enum Input { kCustomersAtStart, kCustomersAtEnd, kNewCustomers };

  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("customers_at_start", KPI_TYPE_INT64,
                  "Customers at the start of the period (S).")
          .Required()
          .Min(0),
      sdk::Scalar("customers_at_end", KPI_TYPE_INT64,
                  "Customers at the end of the period (E).")
          .Required()
          .Min(0),
      sdk::Scalar("new_customers", KPI_TYPE_INT64,
                  "Customers acquired during the period (N).")
          .Required()
          .Min(0)};

  static constexpr sdk::MetricInfo kInfo{
      "retention_rate",
      "Customer retention rate: (customers_at_end - new_customers) / "
      "customers_at_start x 100, in %: the share of the customers at the "
      "start still customers at the end. Not (E - S) / S, which is net "
      "customer growth. Undefined when customers_at_start is 0; a warning "
      "when more customers are retained than existed at the start.",
      "%"};

  explicit RetentionRate(const sdk::Params& params);

  // Adds the chunk's scalars to the counts. Throws sdk::InvalidArgument when
  // new_customers exceeds customers_at_end (retained customers would be
  // negative).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric.
  void Merge(const RetentionRate& other);
  // Value, ratio (E - N, S) and sample size (S); undefined when S is 0; a
  // warning when E - N exceeds S.
  void Finalize(sdk::Result& result) const;

 private:
  // Sums of whole numbers, kept as double: exact up to 2^53 and, unlike
  // int64, merging states can never overflow.
  double customers_at_start_ = 0;
  double customers_at_end_ = 0;
  double new_customers_ = 0;
};

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_RETENTION_RATE_H_
