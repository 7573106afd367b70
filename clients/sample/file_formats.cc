#include "file_formats.h"

#include "absl/strings/str_cat.h"

namespace kpi::sample {
namespace {

// Segment columns: every customer event file ends with them, so a file can
// be grouped without a join (kpi-report streams files; a join would hold
// customers.csv in memory).
#define KPI_SAMPLE_SEGMENT_COLUMNS                                             \
  {"plan", "plan at the row's time: basic, pro, business"},                    \
      {"region",                                                               \
       "north_america, europe, asia_pacific, latin_america (never changes)"},  \
  {                                                                            \
    "channel",                                                                 \
        "acquisition channel: organic, paid_search, social, email, referral, " \
        "partner (never changes)"                                              \
  }

constexpr ColumnFormat kCustomers[] = {
    {"customer", "customer id: 1..N, in signup order"},
    {"signup_time", "start of the first subscription (= funnel purchase)"},
    {"region", "north_america, europe, asia_pacific, latin_america"},
    {"plan", "plan at signup: basic, pro, business"},
    {"billing", "billing at signup: monthly, annual"},
    {"channel",
     "acquisition channel: organic, paid_search, social, email, referral, "
     "partner"},
    {"campaign",
     "campaigns.csv campaign that brought the customer; empty "
     "for organic, referral, partner"},
};

constexpr ColumnFormat kSubscriptions[] = {
    {"subscription", "subscription id: sub_<customer>_<n>"},
    {"customer", "customers.csv id"},
    {"start", "first instant active (inclusive)"},
    {"end", "first instant no longer active (exclusive); empty while open"},
    {"amount", "price per billing period, dollars (> 0)"},
    {"billing_months", "months per billing period: 1 or 12"},
    {"billing", "monthly or annual"},
    {"end_reason",
     "why it ended: cancel (the customer left; a reactivation is a later "
     "row), upgrade, downgrade, billing_change (these three: the next row "
     "starts at this end); empty while open"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kTransactions[] = {
    {"transaction", "transaction id: txn_<customer>_<n>"},
    {"customer", "customers.csv id"},
    {"time", "when the money moved"},
    {"type", "payment (of a subscription invoice) or refund (of a payment)"},
    {"amount", "dollars (> 0), paid or paid back"},
    {"subscription", "subscriptions.csv id the invoice belongs to"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kOrders[] = {
    {"order", "order id: ord_<customer>_<n>"},
    {"customer", "customers.csv id"},
    {"time", "when the order was placed"},
    {"amount", "order total, dollars (> 0)"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kSessions[] = {
    {"customer", "customers.csv id"},
    {"start", "when the session started"},
    {"end",
     "when it ended (= start for a bounce); empty if still in "
     "progress at the end of the window"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kTickets[] = {
    {"ticket", "ticket id: tkt_<customer>_<n>"},
    {"customer", "customers.csv id"},
    {"created", "when the ticket was opened"},
    {"first_response", "first answer from the team; empty if none yet"},
    {"resolved", "when it was resolved; empty if not (yet)"},
    {"priority", "low, normal, high"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kNps[] = {
    {"customer", "customers.csv id"},
    {"time", "when the answer came"},
    {"score", "0..10 (\"how likely are you to recommend us?\")"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kCsat[] = {
    {"customer", "customers.csv id"},
    {"time", "when the answer came"},
    {"score", "1..5, 5 = very satisfied"},
    {"ticket", "tickets.csv id the survey followed"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kCes[] = {
    {"customer", "customers.csv id"},
    {"time", "when the answer came"},
    {"score", "1..7, 7 = strongly agree it was easy (CES 2.0)"},
    {"ticket",
     "tickets.csv id the survey followed; empty for the onboarding survey"},
    KPI_SAMPLE_SEGMENT_COLUMNS,
};

constexpr ColumnFormat kFunnel[] = {
    {"visitor", "visitor id: vis_<n>; a customer is one visitor"},
    {"customer", "customers.csv id once the visitor bought; empty otherwise"},
    {"stage", "visit, register, trial, purchase (stages may be skipped)"},
    {"time", "when the event happened"},
    {"converted", "1 on the purchase event, else 0"},
    {"region", "the visitor's region"},
    {"channel", "the visitor's acquisition channel"},
};

constexpr ColumnFormat kCampaigns[] = {
    {"date", "the UTC day, YYYY-MM-DD"},
    {"campaign", "campaign name"},
    {"channel", "paid_search, social, email"},
    {"impressions", "ads shown or emails delivered (> clicks)"},
    {"clicks", "clicks (>= conversions)"},
    {"conversions", "customers.csv signups of the day with this campaign"},
    {"spend", "dollars"},
};

constexpr ColumnFormat kHealthSignals[] = {
    {"customer",
     "customers.csv id of a customer subscribed at the window's end"},
    {"signal", "sessions_30d, tickets_90d, nps, tenure_months"},
    {"value",
     "the signal's whole-number value at the end of the window: sessions "
     "started in its last 30 days; tickets opened in its last 90 days "
     "(fewer is healthier); the score of the latest NPS answer, 0..10; whole "
     "months (30.436875 days) paid for, gaps after a cancellation not "
     "counted"},
    {"plan", "plan at the end of the window: basic, pro, business"},
    {"region",
     "north_america, europe, asia_pacific, latin_america (never changes)"},
    {"channel",
     "acquisition channel: organic, paid_search, social, email, referral, "
     "partner (never changes)"},
};

#undef KPI_SAMPLE_SEGMENT_COLUMNS

constexpr FileFormat kFormats[kFiles] = {
    {"customers.csv", "one per customer, in id order",
     "segments (join on customer)", kCustomers},
    {"subscriptions.csv",
     "one per subscription; a plan or billing change ends one and starts the "
     "next at the same instant, a reactivation starts one after a gap",
     "churn_rate, retention_rate (customer, start, end); mrr, mrr_movements, "
     "gross_revenue_churn, net_revenue_churn (customer, amount, "
     "billing_months, start, end); an empty end is the open end",
     kSubscriptions},
    {"transactions.csv", "one per payment or refund",
     "cohort_retention (customer, time of payments); cash revenue",
     kTransactions},
    {"orders.csv", "one per add-on order",
     "repeat_purchase_rate (customer, time); historical_clv and rfm "
     "(customer, time, amount)",
     kOrders},
    {"sessions.csv", "one per product session",
     "average_session_duration (start, end); cohort_retention (customer, "
     "start); usage signals of health_score",
     kSessions},
    {"tickets.csv", "one per support ticket",
     "first_response_time (created, first_response); ticket_resolution_rate "
     "(opened = created, resolved)",
     kTickets},
    {"nps_responses.csv", "one per NPS answer", "nps (scores = score)", kNps},
    {"csat_responses.csv", "one per CSAT answer (after a resolved ticket)",
     "csat (scores = score; default scale 1..5, threshold 4)", kCsat},
    {"ces_responses.csv",
     "one per CES answer (after a resolved ticket, or 14 days after signup)",
     "ces (scores = score; default scale 1..7, threshold 5)", kCes},
    {"funnel_events.csv", "one per funnel event",
     "funnel (customer = visitor, stage, time; stages=visit,register,trial,"
     "purchase); conversion_rate (visitor, converted)",
     kFunnel},
    {"campaigns.csv", "one per campaign and day, in date order",
     "click_through_rate (campaign_clicks = clicks, campaign_impressions = "
     "impressions); conversion_rate (conversions, visitors = clicks)",
     kCampaigns},
    {"health_signals.csv",
     "one per customer still subscribed at the end of the window and signal, "
     "derived from the other files; no nps row for a customer who never "
     "answered",
     "health_score (customer, signal, value; signals=sessions_30d:3:higher:0:"
     "8,nps:2:higher:0:10,tickets_90d:1:lower:0:3,tenure_months:1:higher:0:6 "
     "in kpi-report's built-in spec)",
     kHealthSignals},
};

}  // namespace

const FileFormat& FormatOf(File file) {
  return kFormats[static_cast<int>(file)];
}

std::string DescribeFormats() {
  std::string out;
  for (const FileFormat& format : kFormats) {
    absl::StrAppend(&out, format.name, ": ", format.rows, ".\n  feeds ",
                    format.feeds, "\n");
    for (const ColumnFormat& column : format.columns) {
      absl::StrAppend(&out, "    ", column.name, ": ", column.meaning, "\n");
    }
  }
  return out;
}

}  // namespace kpi::sample
