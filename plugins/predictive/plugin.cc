// The predictive plugin: BG/NBD, Gamma-Gamma, predictive CLV, churn risk
// and the shifted-beta-geometric model.
#include "kpi/plugin.hpp"

#include "plugins/predictive/bgnbd.h"
#include "plugins/predictive/churn_risk.h"
#include "plugins/predictive/gamma_gamma.h"
#include "plugins/predictive/predictive_clv.h"
#include "plugins/predictive/sbg.h"

KPI_PLUGIN("predictive", "1.0.0",
           "Predictive customer analytics: the BG/NBD model of repeat "
           "purchases (P(alive), expected purchases), the Gamma-Gamma model "
           "of spend, predictive CLV, churn risk, and the "
           "shifted-beta-geometric model of contractual retention; fitted "
           "by maximum likelihood or given a stored fit.",
           kpi::predictive::BgNbd, kpi::predictive::GammaGamma,
           kpi::predictive::PredictiveClv, kpi::predictive::ChurnRisk,
           kpi::predictive::Sbg)
