// plugins/predictive/models/customer_summary.h -- a customer's purchase
// history reduced to what the BG/NBD and Gamma-Gamma models read, and the
// grouping of identical summaries that makes a likelihood cost the number
// of distinct summaries rather than the number of customers.
//
// Conventions (Fader, Hardie & Lee 2005, on the CDNOW data; see
// shared/datasets/cdnow/README.md):
//   - the calibration period runs from each customer's first purchase
//     through `calibration_end` inclusive; later purchases are not read;
//   - purchases at the same instant are one transaction (with dates only,
//     purchases on the same day), their amounts summed;
//   - x = transactions after the first (repeat transactions);
//   - t_x = time from the first to the last transaction (0 when x = 0);
//   - T = time from the first transaction to calibration_end;
//   - times are in units of `unit_micros` (7 days for weeks);
//   - the mean repeat amount is the mean value of the repeat transactions
//     (0 when x = 0), as the Gamma-Gamma model reads it.
//
// Thread safety: plain functions over caller-owned data.
#ifndef KPI_PLUGINS_PREDICTIVE_MODELS_CUSTOMER_SUMMARY_H_
#define KPI_PLUGINS_PREDICTIVE_MODELS_CUSTOMER_SUMMARY_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/types/span.h"

namespace kpi::predictive {

// One purchase: when (microseconds since the Unix epoch) and its value.
struct Purchase {
  int64_t time = 0;
  double amount = 0;
};

struct CustomerSummary {
  double x = 0;    // repeat transactions
  double t_x = 0;  // first to last transaction, in units
  double T = 0;    // first transaction to the end of calibration, in units
  double mean_repeat_amount = 0;  // mean value of the repeat transactions
};

// The summary of one customer's purchases (any order; sorted in place), or
// nullopt when none is at or before `calibration_end`.
// REQUIRES: unit_micros > 0.
std::optional<CustomerSummary> Summarize(std::vector<Purchase>& purchases,
                                         int64_t calibration_end,
                                         double unit_micros);

// Distinct (x, t_x, T) rows with the number of customers having each.
struct WeightedSummary {
  double x = 0;
  double t_x = 0;
  double T = 0;
  double weight = 0;  // customers
};

struct GroupedSummaries {
  // Sorted by (x, t_x, T), so sums over them do not depend on the order the
  // customers came in.
  std::vector<WeightedSummary> rows;
  // rows[row_of[i]] is customer i's row.
  std::vector<uint32_t> row_of;
};

GroupedSummaries GroupSummaries(absl::Span<const CustomerSummary> customers);

}  // namespace kpi::predictive

#endif  // KPI_PLUGINS_PREDICTIVE_MODELS_CUSTOMER_SUMMARY_H_
