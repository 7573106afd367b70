// The engagement plugin: click-through rate.
#include "kpi/plugin.hpp"

#include "plugins/engagement/click_through_rate.h"

KPI_PLUGIN("engagement", "1.0.0", "Engagement metrics: click-through rate.",
           kpi::engagement::ClickThroughRate)
