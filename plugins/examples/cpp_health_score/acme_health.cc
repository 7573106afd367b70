// acme_health.cc -- Acme's own customer health score, as a kpi-server plugin.
//
// Rows (customer, logins_30d, open_tickets, nps). Each signal is scaled to
// 0..100, higher is healthier:
//   usage   = min(logins_30d / 20, 1) x 100     (20 logins a month is full)
//   support = (1 - min(open_tickets / 5, 1)) x 100   (5 open tickets is 0)
//   loyalty = nps x 10                           (likelihood to recommend)
// score = (5 usage + 2 support + 3 loyalty) / 10, banded red < 50,
// yellow < 75, green. Rows of one customer add up (logins and tickets summed,
// nps averaged), in any chunk or state, so the state merges.
//
// The customer is a KEY input: the server interns a call's ids into dense
// codes 0, 1, 2 ... (in order of first appearance), so the per-customer
// state is an array slot per code (kpi::sdk::PerKey), and an id's text is
// looked up only to print the table.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"

namespace {

class AcmeHealthScore {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      kpi::sdk::Column("customer", KPI_TYPE_KEY, "The customer id.").Required(),
      kpi::sdk::Column("logins_30d", KPI_TYPE_DOUBLE,
                       "Logins in the last 30 days.")
          .Required()
          .Min(0),
      kpi::sdk::Column("open_tickets", KPI_TYPE_DOUBLE,
                       "Support tickets open now.")
          .Required()
          .Min(0),
      kpi::sdk::Column("nps", KPI_TYPE_DOUBLE,
                       "Likelihood to recommend, 0..10.")
          .Required()
          .Min(0)
          .Max(10)};
  static constexpr auto kCustomer =
      kpi::sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kLogins =
      kpi::sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "logins_30d");
  static constexpr auto kTickets =
      kpi::sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "open_tickets");
  static constexpr auto kNps = kpi::sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "nps");

  static constexpr kpi::sdk::MetricInfo kInfo{
      "acme_health_score",
      "Acme customer health, 0..100: (5 usage + 2 support + 3 loyalty) / 10 "
      "with usage = min(logins_30d / 20, 1) x 100, support = (1 - "
      "min(open_tickets / 5, 1)) x 100, loyalty = nps x 10; the value is the "
      "mean over customers. Table \"customers\" (customer, score, band: red < "
      "50, yellow < 75, green).",
      "score"};

  explicit AcmeHealthScore(const kpi::sdk::Params&) {}

  void Update(const kpi::sdk::Chunk& chunk) {
    const kpi::sdk::KeyColumn customers = chunk.Keys(kCustomer);  // codes
    const auto logins = chunk.Doubles(kLogins);
    const auto tickets = chunk.Doubles(kTickets);
    const auto nps = chunk.Doubles(kNps);
    customers_.Track(customers);  // room for every code of the call so far
    for (size_t i = 0; i < chunk.rows(); ++i) {
      bool added = false;
      Signals& s = customers_.At(customers.codes[i], added);
      s.logins += logins[i];
      s.tickets += tickets[i];
      s.nps_sum += nps[i];
      s.nps_count += 1;
    }
  }

  // States of one call share its codes: a code is the same customer in
  // both, so slots combine one by one.
  void Merge(const AcmeHealthScore& other) {
    customers_.Merge(other.customers_, [](Signals& s, const Signals& o) {
      s.logins += o.logins;
      s.tickets += o.tickets;
      s.nps_sum += o.nps_sum;
      s.nps_count += o.nps_count;
    });
  }

  void Finalize(kpi::sdk::Result& result) const {
    const size_t n = customers_.count();
    result.SampleSize(static_cast<double>(n));
    if (n == 0) {
      result.Undefined("no customers: the health score is undefined");
      return;
    }
    // Codes follow first appearance; the table lists customers by id.
    std::vector<std::pair<std::string_view, const Signals*>> by_id;
    customers_.ForEach([&](int32_t code, const Signals& s) {
      by_id.emplace_back(customers_.Text(code), &s);
    });
    std::sort(by_id.begin(), by_id.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string_view> ids, bands;
    std::vector<double> scores;
    double total = 0;
    for (const auto& [id, signals] : by_id) {
      const Signals& s = *signals;
      const double usage = std::min(s.logins / 20, 1.0) * 100;
      const double support = (1 - std::min(s.tickets / 5, 1.0)) * 100;
      const double loyalty = s.nps_sum / s.nps_count * 10;
      const double score = (5 * usage + 2 * support + 3 * loyalty) / 10;
      ids.push_back(id);
      scores.push_back(score);
      bands.push_back(score < 50 ? "red" : score < 75 ? "yellow" : "green");
      total += score;
    }
    result.TableColumn("customers", "customer", ids);
    result.TableColumn("customers", "score", scores);
    result.TableColumn("customers", "band", bands);
    result.Value(total / static_cast<double>(n));
  }

 private:
  struct Signals {
    double logins = 0, tickets = 0, nps_sum = 0, nps_count = 0;
  };
  kpi::sdk::PerKey<Signals> customers_;  // by customer code
};

}  // namespace

KPI_PLUGIN("acme_health", "1.0.0", "Acme's customer health score.",
           AcmeHealthScore)
