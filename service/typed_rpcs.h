// The typed RPCs of kpi.v1.MetricService and the metric each computes. A
// typed call is a generic call whose inputs and parameters are its request's
// fields, mapped by name (call_args.h); this list is the only place a typed
// RPC is wired, and tests walk it to check every request against its
// metric's declarations.
//
// X(Rpc, metric): Rpc is the method name; its messages are v1::RpcRequest and
// v1::RpcResponse (whose `result` field holds the MetricResult).
#ifndef KPI_SERVICE_TYPED_RPCS_H_
#define KPI_SERVICE_TYPED_RPCS_H_

#define KPI_FOR_EACH_TYPED_RPC(X)                              \
  X(ComputeChurnRate, "churn_rate")                            \
  X(ComputeRetentionRate, "retention_rate")                    \
  X(ComputeRepeatPurchaseRate, "repeat_purchase_rate")         \
  X(ComputeCohortRetention, "cohort_retention")                \
  X(ComputeNps, "nps")                                         \
  X(ComputeCsat, "csat")                                       \
  X(ComputeCes, "ces")                                         \
  X(ComputeClickThroughRate, "click_through_rate")             \
  X(ComputeEngagementRate, "engagement_rate")                  \
  X(ComputeAverageSessionDuration, "average_session_duration") \
  X(ComputeConversionRate, "conversion_rate")                  \
  X(ComputeCartAbandonmentRate, "cart_abandonment_rate")       \
  X(ComputeFirstResponseTime, "first_response_time")           \
  X(ComputeTicketResolutionRate, "ticket_resolution_rate")     \
  X(ComputeMrr, "mrr")                                         \
  X(ComputeMrrMovements, "mrr_movements")                      \
  X(ComputeGrossRevenueChurn, "gross_revenue_churn")           \
  X(ComputeNetRevenueChurn, "net_revenue_churn")               \
  X(ComputeHistoricalClv, "historical_clv")                    \
  X(ComputeContractualClv, "contractual_clv")                  \
  X(ComputeFunnel, "funnel")                                   \
  X(ComputeRfm, "rfm")                                         \
  X(ComputeHealthScore, "health_score")

#endif  // KPI_SERVICE_TYPED_RPCS_H_
