// The customers most at risk of a health_score KPI: the N with the lowest
// scores, and the signal values behind each score.
//
// The server's answer scores every customer (health_score's "customers"
// table, a row each). LowestScores keeps the N lowest of them in a bounded
// max-heap, so what the report holds is N customers however many were
// scored. Their signals are then read back from the KPI's file in one more
// pass (report_runner.cc), SignalCollector keeping the rows of those N
// customers only, so the report can show why each is at risk: the raw
// values the score was made of.
//
// Order: ascending score; equal scores by customer id as text (the order of
// the metric's table), so the same data give the same list.
//
// Not thread-safe; the classes hold no locks.

#ifndef KPI_CLIENTS_REPORT_AT_RISK_H_
#define KPI_CLIENTS_REPORT_AT_RISK_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "kpi/v1/result.pb.h"
#include "spec.h"

namespace kpi::report {

struct AtRiskSignal {
  std::string name;
  double value = 0;  // as the file has it, before the metric normalises it
};

struct AtRiskCustomer {
  std::string customer;
  double score = 0;
  std::string band;
  // The customer's rows of the file: the signals the KPI declares in their
  // declared order, then any others in the file's. A signal the customer
  // has no row for is absent (the metric left it out of the score).
  std::vector<AtRiskSignal> signals;
};

// The `n` lowest of the scores offered. Memory: `n` customers.
class LowestScores {
 public:
  explicit LowestScores(size_t n) : n_(n) {}

  void Offer(absl::string_view customer, double score, absl::string_view band);
  // The kept customers, lowest score first (ties by customer id), without
  // signals. Leaves this object empty.
  std::vector<AtRiskCustomer> Take();

 private:
  size_t n_;
  // A max-heap by (score, customer): its top is the first to go.
  std::vector<AtRiskCustomer> heap_;
};

// The `n` lowest-scored customers of `result`'s "customers" table (columns
// customer, score and band, as health_score answers). Empty when the
// result has no such table (an undefined result: no rows); an
// InvalidArgument naming the column when the table lacks one.
absl::StatusOr<std::vector<AtRiskCustomer>> LowestScoredCustomers(
    const kpi::v1::MetricResult& result, size_t n);

// The names of the signals `kpi`'s `signals` parameter declares, in its
// order: the text before each comma-separated item's first ':'. Empty
// when the KPI has no such string parameter.
std::vector<std::string> DeclaredSignals(const KpiSpec& kpi);

// The signal names to show as columns for `customers`: the declared ones,
// then any other a customer has, in order of appearance.
std::vector<std::string> SignalColumns(
    const std::vector<std::string>& declared,
    const std::vector<AtRiskCustomer>& customers);

// Gathers the signal rows of some customers while a file is read again.
class SignalCollector {
 public:
  // Collects into `customers`' signals, which must outlive the collector;
  // `declared` orders them (DeclaredSignals).
  SignalCollector(std::vector<AtRiskCustomer>& customers,
                  std::vector<std::string> declared);
  SignalCollector(const SignalCollector&) = delete;
  SignalCollector& operator=(const SignalCollector&) = delete;

  // Records the row (customer, signal, value) when `customer` is one of
  // them; other customers' rows are ignored.
  void Add(absl::string_view customer, absl::string_view signal, double value);
  // Puts each customer's signals in the declared order. Call once, after
  // the last Add.
  void Finish();

 private:
  std::vector<AtRiskCustomer>& customers_;
  std::vector<std::string> declared_;
  absl::flat_hash_map<std::string, AtRiskCustomer*> by_id_;
};

}  // namespace kpi::report

#endif  // KPI_CLIENTS_REPORT_AT_RISK_H_
