// The support plugin: first response time and ticket resolution rate.
#include "kpi/plugin.hpp"

#include "plugins/support/first_response_time.h"
#include "plugins/support/ticket_resolution_rate.h"

KPI_PLUGIN("support", "1.0.0",
           "Customer support metrics: first response time (mean, median, "
           "p90) and ticket resolution rate.",
           kpi::support::FirstResponseTime, kpi::support::TicketResolutionRate)
