// The engagement plugin: click-through rate, engagement rate, average session
// duration, conversion rate and cart abandonment rate.
#include "kpi/plugin.hpp"

#include "plugins/engagement/average_session_duration.h"
#include "plugins/engagement/cart_abandonment_rate.h"
#include "plugins/engagement/click_through_rate.h"
#include "plugins/engagement/conversion_rate.h"
#include "plugins/engagement/engagement_rate.h"

KPI_PLUGIN("engagement", "1.0.0",
           "Engagement metrics: click-through rate, engagement rate, average "
           "session duration, conversion rate and cart abandonment rate.",
           kpi::engagement::ClickThroughRate, kpi::engagement::EngagementRate,
           kpi::engagement::AverageSessionDuration,
           kpi::engagement::ConversionRate,
           kpi::engagement::CartAbandonmentRate)
