// The retention plugin: churn and retention rates.
#include "kpi/plugin.hpp"

#include "plugins/retention/churn_rate.h"
#include "plugins/retention/retention_rate.h"

KPI_PLUGIN("retention", "1.0.0",
           "Customer retention: logo churn rate and retention rate.",
           kpi::retention::ChurnRate, kpi::retention::RetentionRate)
