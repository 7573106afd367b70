// plugins/engagement/conversion_rate.h -- conversion rate.
//
// conversion rate = conversions / visitors x 100, in %. Two input forms:
//   - aggregate: the totals `conversions` and `visitors` (or sessions: the
//     rate is per whatever the caller counted);
//   - records: rows of (`visitor`, `converted` 0 or 1), any number of rows
//     per visitor (one per visit, say). A visitor counts once and converts
//     when any of their rows converted, so the rate is converted visitors /
//     distinct visitors -- never conversions / rows.
// The records state keeps every visitor seen (with whether they converted),
// so a visitor whose rows are split over chunks, states or segments counts
// once wherever they meet.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_ENGAGEMENT_CONVERSION_RATE_H_
#define KPI_PLUGINS_ENGAGEMENT_CONVERSION_RATE_H_

#include <string>
#include <unordered_map>

#include "kpi/plugin.hpp"

namespace kpi::engagement {

class ConversionRate {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("conversions", KPI_TYPE_INT64,
                  "Visitors (or sessions) that converted.")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Scalar("visitors", KPI_TYPE_INT64, "Visitors (or sessions).")
          .Required()
          .Min(0)
          .Form("aggregate"),
      sdk::Column("visitor", KPI_TYPE_STRING,
                  "The visitor of each row (a visit, an event); a visitor "
                  "may have many rows.")
          .Required()
          .Form("records"),
      sdk::Column("converted", KPI_TYPE_INT64,
                  "1 when the row converted, else 0.")
          .Required()
          .Min(0)
          .Max(1)
          .Form("records")};
  static constexpr auto kConversions =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "conversions");
  static constexpr auto kVisitors =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "visitors");
  static constexpr auto kVisitor =
      sdk::Input<KPI_TYPE_STRING>(kInputs, "visitor");
  static constexpr auto kConverted =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "converted");

  static constexpr sdk::MetricInfo kInfo{
      "conversion_rate",
      "Conversion rate: conversions / visitors x 100, in %. From totals "
      "(conversions, visitors -- or sessions) or from rows of (visitor, "
      "converted 0/1): then converted visitors / distinct visitors, a "
      "visitor converting when any of their rows did. Undefined when there "
      "are no visitors; a warning when conversions exceed visitors (orders "
      "counted rather than converting visitors).",
      "%"};

  // Declared examples, checked at load: totals; rows where visitor a's
  // second visit converts and b and c do not (1 of 3 visitors, not 1 of 4
  // rows); no visitors.
  static constexpr int64_t kThirty[] = {30};
  static constexpr int64_t kThousand[] = {1000};
  static constexpr int64_t kNone[] = {0};
  static constexpr kpi_example_input kTotals[] = {
      sdk::ExampleInput("conversions", kThirty),
      sdk::ExampleInput("visitors", kThousand)};
  static constexpr kpi_string_view kVisitorIds[] = {
      sdk::Str("a"), sdk::Str("a"), sdk::Str("b"), sdk::Str("c")};
  static constexpr int64_t kConvertedFlags[] = {0, 1, 0, 0};
  static constexpr kpi_example_input kVisits[] = {
      sdk::ExampleInput("visitor", kVisitorIds),
      sdk::ExampleInput("converted", kConvertedFlags)};
  static constexpr kpi_example_input kNoVisitors[] = {
      sdk::ExampleInput("conversions", kNone),
      sdk::ExampleInput("visitors", kNone)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("30 of 1,000 visitors", kTotals).Expect(3),
      sdk::Example("1 of 3 visitors over 4 visits", kVisits).Expect(100.0 / 3),
      sdk::Example("no visitors", kNoVisitors).ExpectUndefined()};

  explicit ConversionRate(const sdk::Params& params);

  // Adds the chunk's totals (aggregate form) or visitors (records form).
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric.
  void Merge(const ConversionRate& other);
  // Value, ratio (conversions, visitors) and sample size (visitors);
  // undefined when there are no visitors; a warning when conversions exceed
  // visitors.
  void Finalize(sdk::Result& result) const;

 private:
  // Aggregate form: sums of whole numbers, kept as double.
  double conversions_ = 0;
  double visitors_ = 0;
  // Records form: every visitor seen, and whether any of their rows
  // converted.
  std::unordered_map<std::string, bool> converted_;
};

}  // namespace kpi::engagement

#endif  // KPI_PLUGINS_ENGAGEMENT_CONVERSION_RATE_H_
