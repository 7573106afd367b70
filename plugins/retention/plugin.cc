// The retention plugin: churn, retention, repeat purchase and cohort
// retention.
#include "kpi/plugin.hpp"

#include "plugins/retention/churn_rate.h"
#include "plugins/retention/cohort_retention.h"
#include "plugins/retention/repeat_purchase_rate.h"
#include "plugins/retention/retention_rate.h"

KPI_PLUGIN("retention", "1.0.0",
           "Customer retention: logo churn rate, retention rate, repeat "
           "purchase rate and cohort retention.",
           kpi::retention::ChurnRate, kpi::retention::RetentionRate,
           kpi::retention::RepeatPurchaseRate, kpi::retention::CohortRetention)
