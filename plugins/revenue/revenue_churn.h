// plugins/revenue/revenue_churn.h -- gross and net revenue churn, one
// mechanism for both.
//
//   gross = (churned + contraction) / mrr_at_start x 100
//   net   = (churned + contraction - expansion - reactivation)
//           / mrr_at_start x 100
// in %. Net revenue churn is negative when expansion and reactivation
// outweigh the losses ("negative churn"). Gross revenue churn is at most
// 100%: churn and contraction come from the MRR at the start.
//
// Aggregate form: the MRR totals as scalars. Record form: subscription
// records and a period; the totals are the MRR movements of the period,
// computed exactly as mrr_movements computes them (movements.h), so the two
// metrics always agree.
//
// Thread safety: as for every metric state, calls on one object must be
// serialised; distinct objects are independent.
#ifndef KPI_PLUGINS_REVENUE_REVENUE_CHURN_H_
#define KPI_PLUGINS_REVENUE_REVENUE_CHURN_H_

#include <cstddef>
#include <optional>

#include "kpi/plugin.hpp"
#include "plugins/revenue/examples.h"
#include "plugins/revenue/movements.h"
#include "plugins/revenue/subscriptions.h"

namespace kpi::revenue {

// Handles on the declarations of a revenue churn: inputs mrr_at_start,
// churned_mrr, contraction_mrr, (net only) expansion_mrr and
// reactivation_mrr, and the subscription columns; parameters period_start
// and period_end.
struct RevenueChurnHandles {
  sdk::InputRef<KPI_TYPE_DOUBLE> mrr_at_start;
  sdk::InputRef<KPI_TYPE_DOUBLE> churned_mrr;
  sdk::InputRef<KPI_TYPE_DOUBLE> contraction_mrr;
  std::optional<sdk::InputRef<KPI_TYPE_DOUBLE>> expansion_mrr;
  std::optional<sdk::InputRef<KPI_TYPE_DOUBLE>> reactivation_mrr;
  SubscriptionInputs subscriptions;
  sdk::ParamRef<KPI_TYPE_TIMESTAMP> period_start;
  sdk::ParamRef<KPI_TYPE_TIMESTAMP> period_end;
};

// The state and behaviour of both revenue churns; net when the inputs have
// expansion_mrr. Derived classes declare the schema (revenue_churn_schema
// below) and pass its handles.
class RevenueChurn {
 public:
  // Adds the aggregate scalars or the subscription records of the chunk.
  // Throws sdk::InvalidArgument when churned_mrr + contraction_mrr exceeds
  // mrr_at_start, or for records with period_end not after period_start.
  // (The host refuses an empty customer id.)
  void Update(const sdk::Chunk& chunk);
  // REQUIRES: `other` is a state of the same metric with the same
  // parameters.
  void Merge(const RevenueChurn& other);
  // Value and ratio (the numerator above, mrr_at_start); sample size (record
  // form: customers with MRR at period_start). Undefined when the MRR at the
  // start is 0.
  void Finalize(sdk::Result& result) const;

 protected:
  RevenueChurn(const RevenueChurnHandles& handles, const sdk::Params& params);

 private:
  bool Net() const { return handles_.expansion_mrr.has_value(); }

  RevenueChurnHandles handles_;
  bool aggregate_ = false;  // the aggregate form arrived
  // Aggregate totals (sums over the states merged in).
  double mrr_at_start_ = 0;
  double churned_ = 0;
  double contraction_ = 0;
  double expansion_ = 0;
  double reactivation_ = 0;
  MovementBook book_;
};

// The declarations the two revenue churns share.
namespace revenue_churn_schema {

inline constexpr kpi_input_spec kMrrAtStart =
    sdk::Scalar("mrr_at_start", KPI_TYPE_DOUBLE, "MRR at the period start.")
        .Required()
        .Min(0)
        .Form("aggregate");
inline constexpr kpi_input_spec kChurnedMrr =
    sdk::Scalar("churned_mrr", KPI_TYPE_DOUBLE,
                "MRR at the start of the customers who left (their whole MRR "
                "at the start).")
        .Required()
        .Min(0)
        .Form("aggregate");
inline constexpr kpi_input_spec kContractionMrr =
    sdk::Scalar("contraction_mrr", KPI_TYPE_DOUBLE,
                "MRR lost by downgrades of customers who stayed.")
        .Required()
        .Min(0)
        .Form("aggregate");
inline constexpr kpi_input_spec kExpansionMrr =
    sdk::Scalar("expansion_mrr", KPI_TYPE_DOUBLE,
                "MRR gained by upgrades of customers who stayed.")
        .Required()
        .Min(0)
        .Form("aggregate");
inline constexpr kpi_input_spec kReactivationMrr =
    sdk::Scalar("reactivation_mrr", KPI_TYPE_DOUBLE,
                "MRR of returning former customers (0 when absent).")
        .Min(0)
        .Form("aggregate");
inline constexpr kpi_param_spec kPeriodStart =
    sdk::TimestampParam("period_start", 0, "Start of the period (record form).")
        .Required("records");
inline constexpr kpi_param_spec kPeriodEnd =
    sdk::TimestampParam("period_end", 0,
                        "End of the period (record form); after period_start.")
        .Required("records");

// The handles on a revenue churn's declarations `inputs` and `params`.
template <size_t N, size_t M>
constexpr RevenueChurnHandles FindHandles(const kpi_input_spec (&inputs)[N],
                                          const kpi_param_spec (&params)[M],
                                          bool net) {
  using Ref = sdk::InputRef<KPI_TYPE_DOUBLE>;
  return {sdk::Input<KPI_TYPE_DOUBLE>(inputs, "mrr_at_start"),
          sdk::Input<KPI_TYPE_DOUBLE>(inputs, "churned_mrr"),
          sdk::Input<KPI_TYPE_DOUBLE>(inputs, "contraction_mrr"),
          net ? std::optional<Ref>(
                    sdk::Input<KPI_TYPE_DOUBLE>(inputs, "expansion_mrr"))
              : std::nullopt,
          net ? std::optional<Ref>(
                    sdk::Input<KPI_TYPE_DOUBLE>(inputs, "reactivation_mrr"))
              : std::nullopt,
          FindSubscriptionInputs(inputs),
          sdk::Param<KPI_TYPE_TIMESTAMP>(params, "period_start"),
          sdk::Param<KPI_TYPE_TIMESTAMP>(params, "period_end")};
}

}  // namespace revenue_churn_schema

class GrossRevenueChurn : public RevenueChurn {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      revenue_churn_schema::kMrrAtStart,
      revenue_churn_schema::kChurnedMrr,
      revenue_churn_schema::kContractionMrr,
      SubscriptionInput(kCustomer, "records"),
      SubscriptionInput(kAmount, "records"),
      SubscriptionInput(kBillingMonths, "records"),
      SubscriptionInput(kStart, "records"),
      SubscriptionInput(kEnd, "records")};
  static constexpr auto& kInputOrders = kSubscriptionOrders;

  static constexpr kpi_param_spec kParams[] = {
      revenue_churn_schema::kPeriodStart, revenue_churn_schema::kPeriodEnd};

  static constexpr sdk::MetricInfo kInfo{
      "gross_revenue_churn",
      "Gross revenue churn: (churned_mrr + contraction_mrr) / mrr_at_start x "
      "100, in %; expansion does not offset it, so it is at most 100. Record "
      "form: the totals are the MRR movements between period_start and "
      "period_end, as mrr_movements computes them. Undefined when the MRR at "
      "the start is 0.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example as
  // totals and as the churn book of examples.h; no MRR at the start.
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("mrr_at_start", example::kHundred),
      sdk::ExampleInput("churned_mrr", example::kTen),
      sdk::ExampleInput("contraction_mrr", example::kTen)};
  static constexpr kpi_example_input kNoMrr[] = {
      sdk::ExampleInput("mrr_at_start", example::kZero),
      sdk::ExampleInput("churned_mrr", example::kZero),
      sdk::ExampleInput("contraction_mrr", example::kZero)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("MRR 100, 10 churned, 10 contraction", kCatalogTotals)
          .Expect(20),
      sdk::Example("the same as subscriptions", example::kChurnBook)
          .Params(example::kJanuary)
          .Expect(20),
      sdk::Example("no MRR at the start", kNoMrr).ExpectUndefined()};

  explicit GrossRevenueChurn(const sdk::Params& params)
      : RevenueChurn(
            revenue_churn_schema::FindHandles(kInputs, kParams, /*net=*/false),
            params) {}
};

class NetRevenueChurn : public RevenueChurn {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      revenue_churn_schema::kMrrAtStart,
      revenue_churn_schema::kChurnedMrr,
      revenue_churn_schema::kContractionMrr,
      revenue_churn_schema::kExpansionMrr,
      revenue_churn_schema::kReactivationMrr,
      SubscriptionInput(kCustomer, "records"),
      SubscriptionInput(kAmount, "records"),
      SubscriptionInput(kBillingMonths, "records"),
      SubscriptionInput(kStart, "records"),
      SubscriptionInput(kEnd, "records")};
  static constexpr auto& kInputOrders = kSubscriptionOrders;

  static constexpr kpi_param_spec kParams[] = {
      revenue_churn_schema::kPeriodStart, revenue_churn_schema::kPeriodEnd};

  static constexpr sdk::MetricInfo kInfo{
      "net_revenue_churn",
      "Net revenue churn: (churned_mrr + contraction_mrr - expansion_mrr - "
      "reactivation_mrr) / mrr_at_start x 100, in %; negative when "
      "expansion and reactivation outweigh the losses (negative churn). "
      "Record form: the totals are the MRR movements between period_start "
      "and period_end, as mrr_movements computes them. Undefined when the "
      "MRR at the start is 0.",
      "%"};

  // Declared examples, checked at load: the catalog's worked example as
  // totals and as the churn book of examples.h; no MRR at the start.
  static constexpr kpi_example_input kCatalogTotals[] = {
      sdk::ExampleInput("mrr_at_start", example::kHundred),
      sdk::ExampleInput("churned_mrr", example::kTen),
      sdk::ExampleInput("contraction_mrr", example::kTen),
      sdk::ExampleInput("expansion_mrr", example::kTen)};
  static constexpr kpi_example_input kNoMrr[] = {
      sdk::ExampleInput("mrr_at_start", example::kZero),
      sdk::ExampleInput("churned_mrr", example::kZero),
      sdk::ExampleInput("contraction_mrr", example::kZero),
      sdk::ExampleInput("expansion_mrr", example::kZero)};
  static constexpr kpi_example kExamples[] = {
      sdk::Example("MRR 100, 10 churned, 10 contraction, 10 expansion",
                   kCatalogTotals)
          .Expect(10),
      sdk::Example("the same as subscriptions", example::kChurnBook)
          .Params(example::kJanuary)
          .Expect(10),
      sdk::Example("no MRR at the start", kNoMrr).ExpectUndefined()};

  explicit NetRevenueChurn(const sdk::Params& params)
      : RevenueChurn(
            revenue_churn_schema::FindHandles(kInputs, kParams, /*net=*/true),
            params) {}
};

}  // namespace kpi::revenue

#endif  // KPI_PLUGINS_REVENUE_REVENUE_CHURN_H_
