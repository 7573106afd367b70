// The records kpi-sample generates, one struct per output file, the
// segment values they carry, and the interface the business model hands
// them to. The model decides what happens; a RecordSink decides how it is
// written (csv_sink.h writes the CSV files documented in docs/reports.md).
//
// Ids: customers are numbered 1..N in signup order. Every other record is
// numbered per customer from 1 (the customer's 1st subscription, 2nd
// ticket, ...), so ids are unique without any global state; visitors of
// the funnel are numbered globally from 1 in the order they are made.

#ifndef KPI_CLIENTS_SAMPLE_RECORDS_H_
#define KPI_CLIENTS_SAMPLE_RECORDS_H_

#include <cstdint>
#include <limits>

#include "absl/strings/string_view.h"
#include "civil_time.h"

namespace kpi::sample {

// An instant that has not happened by the end of the generated window (an
// open subscription, a ticket not yet answered): written as an empty field.
inline constexpr Time kAbsent = std::numeric_limits<Time>::min();

// Segment values. The names are part of the file formats: never rename one.
enum class Plan { kBasic, kPro, kBusiness };
enum class Billing { kMonthly, kAnnual };
enum class Region { kNorthAmerica, kEurope, kAsiaPacific, kLatinAmerica };
enum class Channel {
  kOrganic,
  kPaidSearch,
  kSocial,
  kEmail,
  kReferral,
  kPartner
};
inline constexpr int kPlans = 3;
inline constexpr int kRegions = 4;
inline constexpr int kChannels = 6;

absl::string_view PlanName(Plan plan);
absl::string_view BillingName(Billing billing);
absl::string_view RegionName(Region region);
absl::string_view ChannelName(Channel channel);
// Months per billing period: 1 or 12 (the metrics' billing_months).
int BillingMonths(Billing billing);

// Marketing campaigns: each belongs to one paid channel.
inline constexpr int kCampaigns = 7;
inline constexpr int kNoCampaign = -1;
absl::string_view CampaignName(int campaign);
Channel CampaignChannel(int campaign);

// The segments every customer event row carries, so that a file can be
// grouped without joining customers.csv. Region and channel never change;
// plan is the plan at the row's time.
struct Segments {
  Plan plan;
  Region region;
  Channel channel;
};

struct CustomerRecord {
  int64_t customer;
  Time signup;  // start of the first subscription
  Plan plan;
  Billing billing;
  Region region;
  Channel channel;
  int campaign;  // kNoCampaign unless the channel runs campaigns
};

enum class EndReason { kNone, kCancel, kUpgrade, kDowngrade, kBillingChange };
absl::string_view EndReasonName(EndReason reason);  // "" for kNone

struct SubscriptionRecord {
  int64_t customer;
  int64_t number;  // per customer, from 1
  Time start;
  Time end;              // kAbsent while open
  int64_t amount_cents;  // price per billing period
  Billing billing;
  EndReason end_reason;  // kNone while open
  Segments segments;
};

enum class TransactionType { kPayment, kRefund };
absl::string_view TransactionTypeName(TransactionType type);

struct TransactionRecord {
  int64_t customer;
  int64_t number;
  Time time;
  TransactionType type;
  int64_t amount_cents;  // > 0; a refund's amount is what was paid back
  int64_t subscription;  // the subscription's number
  Segments segments;
};

struct OrderRecord {
  int64_t customer;
  int64_t number;
  Time time;
  int64_t amount_cents;
  Segments segments;
};

struct SessionRecord {
  int64_t customer;
  Time start;
  Time end;  // kAbsent while still in progress at the end of the window
  Segments segments;
};

enum class Priority { kLow, kNormal, kHigh };
absl::string_view PriorityName(Priority priority);

struct TicketRecord {
  int64_t customer;
  int64_t number;
  Time created;
  Time first_response;  // kAbsent: not answered (yet)
  Time resolved;        // kAbsent: not resolved (yet)
  Priority priority;
  Segments segments;
};

enum class Survey { kNps, kCsat, kCes };

struct SurveyRecord {
  Survey survey;
  int64_t customer;
  Time time;
  int score;       // NPS 0..10, CSAT 1..5, CES 1..7
  int64_t ticket;  // the ticket the survey followed; 0: none
  Segments segments;
};

enum class Stage { kVisit, kRegister, kTrial, kPurchase };
absl::string_view StageName(Stage stage);

struct FunnelRecord {
  int64_t visitor;
  int64_t customer;  // 0: a visitor who never became a customer
  Stage stage;
  Time time;
  Region region;
  Channel channel;
};

struct CampaignRecord {
  Time day;  // midnight UTC
  int campaign;
  int64_t impressions;
  int64_t clicks;
  int64_t conversions;
  int64_t spend_cents;
};

// One health signal of a customer at the end of the window. The model
// never makes these: health_signals.h derives them from the records above.
struct HealthSignalRecord {
  int64_t customer;
  absl::string_view signal;  // one of health_signals.h's names
  int64_t value;
  Segments segments;  // plan: the customer's plan at the end of the window
};

// Receives the records as they are made. Rows of one customer arrive
// together, customers in id order, a customer's health signals last;
// campaign days arrive in date order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void Add(const CustomerRecord& record) = 0;
  virtual void Add(const SubscriptionRecord& record) = 0;
  virtual void Add(const TransactionRecord& record) = 0;
  virtual void Add(const OrderRecord& record) = 0;
  virtual void Add(const SessionRecord& record) = 0;
  virtual void Add(const TicketRecord& record) = 0;
  virtual void Add(const SurveyRecord& record) = 0;
  virtual void Add(const FunnelRecord& record) = 0;
  virtual void Add(const CampaignRecord& record) = 0;
  virtual void Add(const HealthSignalRecord& record) = 0;
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_RECORDS_H_
