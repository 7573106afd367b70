// The revenue plugin: MRR, its movements, revenue churn and lifetime value.
#include "kpi/plugin.hpp"

#include "plugins/revenue/contractual_clv.h"
#include "plugins/revenue/historical_clv.h"
#include "plugins/revenue/mrr.h"
#include "plugins/revenue/mrr_movements.h"
#include "plugins/revenue/revenue_churn.h"

KPI_PLUGIN("revenue", "1.0.0",
           "Subscription revenue: MRR (annual plans normalised), MRR "
           "movements between two dates, gross and net revenue churn, "
           "historical and contractual customer lifetime value.",
           kpi::revenue::Mrr, kpi::revenue::MrrMovementsMetric,
           kpi::revenue::GrossRevenueChurn, kpi::revenue::NetRevenueChurn,
           kpi::revenue::HistoricalClv, kpi::revenue::ContractualClv)
