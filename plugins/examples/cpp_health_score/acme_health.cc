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
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "kpi/plugin.hpp"

namespace {

class AcmeHealthScore {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      kpi::sdk::Column("customer", KPI_TYPE_STRING, "The customer id.")
          .Required(),
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
      kpi::sdk::Input<KPI_TYPE_STRING>(kInputs, "customer");
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
    const auto customers = chunk.Strings(kCustomer);
    const auto logins = chunk.Doubles(kLogins);
    const auto tickets = chunk.Doubles(kTickets);
    const auto nps = chunk.Doubles(kNps);
    for (size_t i = 0; i < chunk.rows(); ++i) {
      // Chunk memory is the host's: copy the id into the state.
      Signals& s =
          customers_[std::string(customers[i].data, customers[i].size)];
      s.logins += logins[i];
      s.tickets += tickets[i];
      s.nps_sum += nps[i];
      s.nps_count += 1;
    }
  }

  void Merge(const AcmeHealthScore& other) {
    for (const auto& [id, o] : other.customers_) {
      Signals& s = customers_[id];
      s.logins += o.logins;
      s.tickets += o.tickets;
      s.nps_sum += o.nps_sum;
      s.nps_count += o.nps_count;
    }
  }

  void Finalize(kpi::sdk::Result& result) const {
    result.SampleSize(static_cast<double>(customers_.size()));
    if (customers_.empty()) {
      result.Undefined("no customers: the health score is undefined");
      return;
    }
    std::vector<std::string> ids, bands;
    std::vector<double> scores;
    double total = 0;
    for (const auto& [id, s] : customers_) {  // std::map: sorted by id
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
    result.Value(total / static_cast<double>(customers_.size()));
  }

 private:
  struct Signals {
    double logins = 0, tickets = 0, nps_sum = 0, nps_count = 0;
  };
  std::map<std::string, Signals> customers_;
};

}  // namespace

KPI_PLUGIN("acme_health", "1.0.0", "Acme's customer health score.",
           AcmeHealthScore)
