// The journey plugin: funnel, RFM segmentation and customer health score.
#include "kpi/plugin.hpp"

#include "plugins/journey/funnel.h"
#include "plugins/journey/health_score.h"
#include "plugins/journey/rfm.h"

KPI_PLUGIN("journey", "1.0.0",
           "Customer journey and segmentation: the journey funnel (ordered, "
           "strict or any-order, with a conversion window), RFM "
           "segmentation and the configurable customer health score.",
           kpi::journey::Funnel, kpi::journey::Rfm, kpi::journey::HealthScore)
