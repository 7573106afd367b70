// A metric descriptor for server-side unit tests: declares inputs and
// parameters of every shape the validator handles, with lifecycle functions
// that count rows, so validation and dispatch can be tested without loading
// a plugin file.
#ifndef KPI_TESTS_SERVICE_TEST_METRIC_H_
#define KPI_TESTS_SERVICE_TEST_METRIC_H_

#include <string>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"

namespace kpi::testing {

// Inputs: `score` (double column, required, integral, range from the
// parameters scale_min..scale_max), `weight` (double column, optional, >= 0),
// `label` (string column, optional), `count` (int64 scalar, optional, >= 0).
// Parameters: scale_min (int64, 1), scale_max (int64, 5, 2..10), mode
// (string, "percent" | "mean"), strict (bool, false).
// Result: the number of rows seen plus `count`.
class RowCounter {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("score", KPI_TYPE_DOUBLE, "A score.")
          .Required()
          .Integral()
          .MinFromParam("scale_min")
          .MaxFromParam("scale_max"),
      sdk::Column("weight", KPI_TYPE_DOUBLE, "A weight.").Min(0),
      sdk::Column("label", KPI_TYPE_STRING, "A label."),
      sdk::Scalar("count", KPI_TYPE_INT64, "Extra rows.").Min(0)};
  static constexpr auto kScore = sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "score");
  static constexpr auto kWeight =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "weight");
  static constexpr auto kLabel = sdk::Input<KPI_TYPE_STRING>(kInputs, "label");
  static constexpr auto kCount = sdk::Input<KPI_TYPE_INT64>(kInputs, "count");

  static constexpr const char* kModes[] = {"percent", "mean"};
  static constexpr kpi_param_spec kParams[] = {
      sdk::Int64Param("scale_min", 1, "Lowest score."),
      sdk::Int64Param("scale_max", 5, "Highest score.").Min(2).Max(10),
      sdk::StringParam("mode", "percent", "How to report.").OneOf(kModes),
      sdk::BoolParam("strict", false, "Strictness.")};
  static constexpr sdk::MetricInfo kInfo{"row_counter", "Counts rows.",
                                         "count"};

  explicit RowCounter(const sdk::Params&) {}
  void Update(const sdk::Chunk& chunk) {
    rows_ += static_cast<double>(chunk.rows()) + chunk.ScalarOr(kCount, 0);
  }
  void Merge(const RowCounter& other) { rows_ += other.rows_; }
  void Finalize(sdk::Result& result) const { result.Value(rows_); }

 private:
  double rows_ = 0;
};

// A metric with two input forms: "aggregate" (scalar `total`) and "records"
// (column `amount`, with a `period_start` parameter required by that form);
// `note` (string column, optional) belongs to both.
class TwoForms {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Scalar("total", KPI_TYPE_DOUBLE, "A total.")
          .Required()
          .Form("aggregate"),
      sdk::Column("amount", KPI_TYPE_DOUBLE, "An amount.")
          .Required()
          .Form("records"),
      sdk::Column("note", KPI_TYPE_STRING, "A note.")};
  static constexpr auto kTotal = sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "total");
  static constexpr auto kAmount =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "amount");
  static constexpr auto kNote = sdk::Input<KPI_TYPE_STRING>(kInputs, "note");

  static constexpr kpi_param_spec kParams[] = {
      sdk::TimestampParam("period_start", 0, "Start.").Required("records")};
  static constexpr sdk::MetricInfo kInfo{"two_forms", "Two forms.", "count"};

  explicit TwoForms(const sdk::Params&) {}
  void Update(const sdk::Chunk&) {}
  void Merge(const TwoForms&) {}
  void Finalize(sdk::Result& result) const { result.Value(0); }
};

// A metric with a KEY input (ABI 1.3): `customer` (key column, required)
// and `amount` (double column, optional). Result: the number of distinct
// customers, and a table "customers" of each customer's id and rows, in
// code order (first appearance in the call).
class DistinctKeys {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_KEY, "A customer.").Required(),
      sdk::Column("amount", KPI_TYPE_DOUBLE, "An amount.")};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
  static constexpr sdk::MetricInfo kInfo{"distinct_keys", "Counts keys.",
                                         "count"};

  explicit DistinctKeys(const sdk::Params&) {}
  void Update(const sdk::Chunk& chunk) {
    const sdk::KeyColumn customers = chunk.Keys(kCustomer);
    rows_.Track(customers);
    for (const int32_t code : customers.codes) {
      bool added = false;
      ++rows_.At(code, added);
    }
  }
  void Merge(const DistinctKeys& other) {
    rows_.Merge(other.rows_,
                [](int64_t& mine, int64_t theirs) { mine += theirs; });
  }
  void Finalize(sdk::Result& result) const {
    std::vector<std::string> ids;
    std::vector<int64_t> rows;
    rows_.ForEach([&](int32_t code, int64_t n) {
      ids.emplace_back(rows_.Text(code));
      rows.push_back(n);
    });
    result.Value(static_cast<double>(rows_.count()));
    result.TableColumn("customers", "customer", ids);
    result.TableColumn("customers", "rows", rows);
  }

 private:
  sdk::PerKey<int64_t> rows_;
};

inline const kpi_metric_descriptor& DistinctKeysDescriptor() {
  static const kpi_metric_descriptor descriptor =
      sdk::detail::MetricAdapter<DistinctKeys>::Descriptor();
  return descriptor;
}

inline const kpi_metric_descriptor& TwoFormsDescriptor() {
  static const kpi_metric_descriptor descriptor =
      sdk::detail::MetricAdapter<TwoForms>::Descriptor();
  return descriptor;
}

inline const kpi_metric_descriptor& RowCounterDescriptor() {
  static const kpi_metric_descriptor descriptor =
      sdk::detail::MetricAdapter<RowCounter>::Descriptor();
  return descriptor;
}

}  // namespace kpi::testing

#endif  // KPI_TESTS_SERVICE_TEST_METRIC_H_
