#include "business_model.h"

#include <algorithm>

namespace kpi::sample {
namespace {

// ---------------------------------------------------------------------
// Parameters. Rates are per month unless said otherwise; a month of
// activity is the interval between two billing anniversaries.

constexpr Time kMonth = 2629746;  // 30.436875 days: the mean month

// Acquisition mix.
constexpr double kRegionWeights[kRegions] = {0.40, 0.30, 0.20, 0.10};
constexpr double kChannelWeights[kChannels] = {0.28, 0.24, 0.16,
                                               0.10, 0.14, 0.08};
// Within a channel that runs campaigns, which campaign brought the customer
// (campaigns in records.cc order: 3 search, 2 social, 2 email).
constexpr double kCampaignWeights[kCampaigns] = {0.40, 0.45, 0.15, 0.60,
                                                 0.40, 0.50, 0.50};
constexpr double kPlanWeights[kPlans] = {0.55, 0.33, 0.12};
// Bigger customers commit for a year more often.
constexpr double kAnnualShare[kPlans] = {0.18, 0.28, 0.42};
// List prices per month in cents; a year costs 10 months (2 free).
constexpr int64_t kMonthlyPriceCents[kPlans] = {2900, 7900, 19900};
constexpr int64_t kAnnualMonths = 10;
// Partners resell at a discount, so MRR is not a few round numbers.
constexpr int64_t kPartnerDiscountPercent = 15;

// Satisfaction s ~ Normal(shift, 1): referred customers arrive sold,
// social-ad customers less so.
constexpr double kSatisfactionShift[kChannels] = {0.10, -0.10, -0.25,
                                                  0.00, 0.35,  0.10};

// Churn: monthly hazard base[plan] * e^(-0.75 s) * boosts, capped.
constexpr double kBaseHazard[kPlans] = {0.050, 0.038, 0.028};
constexpr double kHazardPerSatisfaction = 0.75;
constexpr double kOnboardingHazardBoost = 1.5;  // the first 3 months
constexpr double kBadSupportHazardBoost = 1.6;  // a ticket left > 24 h
// Annual customers are more committed, and can only leave at a renewal.
constexpr double kAnnualHazardFactor = 0.35;
constexpr double kMaxHazard = 0.6;

// Plan changes, at billing anniversaries.
constexpr double kUpgradeRate = 0.018;    // * e^(0.5 s)
constexpr double kDowngradeRate = 0.010;  // * e^(-0.5 s); annual: at renewal
constexpr double kToAnnualRate = 0.008;   // monthly customers of 2+ months
constexpr double kToMonthlyAtRenewal = 0.12;

// Reactivation after a cancellation: probability * e^(0.3 s), capped; gap
// 1 + Exponential(4) months and up to 4 weeks.
constexpr double kReactivationProbability = 0.32;
constexpr double kMaxReactivationProbability = 0.8;
constexpr double kReactivationGapMonths = 4.0;
constexpr double kSamePlanOnReturn = 0.7;
constexpr double kAnnualOnReturn = 0.15;

// Payments go through a few minutes after the invoice; a few are refunded.
constexpr Time kMaxPaymentDelay = 600;
constexpr double kRefundProbability = 0.02;

// Usage: sessions per month 4 * e^(0.35 s) * plan factor; 12 % bounce
// (zero length); the others last LogNormal(median 9 min), at most 4 h.
constexpr double kSessionsPerMonth = 4.0;
constexpr double kSessionPlanFactor[kPlans] = {0.8, 1.0, 1.3};
constexpr double kBounceProbability = 0.12;
constexpr double kSessionMedianSeconds = 540;
constexpr Time kMaxSession = 4 * kSecondsPerHour;

// Add-on orders: a Gamma-distributed rate per customer (many buy rarely or
// never, a few often, as in Fader, Hardie & Lee's BG/NBD data) and a
// customer's own typical basket.
constexpr double kOrderRateShape = 0.7;
constexpr double kOrderRateScale = 0.3;  // mean 0.21 orders a month
constexpr double kBasketMedianDollars = 42;

// Support: tickets per month 0.10 * e^(-0.4 s) * plan factor.
constexpr double kTicketsPerMonth = 0.10;
constexpr double kTicketPlanFactor[kPlans] = {1.0, 1.2, 1.5};
constexpr double kPriorityWeights[3] = {0.3, 0.5, 0.2};
constexpr double kNeverAnswered = 0.03;
constexpr double kNeverResolved = 0.06;  // of answered tickets
// Median first response by plan (business has priority support).
constexpr double kFirstResponseMedianHours[kPlans] = {4.0, 2.0, 0.75};
constexpr double kResolutionMedianHours = 16;

// Surveys.
constexpr double kNpsResponseRate = 0.35;    // asked at months 3, 9, 15, ...
constexpr double kCsatResponseRate = 0.40;   // after a resolved ticket
constexpr double kCesResponseRate = 0.30;    // after a resolved ticket
constexpr double kOnboardingCesRate = 0.30;  // 14 days after signup
// A few answers of any survey are careless (any point of the scale), as in
// real survey data: every score, the ends of the scale included, appears.
constexpr double kCarelessAnswer = 0.03;

// The web funnel: how a customer came to buy, and how many visitors who
// never bought come with each customer (visit -> purchase about 1 in 6).
// Paths to a purchase: visit, register, trial, purchase; no trial; straight
// from the visit to the purchase.
constexpr double kPathWeights[3] = {0.60, 0.28, 0.12};
constexpr double kVisitorsPerCustomer = 5.0;
constexpr double kVisitorRegisters = 0.30;
constexpr double kRegisteredVisitorTrials = 0.45;
constexpr Time kTrialDays = 14;

// ---------------------------------------------------------------------

int64_t RoundToInt(double x) {
  return static_cast<int64_t>(x < 0 ? x - 0.5 : x + 0.5);
}

// A survey answer on lo..hi: usually the rounded reading `x`, sometimes
// careless.
int Answer(Rng& rng, double x, int lo, int hi) {
  if (rng.Bernoulli(kCarelessAnswer)) {
    return lo + static_cast<int>(rng.Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  return static_cast<int>(std::clamp<int64_t>(RoundToInt(x), lo, hi));
}

Time Seconds(double x) { return static_cast<Time>(x); }

int64_t PriceCents(Plan plan, Billing billing, Channel channel) {
  int64_t cents = kMonthlyPriceCents[static_cast<int>(plan)];
  if (billing == Billing::kAnnual) cents *= kAnnualMonths;
  if (channel == Channel::kPartner) {
    cents = cents * (100 - kPartnerDiscountPercent) / 100;
  }
  return cents;
}

int CampaignFor(Channel channel, Rng& rng) {
  int first = kNoCampaign;
  int count = 0;
  for (int c = 0; c < kCampaigns; ++c) {
    if (CampaignChannel(c) != channel) continue;
    if (first == kNoCampaign) first = c;
    ++count;
  }
  if (count == 0) return kNoCampaign;
  return first +
         rng.Categorical(absl::MakeConstSpan(kCampaignWeights + first, count));
}

// One customer's life: the state of the simulation and the counters that
// number their records.
class Life {
 public:
  Life(const Window& window, Rng& rng, RecordSink& sink,
       const CustomerRecord& customer)
      : window_(window),
        rng_(rng),
        sink_(sink),
        id_(customer.customer),
        signup_(customer.signup),
        plan_(customer.plan),
        billing_(customer.billing),
        region_(customer.region),
        channel_(customer.channel) {
    satisfaction_ =
        rng_.Normal(kSatisfactionShift[static_cast<int>(channel_)], 1.0);
    order_rate_ =
        rng_.Gamma(kOrderRateShape, kOrderRateScale) * Exp(0.2 * satisfaction_);
    basket_median_ = kBasketMedianDollars * rng_.LogNormal(0, 0.5);
  }

  // Subscriptions, month by month, from signup to the end of the window.
  void Run() {
    StartSubscription(signup_);
    Time anchor = signup_;  // start of the current subscription
    int64_t k = 0;          // billing months since anchor
    int tenure = 0;         // months as a paying customer
    while (true) {
      const Time from = AddMonths(anchor, k);
      const Time next = AddMonths(anchor, k + 1);
      const bool bad_support =
          LiveMonth(from, std::min(next, window_.end), tenure);
      if (next >= window_.end) break;
      ++k;
      ++tenure;
      const bool renewal = billing_ == Billing::kMonthly || k % 12 == 0;
      const double s = satisfaction_;
      if (renewal && rng_.Bernoulli(CancelProbability(tenure, bad_support))) {
        EndSubscription(next, EndReason::kCancel);
        const double p_back = std::min(kReactivationProbability * Exp(0.3 * s),
                                       kMaxReactivationProbability);
        if (!rng_.Bernoulli(p_back)) return;
        const int64_t gap =
            1 + static_cast<int64_t>(rng_.Exponential(kReactivationGapMonths));
        const Time back = AddMonths(next, gap) +
                          Seconds(rng_.Uniform(0, 28 * kSecondsPerDay));
        if (back >= window_.end) return;
        if (!rng_.Bernoulli(kSamePlanOnReturn)) {
          plan_ = static_cast<Plan>(rng_.Categorical(kPlanWeights));
        }
        billing_ = rng_.Bernoulli(kAnnualOnReturn) ? Billing::kAnnual
                                                   : Billing::kMonthly;
        StartSubscription(back);
        anchor = back;
        k = 0;
        continue;
      }
      const int plan = static_cast<int>(plan_);
      EndReason change = EndReason::kNone;
      if (plan + 1 < kPlans && rng_.Bernoulli(kUpgradeRate * Exp(0.5 * s))) {
        change = EndReason::kUpgrade;
        plan_ = static_cast<Plan>(plan + 1);
      } else if (renewal && plan > 0 &&
                 rng_.Bernoulli(kDowngradeRate * Exp(-0.5 * s) *
                                (billing_ == Billing::kAnnual ? 12 : 1))) {
        change = EndReason::kDowngrade;
        plan_ = static_cast<Plan>(plan - 1);
      } else if (billing_ == Billing::kMonthly && tenure >= 2 &&
                 rng_.Bernoulli(kToAnnualRate)) {
        change = EndReason::kBillingChange;
        billing_ = Billing::kAnnual;
      } else if (billing_ == Billing::kAnnual && renewal &&
                 rng_.Bernoulli(kToMonthlyAtRenewal)) {
        change = EndReason::kBillingChange;
        billing_ = Billing::kMonthly;
      }
      if (change != EndReason::kNone) {
        // The old subscription ends and the new one starts at the same
        // instant: the customer is never inactive, so it is not churn.
        EndSubscription(next, change);
        StartSubscription(next);
        anchor = next;
        k = 0;
      } else if (renewal) {
        Pay(next);
      }
    }
    if (subscription_open_) EndSubscription(kAbsent, EndReason::kNone);
  }

  // The journey that led to the purchase at signup, and the visitors of the
  // same days who did not buy.
  void Funnel(int64_t& next_visitor) {
    const int path = rng_.Categorical(kPathWeights);
    // Offsets before the purchase, in seconds; scaled down for customers
    // who signed up so early in the window that the journey would start
    // before it (every instant in the files is inside the window).
    double trial = 0;
    double registered = 0;
    double visit = 0;
    if (path == 0) {
      trial = kTrialDays * kSecondsPerDay * rng_.Uniform(0.5, 1.0);
      registered = trial + rng_.Uniform(0, 2 * kSecondsPerDay);
      visit = registered + rng_.Uniform(600, 7 * kSecondsPerDay);
    } else if (path == 1) {
      registered = rng_.Uniform(300, 3 * kSecondsPerDay);
      visit = registered + rng_.Uniform(600, 7 * kSecondsPerDay);
    } else {
      visit = rng_.Uniform(300, 2 * kSecondsPerDay);
    }
    const double room = static_cast<double>(signup_ - window_.start);
    const double scale = visit > room ? room / visit : 1.0;
    const int64_t visitor = next_visitor++;
    auto event = [&](Stage stage, double before) {
      sink_.Add(FunnelRecord{visitor, id_, stage,
                             signup_ - Seconds(before * scale), region_,
                             channel_});
    };
    event(Stage::kVisit, visit);
    if (path <= 1) event(Stage::kRegister, registered);
    if (path == 0) event(Stage::kTrial, trial);
    event(Stage::kPurchase, 0);

    const int64_t others = rng_.Poisson(kVisitorsPerCustomer);
    for (int64_t i = 0; i < others; ++i) {
      const int64_t other = next_visitor++;
      const Region region =
          static_cast<Region>(rng_.Categorical(kRegionWeights));
      const Channel channel =
          static_cast<Channel>(rng_.Categorical(kChannelWeights));
      // Around the customer's signup, reflected back into the window.
      Time t = signup_ + Seconds(rng_.Uniform(-15, 15) * kSecondsPerDay);
      if (t < window_.start) t = window_.start + (window_.start - t);
      if (t >= window_.end) t = window_.end - 1 - (t - window_.end);
      t = std::clamp(t, window_.start, window_.end - 1);
      sink_.Add(FunnelRecord{other, 0, Stage::kVisit, t, region, channel});
      if (!rng_.Bernoulli(kVisitorRegisters)) continue;
      t += Seconds(rng_.Uniform(300, 3 * kSecondsPerDay));
      if (t >= window_.end) continue;
      sink_.Add(FunnelRecord{other, 0, Stage::kRegister, t, region, channel});
      if (!rng_.Bernoulli(kRegisteredVisitorTrials)) continue;
      t += Seconds(rng_.Uniform(0, 2 * kSecondsPerDay));
      if (t >= window_.end) continue;
      sink_.Add(FunnelRecord{other, 0, Stage::kTrial, t, region, channel});
    }
  }

 private:
  Segments segments() const { return {plan_, region_, channel_}; }

  double CancelProbability(int tenure, bool bad_support) const {
    double h = kBaseHazard[static_cast<int>(plan_)] *
               Exp(-kHazardPerSatisfaction * satisfaction_);
    if (tenure <= 3) h *= kOnboardingHazardBoost;
    if (bad_support) h *= kBadSupportHazardBoost;
    h = std::min(h, kMaxHazard);
    if (billing_ == Billing::kMonthly) return h;
    // A year of the (lower) annual hazard, decided at the renewal.
    const double keep = 1 - h * kAnnualHazardFactor;
    double keep_year = 1;
    for (int i = 0; i < 12; ++i) keep_year *= keep;
    return 1 - keep_year;
  }

  void StartSubscription(Time start) {
    ++subscription_number_;
    subscription_start_ = start;
    subscription_open_ = true;
    amount_cents_ = PriceCents(plan_, billing_, channel_);
    subscription_billing_ = billing_;
    subscription_segments_ = segments();
    Pay(start);
  }

  void EndSubscription(Time end, EndReason reason) {
    sink_.Add(SubscriptionRecord{id_, subscription_number_, subscription_start_,
                                 end, amount_cents_, subscription_billing_,
                                 reason, subscription_segments_});
    subscription_open_ = false;
  }

  // An invoice of the current subscription, paid a few minutes after `t`.
  void Pay(Time t) {
    const Time paid = t + Seconds(rng_.Uniform(0, kMaxPaymentDelay));
    if (paid >= window_.end) return;
    sink_.Add(TransactionRecord{id_, ++transaction_number_, paid,
                                TransactionType::kPayment, amount_cents_,
                                subscription_number_, segments()});
    if (!rng_.Bernoulli(kRefundProbability)) return;
    const Time refunded = paid + Seconds(rng_.Uniform(1, 14) * kSecondsPerDay);
    if (refunded >= window_.end) return;
    sink_.Add(TransactionRecord{id_, ++transaction_number_, refunded,
                                TransactionType::kRefund, amount_cents_,
                                subscription_number_, segments()});
  }

  // Everything a paying customer does in [from, to): sessions, orders,
  // tickets and the surveys that follow them. Returns whether a ticket of
  // the month waited more than a day for an answer (or got none).
  bool LiveMonth(Time from, Time to, int tenure) {
    const double s = satisfaction_;
    const int plan = static_cast<int>(plan_);
    const double month = static_cast<double>(kMonth);

    const double session_gap =
        month / (kSessionsPerMonth * Exp(0.35 * s) * kSessionPlanFactor[plan]);
    for (Time t = from + Seconds(rng_.Exponential(session_gap)); t < to;
         t += 1 + Seconds(rng_.Exponential(session_gap))) {
      Time end = t;
      if (!rng_.Bernoulli(kBounceProbability)) {
        const double seconds = rng_.LogNormal(Log(kSessionMedianSeconds), 0.9);
        end = t + std::min<Time>(1 + Seconds(seconds), kMaxSession);
      }
      sink_.Add(SessionRecord{id_, t, end >= window_.end ? kAbsent : end,
                              segments()});
    }

    if (order_rate_ > 0) {
      const double order_gap = month / order_rate_;
      for (Time t = from + Seconds(rng_.Exponential(order_gap)); t < to;
           t += 1 + Seconds(rng_.Exponential(order_gap))) {
        const double dollars = basket_median_ * rng_.LogNormal(0, 0.35);
        const int64_t cents = std::max<int64_t>(100, RoundToInt(dollars * 100));
        sink_.Add(OrderRecord{id_, ++order_number_, t, cents, segments()});
      }
    }

    bool bad_support = false;
    const double ticket_gap =
        month / (kTicketsPerMonth * Exp(-0.4 * s) * kTicketPlanFactor[plan]);
    for (Time t = from + Seconds(rng_.Exponential(ticket_gap)); t < to;
         t += 1 + Seconds(rng_.Exponential(ticket_gap))) {
      bad_support |= Ticket(t);
    }

    if (tenure % 6 == 3 && rng_.Bernoulli(kNpsResponseRate)) {
      const Time t = from + Seconds(rng_.Uniform(0, 5 * kSecondsPerDay));
      if (t < to) {
        sink_.Add(
            SurveyRecord{Survey::kNps, id_, t,
                         Answer(rng_, rng_.Normal(8.2 + 1.9 * s, 0.9), 0, 10),
                         0, segments()});
      }
    }
    if (tenure == 0 && subscription_number_ == 1 &&
        rng_.Bernoulli(kOnboardingCesRate)) {
      const Time t = signup_ + kTrialDays * kSecondsPerDay;
      if (t < to) {
        sink_.Add(
            SurveyRecord{Survey::kCes, id_, t,
                         Answer(rng_, rng_.Normal(5.5 + 0.6 * s, 1.0), 1, 7), 0,
                         segments()});
      }
    }
    return bad_support;
  }

  // One ticket created at `created`, and its CSAT and CES answers.
  bool Ticket(Time created) {
    const double s = satisfaction_;
    const int64_t number = ++ticket_number_;
    const Priority priority =
        static_cast<Priority>(rng_.Categorical(kPriorityWeights));
    Time first_response = kAbsent;
    Time resolved = kAbsent;
    if (!rng_.Bernoulli(kNeverAnswered)) {
      double median =
          kFirstResponseMedianHours[static_cast<int>(plan_)] * kSecondsPerHour;
      if (priority == Priority::kHigh) median /= 2;
      first_response = created + Seconds(rng_.LogNormal(Log(median), 1.0));
      if (!rng_.Bernoulli(kNeverResolved)) {
        resolved = first_response +
                   Seconds(rng_.LogNormal(
                       Log(kResolutionMedianHours * kSecondsPerHour), 1.1));
      }
    }
    const bool slow =
        first_response == kAbsent || first_response - created > kSecondsPerDay;
    // What has not happened by the end of the window is not in the export.
    if (first_response != kAbsent && first_response >= window_.end) {
      first_response = kAbsent;
    }
    if (first_response == kAbsent || resolved >= window_.end) {
      resolved = kAbsent;
    }
    sink_.Add(TicketRecord{id_, number, created, first_response, resolved,
                           priority, segments()});
    if (resolved == kAbsent) return slow;
    if (rng_.Bernoulli(kCsatResponseRate)) {
      const Time t = resolved + Seconds(rng_.Uniform(3600, 2 * kSecondsPerDay));
      const bool long_wait = resolved - created > 3 * kSecondsPerDay;
      if (t < window_.end) {
        sink_.Add(SurveyRecord{
            Survey::kCsat, id_, t,
            Answer(rng_,
                   rng_.Normal(4.1 + 0.8 * s - (long_wait ? 0.8 : 0), 0.8), 1,
                   5),
            number, segments()});
      }
    }
    if (rng_.Bernoulli(kCesResponseRate)) {
      const Time t = resolved + Seconds(rng_.Uniform(3600, 2 * kSecondsPerDay));
      if (t < window_.end) {
        sink_.Add(SurveyRecord{
            Survey::kCes, id_, t,
            Answer(rng_, rng_.Normal(5.3 + 0.7 * s - (slow ? 1.0 : 0), 1.0), 1,
                   7),
            number, segments()});
      }
    }
    return slow;
  }

  const Window& window_;
  Rng& rng_;
  RecordSink& sink_;
  const int64_t id_;
  const Time signup_;
  Plan plan_;
  Billing billing_;
  const Region region_;
  const Channel channel_;
  double satisfaction_ = 0;
  double order_rate_ = 0;     // orders a month
  double basket_median_ = 0;  // dollars

  int64_t subscription_number_ = 0;
  int64_t transaction_number_ = 0;
  int64_t order_number_ = 0;
  int64_t ticket_number_ = 0;
  bool subscription_open_ = false;
  Time subscription_start_ = 0;
  int64_t amount_cents_ = 0;
  Billing subscription_billing_ = Billing::kMonthly;
  Segments subscription_segments_{};
};

}  // namespace

double CampaignShareOfSignups(int campaign) {
  const Channel channel = CampaignChannel(campaign);
  double within = 0;
  for (int c = 0; c < kCampaigns; ++c) {
    if (CampaignChannel(c) == channel) within += kCampaignWeights[c];
  }
  double all = 0;
  for (double w : kChannelWeights) all += w;
  return kChannelWeights[static_cast<int>(channel)] / all *
         (kCampaignWeights[campaign] / within);
}

CustomerRecord BusinessModel::GenerateCustomer(int64_t id, Time signup,
                                               Rng& rng, RecordSink& sink) {
  CustomerRecord customer;
  customer.customer = id;
  customer.signup = signup;
  customer.region = static_cast<Region>(rng.Categorical(kRegionWeights));
  customer.channel = static_cast<Channel>(rng.Categorical(kChannelWeights));
  customer.campaign = CampaignFor(customer.channel, rng);
  customer.plan = static_cast<Plan>(rng.Categorical(kPlanWeights));
  customer.billing =
      rng.Bernoulli(kAnnualShare[static_cast<int>(customer.plan)])
          ? Billing::kAnnual
          : Billing::kMonthly;
  sink.Add(customer);
  Life life(window_, rng, sink, customer);
  life.Funnel(next_visitor_);
  life.Run();
  return customer;
}

}  // namespace kpi::sample
