// The survey plugin: NPS, CSAT and CES.
#include "kpi/plugin.hpp"

#include "plugins/survey/ces.h"
#include "plugins/survey/csat.h"
#include "plugins/survey/nps.h"

KPI_PLUGIN("survey", "1.0.0",
           "Survey scores: Net Promoter Score with its margin of error, "
           "customer satisfaction (CSAT) and customer effort (CES).",
           kpi::survey::Nps, kpi::survey::Csat, kpi::survey::Ces)
