// plugins/journey/health_score.h -- the customer health score.
//
// Long-format rows (customer, signal, value), one per customer and signal.
// Each signal is declared in the `signals` parameter with a weight, a
// direction and a range: its value is normalised to 0-100 within the range
// (clamped), and flipped (100 - x) when lower is better. A customer's score
// is the weighted mean of their normalised signals, sum(w_i x_i) / sum(w_i),
// and falls in a band ("red<50,yellow<75,green" by default). Tables:
// "customers" (score, band and signals present, sorted by customer id) and
// "bands" (customers per band, in declared order); the value is the mean
// score over customers.
//
// A signal a customer lacks is left out of both sums (missing = "skip") or
// counts as the worst score, 0 (missing = "zero").
//
// The state keeps every customer's raw values (one slot per declared
// signal), by the host's key code, so rows may arrive in any chunk or state;
// a second value for the same customer and signal is an error, also when the
// two meet in Merge.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_JOURNEY_HEALTH_SCORE_H_
#define KPI_PLUGINS_JOURNEY_HEALTH_SCORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"

namespace kpi::journey {

// The values of the health score's "missing" parameter.
inline constexpr const char* kHealthMissingModes[] = {"skip", "zero"};

class HealthScore {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_KEY, "The customer scored.").Required(),
      sdk::Column("signal", KPI_TYPE_STRING,
                  "The signal the row measures; one declared in `signals`.")
          .Required(),
      sdk::Column("value", KPI_TYPE_DOUBLE,
                  "The signal's raw value for the customer, in the signal's "
                  "own units (normalised with its min and max).")
          .Required()};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr auto kSignal =
      sdk::Input<KPI_TYPE_STRING>(kInputs, "signal");
  static constexpr auto kValue = sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "value");

  static constexpr kpi_param_spec kParams[] = {
      sdk::StringParam("signals", "",
                       "The signals, comma separated, each "
                       "name:weight:direction[:min:max]: weight > 0, "
                       "direction \"higher\" or \"lower\" (which is better), "
                       "min and max the raw values that normalise to 0 and "
                       "100 (default 0 and 100). E.g. "
                       "\"usage:2:higher,tickets:1:lower:0:20\".")
          .Required(),
      sdk::StringParam("bands", "red<50,yellow<75,green",
                       "Score bands in ascending order, comma separated: "
                       "name<bound for a band below bound, and a last name "
                       "without bound for the rest."),
      sdk::StringParam("missing", "skip",
                       "A signal a customer lacks: \"skip\" leaves it out "
                       "of both sums; \"zero\" scores it 0.")
          .OneOf(kHealthMissingModes)};
  static constexpr auto kSignals =
      sdk::Param<KPI_TYPE_STRING>(kParams, "signals");
  static constexpr auto kBands = sdk::Param<KPI_TYPE_STRING>(kParams, "bands");
  static constexpr auto kMissing =
      sdk::Param<KPI_TYPE_STRING>(kParams, "missing");

  // The shape of `signals`, which the host checks item by item (and
  // DescribeMetric shows); the metric checks what only it can: weight > 0,
  // min < max, and each name once.
  static constexpr const char* kDirections[] = {"higher", "lower"};
  static constexpr kpi_list_field kSignalFields[] = {
      sdk::TextField("name", "The signal, as in the signal column."),
      sdk::NumberField("weight", "Its weight, > 0.").Min(0),
      sdk::TextField("direction", "Which values are better.")
          .OneOf(kDirections),
      sdk::NumberField("min",
                       "The raw value that normalises to 0 "
                       "(default 0).")
          .Optional(),
      sdk::NumberField("max",
                       "The raw value that normalises to 100 "
                       "(default 100).")};
  static constexpr kpi_list_param kListParams[] = {
      sdk::ListParam("signals", kSignalFields)};

  static constexpr sdk::MetricInfo kInfo{
      "health_score",
      "Customer health score over rows (customer, signal, value). Each "
      "declared signal is normalised to x = (value - min) / (max - min) x "
      "100, clamped to 0..100, and flipped to 100 - x when lower is better; "
      "a customer's score = sum(w_i x_i) / sum(w_i) over their signals "
      "(missing signals skipped, or scored 0 with missing = zero), on "
      "0-100, and falls in the first band whose bound exceeds it (default "
      "red < 50, yellow < 75, green). Tables \"customers\" (by customer id) "
      "and \"bands\". Value: the mean score over customers. Undefined "
      "without rows.",
      "score"};

  // Declared examples, checked at load. The catalog's worked example:
  // weights 1, 2, 1 on scores 80, 50, 100 give 70. Two customers on the
  // signals of the parameter's description: x scores (2 x 90 + 1 x (100 -
  // 5 / 20 x 100)) / 3 = 85, y lacks tickets and scores 30 on usage alone;
  // the mean is 57.5. And no rows.
  static constexpr kpi_string_view kOneCustomer[] = {
      sdk::Str("x"), sdk::Str("x"), sdk::Str("x")};
  static constexpr kpi_string_view kCatalogSignals[] = {
      sdk::Str("usage"), sdk::Str("adoption"), sdk::Str("nps")};
  static constexpr double kCatalogScores[] = {80, 50, 100};
  static constexpr kpi_example_input kCatalogRows[] = {
      sdk::ExampleKeys("customer", kOneCustomer),
      sdk::ExampleInput("signal", kCatalogSignals),
      sdk::ExampleInput("value", kCatalogScores)};
  static constexpr kpi_example_param kCatalogWeights[] = {sdk::ExampleParam(
      "signals", sdk::StringValue("usage:1:higher,adoption:2:higher,"
                                  "nps:1:higher"))};
  static constexpr kpi_string_view kTwoCustomers[] = {
      sdk::Str("x"), sdk::Str("x"), sdk::Str("y")};
  static constexpr kpi_string_view kUsageAndTickets[] = {
      sdk::Str("usage"), sdk::Str("tickets"), sdk::Str("usage")};
  static constexpr double kRawValues[] = {90, 5, 30};
  static constexpr kpi_example_input kMixedRows[] = {
      sdk::ExampleKeys("customer", kTwoCustomers),
      sdk::ExampleInput("signal", kUsageAndTickets),
      sdk::ExampleInput("value", kRawValues)};
  static constexpr kpi_example_param kUsageAndTicketWeights[] = {
      sdk::ExampleParam(
          "signals", sdk::StringValue("usage:2:higher,tickets:1:lower:0:20"))};
  static constexpr kpi_example_input kNoRows[] = {
      sdk::ExampleEmptyColumn("customer", KPI_TYPE_KEY),
      sdk::ExampleEmptyColumn("signal", KPI_TYPE_STRING),
      sdk::ExampleEmptyColumn("value", KPI_TYPE_DOUBLE)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("weights 1, 2, 1 on 80, 50, 100", kCatalogRows)
          .Params(kCatalogWeights)
          .Expect(70),
      sdk::Example("a lower-is-better signal and a missing one", kMixedRows)
          .Params(kUsageAndTicketWeights)
          .Expect(57.5),
      sdk::Example("no rows", kNoRows)
          .Params(kCatalogWeights)
          .ExpectUndefined()};

  // Throws sdk::InvalidArgument, naming the parameter and the item, for bad
  // `signals` or `bands` syntax, a weight <= 0, an unknown direction,
  // min >= max, a signal or band named twice, or bounds not ascending.
  explicit HealthScore(const sdk::Params& params);

  // Stores the chunk's values. Throws sdk::InvalidArgument for a signal not
  // in `signals` and for a second value of a customer's signal.
  void Update(const sdk::Chunk& chunk);
  // Throws sdk::InvalidArgument when both states hold a value of the same
  // customer's signal. REQUIRES: the same parameters.
  void Merge(const HealthScore& other);
  // Value (mean score), sample size (customers), tables "customers" and
  // "bands"; undefined without rows; in mode skip, a warning counting the
  // customers who lack a signal.
  void Finalize(sdk::Result& result) const;

 private:
  struct Signal {
    std::string name;
    double weight;
    bool lower_is_better;
    double min, max;
  };
  struct Band {
    std::string name;
    double below;  // the band holds scores < below; +inf for the last
  };
  // One slot per declared signal; NaN marks a value not (yet) given (the
  // host never passes NaN, so it cannot be a real value).
  using Values = std::vector<double>;
  struct Customer {
    int32_t code = -1;  // the customer's key code, for messages
    Values values;
  };

  // The position of `name` in signals_, or -1. O(log signals): a call may
  // declare many signals, and every row looks its signal up.
  int64_t SignalIndex(std::string_view name) const;
  // Stores `value` in slot `signal` of the customer's values; throws,
  // quoting the customer's id, when it is taken.
  void Store(size_t signal, double value, Customer& customer) const;
  // The signal's value on 0-100, better = higher.
  static double Normalise(const Signal& signal, double value);

  std::vector<Signal> signals_;
  // (name, position in signals_), sorted by name.
  std::vector<std::pair<std::string, int64_t>> by_name_;
  std::vector<Band> bands_;
  bool missing_is_zero_ = false;
  sdk::PerKey<Customer> customers_;
};

}  // namespace kpi::journey

#endif  // KPI_PLUGINS_JOURNEY_HEALTH_SCORE_H_
