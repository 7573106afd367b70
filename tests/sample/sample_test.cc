// kpi-sample end to end: the real binary writes into temporary directories
// and the files are read back as any CSV reader would. What is checked is
// the contract of docs/reports.md ("Sample data"): determinism, the files
// and their columns, valid values, ids that resolve, and the structure a
// report relies on (growth, churn that follows satisfaction, skipped funnel
// stages, every segment present, reactivations and plan changes).

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace kpi::testing {
namespace {

using ::testing::HasSubstr;

// The files of format version 1 and their headers: the contract with
// kpi-report. Changing a line here means a new format version.
const std::vector<std::pair<std::string, std::string>>& ExpectedHeaders() {
  static const auto* headers =
      new std::vector<std::pair<std::string, std::string>>{
          {"customers.csv",
           "customer,signup_time,region,plan,billing,channel,campaign"},
          {"subscriptions.csv",
           "subscription,customer,start,end,amount,billing_months,billing,"
           "end_reason,plan,region,channel"},
          {"transactions.csv",
           "transaction,customer,time,type,amount,subscription,plan,region,"
           "channel"},
          {"orders.csv", "order,customer,time,amount,plan,region,channel"},
          {"sessions.csv", "customer,start,end,plan,region,channel"},
          {"tickets.csv",
           "ticket,customer,created,first_response,resolved,priority,plan,"
           "region,channel"},
          {"nps_responses.csv", "customer,time,score,plan,region,channel"},
          {"csat_responses.csv",
           "customer,time,score,ticket,plan,region,channel"},
          {"ces_responses.csv",
           "customer,time,score,ticket,plan,region,channel"},
          {"funnel_events.csv",
           "visitor,customer,stage,time,converted,region,channel"},
          {"campaigns.csv",
           "date,campaign,channel,impressions,clicks,conversions,spend"},
          {"health_signals.csv", "customer,signal,value,plan,region,channel"},
      };
  return *headers;
}

const std::set<std::string> kRegions = {"north_america", "europe",
                                        "asia_pacific", "latin_america"};
const std::set<std::string> kPlans = {"basic", "pro", "business"};
const std::set<std::string> kChannels = {"organic", "paid_search", "social",
                                         "email",   "referral",    "partner"};
const std::set<std::string> kCampaigns = {
    "search_brand",       "search_generic",     "search_competitor",
    "social_prospecting", "social_retargeting", "email_newsletter",
    "email_nurture"};

// A directory for one or more runs, removed with everything in it.
class OutputDir {
 public:
  ~OutputDir() {
    std::error_code ignored;
    for (const auto& entry :
         std::filesystem::directory_iterator(dir_.path(), ignored)) {
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }
  std::string Path(const std::string& name) const { return dir_.File(name); }

 private:
  TempDir dir_;
};

CommandResult RunSample(std::vector<std::string> args) {
  args.insert(args.begin(), KPI_SAMPLE_BINARY);
  return RunCommand(args);
}

// A CSV file read per RFC 4180 (quoted fields, CRLF line ends).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  bool crlf_everywhere = true;  // every line ends with CRLF, none with LF

  int Column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << "no column " << name;
    return it == header.end() ? 0 : static_cast<int>(it - header.begin());
  }
};

Table ParseCsv(const std::string& bytes) {
  Table table;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  bool first = true;
  for (size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quoted) {
      if (c == '"' && i + 1 < bytes.size() && bytes[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
        ++i;
      } else {
        table.crlf_everywhere = false;
      }
      row.push_back(std::move(field));
      field.clear();
      if (first) {
        table.header = std::move(row);
        first = false;
      } else {
        table.rows.push_back(std::move(row));
      }
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    table.crlf_everywhere = false;  // a last line without its line end
    row.push_back(std::move(field));
    table.rows.push_back(std::move(row));
  }
  return table;
}

// "2024-03-05T14:07:00Z": the one timestamp form the files use. Such
// strings order as the instants they name, so they are compared as text.
bool IsTimestamp(const std::string& s) {
  if (s.size() != 20) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char expected = i == 4 || i == 7     ? '-'
                          : i == 10            ? 'T'
                          : i == 13 || i == 16 ? ':'
                          : i == 19            ? 'Z'
                                               : '0';
    if (expected == '0' ? (s[i] < '0' || s[i] > '9') : s[i] != expected) {
      return false;
    }
  }
  return true;
}

// A positive amount with two decimals, as cents.
bool ParseMoney(const std::string& s, int64_t& cents) {
  const size_t dot = s.find('.');
  if (dot == std::string::npos || dot == 0 || s.size() - dot != 3) {
    return false;
  }
  int64_t whole = 0;
  int64_t fraction = 0;
  if (!absl::SimpleAtoi(s.substr(0, dot), &whole) ||
      !absl::SimpleAtoi(s.substr(dot + 1), &fraction) || whole < 0) {
    return false;
  }
  cents = whole * 100 + fraction;
  return true;
}

int64_t Int(const std::string& s) {
  int64_t value = 0;
  EXPECT_TRUE(absl::SimpleAtoi(s, &value)) << "'" << s << "'";
  return value;
}

// One data set of 5,000 customers over the default 24 months, shared by
// the tests that read it.
class SampleDataTest : public ::testing::Test {
 protected:
  static constexpr int kCustomers = 5000;
  static constexpr const char* kWindowStart = "2024-01-01T00:00:00Z";
  static constexpr const char* kWindowEnd = "2026-01-01T00:00:00Z";

  static void SetUpTestSuite() {
    dir_ = new OutputDir();
    const CommandResult run =
        RunSample({"--customers", absl::StrCat(kCustomers), "--seed", "11",
                   "--out", dir_->Path("data")});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    tables_ = new std::map<std::string, Table>();
    for (const auto& [name, header] : ExpectedHeaders()) {
      (*tables_)[name] = ParseCsv(ReadFile(dir_->Path("data/" + name)));
    }
  }
  static void TearDownTestSuite() {
    delete tables_;
    delete dir_;
  }

  static const Table& Read(const std::string& name) {
    return tables_->at(name);
  }

  // Every value of `column` in `file`.
  static std::vector<std::string> Values(const std::string& file,
                                         const std::string& column) {
    const Table& table = Read(file);
    const int c = table.Column(column);
    std::vector<std::string> values;
    for (const auto& row : table.rows) values.push_back(row[c]);
    return values;
  }

  static OutputDir* dir_;
  static std::map<std::string, Table>* tables_;
};

OutputDir* SampleDataTest::dir_ = nullptr;
std::map<std::string, Table>* SampleDataTest::tables_ = nullptr;

TEST_F(SampleDataTest, EveryFileHasTheDocumentedHeaderAndWholeRows) {
  for (const auto& [name, header] : ExpectedHeaders()) {
    SCOPED_TRACE(name);
    const Table& table = Read(name);
    EXPECT_EQ(absl::StrJoin(table.header, ","), header);
    EXPECT_TRUE(table.crlf_everywhere);
    EXPECT_FALSE(table.rows.empty());
    for (size_t r = 0; r < table.rows.size(); ++r) {
      ASSERT_EQ(table.rows[r].size(), table.header.size()) << "row " << r + 1;
    }
  }
  const std::string manifest = ReadFile(dir_->Path("data/manifest.json"));
  EXPECT_THAT(manifest, HasSubstr("\"format_version\": 1"));
  EXPECT_THAT(manifest,
              HasSubstr("\"window_start\": \"2024-01-01T00:00:00Z\""));
  EXPECT_THAT(manifest, HasSubstr("\"window_end\": \"2026-01-01T00:00:00Z\""));
  for (const auto& [name, header] : ExpectedHeaders()) {
    EXPECT_THAT(manifest, HasSubstr(absl::StrCat(
                              "{\"name\": \"", name,
                              "\", \"rows\": ", Read(name).rows.size(), "}")));
  }
}

TEST_F(SampleDataTest, CustomersAreNumberedOneToNInSignupOrder) {
  const std::vector<std::string> ids = Values("customers.csv", "customer");
  const std::vector<std::string> signups =
      Values("customers.csv", "signup_time");
  ASSERT_EQ(ids.size(), static_cast<size_t>(kCustomers));
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i], absl::StrCat(i + 1));
    if (i > 0) EXPECT_LE(signups[i - 1], signups[i]) << "customer " << ids[i];
  }
}

TEST_F(SampleDataTest, EveryReferencedIdExists) {
  const std::vector<std::string> customer_ids =
      Values("customers.csv", "customer");
  const std::set<std::string> customers(customer_ids.begin(),
                                        customer_ids.end());
  for (const auto& [name, header] : ExpectedHeaders()) {
    if (name == "customers.csv" || name == "campaigns.csv") continue;
    SCOPED_TRACE(name);
    for (const std::string& id : Values(name, "customer")) {
      if (name == "funnel_events.csv" && id.empty()) continue;  // a visitor
      ASSERT_EQ(customers.count(id), 1u) << "customer '" << id << "'";
    }
  }
  // Record ids are unique, and what points at them finds them, with the
  // same customer.
  std::map<std::string, std::string> subscriptions;  // id -> customer
  for (const auto& row : Read("subscriptions.csv").rows) {
    ASSERT_TRUE(subscriptions.emplace(row[0], row[1]).second) << row[0];
  }
  const Table& transactions = Read("transactions.csv");
  const int txn_customer = transactions.Column("customer");
  const int txn_subscription = transactions.Column("subscription");
  for (const auto& row : transactions.rows) {
    const auto it = subscriptions.find(row[txn_subscription]);
    ASSERT_NE(it, subscriptions.end()) << row[txn_subscription];
    EXPECT_EQ(it->second, row[txn_customer]);
  }
  std::map<std::string, std::string> tickets;
  for (const auto& row : Read("tickets.csv").rows) {
    ASSERT_TRUE(tickets.emplace(row[0], row[1]).second) << row[0];
  }
  int onboarding_ces = 0;
  for (const std::string file : {"csat_responses.csv", "ces_responses.csv"}) {
    const Table& surveys = Read(file);
    for (const auto& row : surveys.rows) {
      const std::string& ticket = row[surveys.Column("ticket")];
      if (ticket.empty()) {
        EXPECT_EQ(file, "ces_responses.csv");  // only the onboarding CES
        ++onboarding_ces;
        continue;
      }
      const auto it = tickets.find(ticket);
      ASSERT_NE(it, tickets.end()) << file << " " << ticket;
      EXPECT_EQ(it->second, row[surveys.Column("customer")]);
    }
  }
  EXPECT_GT(onboarding_ces, 0);
  std::set<std::string> orders;
  for (const auto& row : Read("orders.csv").rows) {
    ASSERT_TRUE(orders.insert(row[0]).second) << row[0];
  }
  // Campaigns named by customers are the campaigns of campaigns.csv.
  const std::vector<std::string> campaign_names =
      Values("campaigns.csv", "campaign");
  const std::set<std::string> campaigns(campaign_names.begin(),
                                        campaign_names.end());
  for (const std::string& campaign : Values("customers.csv", "campaign")) {
    if (!campaign.empty()) EXPECT_EQ(campaigns.count(campaign), 1u);
  }
  // A funnel visitor is one customer at most, and every customer is one
  // visitor who bought at their signup.
  std::map<std::string, std::string> visitor_customer;
  std::map<std::string, std::string> purchase_of;
  const Table& funnel = Read("funnel_events.csv");
  for (const auto& row : funnel.rows) {
    const std::string& visitor = row[funnel.Column("visitor")];
    const std::string& customer = row[funnel.Column("customer")];
    const auto [it, added] = visitor_customer.emplace(visitor, customer);
    EXPECT_EQ(it->second, customer) << visitor;
    if (row[funnel.Column("stage")] == "purchase") {
      EXPECT_TRUE(
          purchase_of.emplace(customer, row[funnel.Column("time")]).second)
          << customer;
    }
  }
  const Table& customer_table = Read("customers.csv");
  for (const auto& row : customer_table.rows) {
    const auto it = purchase_of.find(row[0]);
    ASSERT_NE(it, purchase_of.end()) << "customer " << row[0];
    EXPECT_EQ(it->second, row[customer_table.Column("signup_time")]);
  }
}

TEST_F(SampleDataTest, EveryInstantIsInsideTheGeneratedMonths) {
  const std::map<std::string, std::vector<std::string>> times = {
      {"customers.csv", {"signup_time"}},
      {"subscriptions.csv", {"start", "end"}},
      {"transactions.csv", {"time"}},
      {"orders.csv", {"time"}},
      {"sessions.csv", {"start", "end"}},
      {"tickets.csv", {"created", "first_response", "resolved"}},
      {"nps_responses.csv", {"time"}},
      {"csat_responses.csv", {"time"}},
      {"ces_responses.csv", {"time"}},
      {"funnel_events.csv", {"time"}},
  };
  // Columns that may be empty: open ends and what has not happened yet.
  const std::set<std::string> optional = {"end", "first_response", "resolved"};
  for (const auto& [file, columns] : times) {
    for (const std::string& column : columns) {
      SCOPED_TRACE(file + " " + column);
      for (const std::string& t : Values(file, column)) {
        if (t.empty() && optional.count(column)) continue;
        ASSERT_TRUE(IsTimestamp(t)) << "'" << t << "'";
        ASSERT_GE(t, kWindowStart);
        ASSERT_LT(t, kWindowEnd);
      }
    }
  }
  for (const std::string& date : Values("campaigns.csv", "date")) {
    ASSERT_TRUE(IsTimestamp(date + "T00:00:00Z")) << date;
    ASSERT_GE(date, "2024-01-01");
    ASSERT_LT(date, "2026-01-01");
  }
  // One campaigns row per campaign and day: 731 days (2024 is a leap year).
  EXPECT_EQ(Read("campaigns.csv").rows.size(), 731u * kCampaigns.size());
}

TEST_F(SampleDataTest, ValuesAreOnTheirScalesAndInOrder) {
  const std::map<std::string, std::pair<int, int>> scales = {
      {"nps_responses.csv", {0, 10}},
      {"csat_responses.csv", {1, 5}},
      {"ces_responses.csv", {1, 7}}};
  for (const auto& [file, scale] : scales) {
    SCOPED_TRACE(file);
    std::set<int64_t> seen;
    for (const std::string& score : Values(file, "score")) {
      const int64_t s = Int(score);
      ASSERT_GE(s, scale.first);
      ASSERT_LE(s, scale.second);
      seen.insert(s);
    }
    // The whole scale is used, ends included.
    EXPECT_EQ(seen.size(), static_cast<size_t>(scale.second - scale.first + 1));
  }

  const Table& subscriptions = Read("subscriptions.csv");
  for (const auto& row : subscriptions.rows) {
    SCOPED_TRACE(row[0]);
    const std::string& start = row[subscriptions.Column("start")];
    const std::string& end = row[subscriptions.Column("end")];
    if (!end.empty()) EXPECT_GE(end, start);
    EXPECT_EQ(end.empty(), row[subscriptions.Column("end_reason")].empty());
    int64_t cents = 0;
    ASSERT_TRUE(ParseMoney(row[subscriptions.Column("amount")], cents));
    EXPECT_GT(cents, 0);
    const std::string& billing = row[subscriptions.Column("billing")];
    const std::string& months = row[subscriptions.Column("billing_months")];
    EXPECT_TRUE((billing == "monthly" && months == "1") ||
                (billing == "annual" && months == "12"))
        << billing << " " << months;
    EXPECT_THAT((std::vector<std::string>{"", "cancel", "upgrade", "downgrade",
                                          "billing_change"}),
                ::testing::Contains(row[subscriptions.Column("end_reason")]));
  }
  for (const std::string file : {"transactions.csv", "orders.csv"}) {
    for (const std::string& amount : Values(file, "amount")) {
      int64_t cents = 0;
      ASSERT_TRUE(ParseMoney(amount, cents)) << file << " " << amount;
      EXPECT_GT(cents, 0) << file;
    }
  }
  for (const std::string& type : Values("transactions.csv", "type")) {
    EXPECT_TRUE(type == "payment" || type == "refund") << type;
  }

  const Table& sessions = Read("sessions.csv");
  for (const auto& row : sessions.rows) {
    const std::string& end = row[sessions.Column("end")];
    if (!end.empty()) EXPECT_GE(end, row[sessions.Column("start")]);
  }

  const Table& tickets = Read("tickets.csv");
  for (const auto& row : tickets.rows) {
    SCOPED_TRACE(row[0]);
    const std::string& created = row[tickets.Column("created")];
    const std::string& response = row[tickets.Column("first_response")];
    const std::string& resolved = row[tickets.Column("resolved")];
    if (!response.empty()) EXPECT_GE(response, created);
    if (!resolved.empty()) {
      EXPECT_GE(resolved, created);
      EXPECT_FALSE(response.empty());  // resolved tickets were answered
      EXPECT_GE(resolved, response);
    }
    EXPECT_THAT((std::vector<std::string>{"low", "normal", "high"}),
                ::testing::Contains(row[tickets.Column("priority")]));
  }

  const Table& funnel = Read("funnel_events.csv");
  for (const auto& row : funnel.rows) {
    const std::string& stage = row[funnel.Column("stage")];
    EXPECT_THAT(
        (std::vector<std::string>{"visit", "register", "trial", "purchase"}),
        ::testing::Contains(stage));
    EXPECT_EQ(row[funnel.Column("converted")], stage == "purchase" ? "1" : "0");
    if (stage == "purchase")
      EXPECT_FALSE(row[funnel.Column("customer")].empty());
  }

  const Table& campaigns = Read("campaigns.csv");
  for (const auto& row : campaigns.rows) {
    const int64_t impressions = Int(row[campaigns.Column("impressions")]);
    const int64_t clicks = Int(row[campaigns.Column("clicks")]);
    const int64_t conversions = Int(row[campaigns.Column("conversions")]);
    int64_t spend = 0;
    ASSERT_TRUE(ParseMoney(row[campaigns.Column("spend")], spend));
    EXPECT_GT(impressions, clicks);
    EXPECT_GE(clicks, conversions);
    EXPECT_GE(conversions, 0);
    EXPECT_EQ(spend > 0, clicks > 0);
  }
}

TEST_F(SampleDataTest, ACustomersSubscriptionsFollowOneAnother) {
  // In start order; a plan or billing change starts the next row at the
  // very instant the last ended; a cancellation leaves a gap before any
  // reactivation; the first starts at signup; only the last may be open.
  const Table& subscriptions = Read("subscriptions.csv");
  const int customer = subscriptions.Column("customer");
  const int start = subscriptions.Column("start");
  const int end = subscriptions.Column("end");
  const int reason = subscriptions.Column("end_reason");
  std::map<std::string, std::string> signup;
  for (const auto& row : Read("customers.csv").rows) signup[row[0]] = row[1];
  const std::vector<std::string>* previous = nullptr;
  std::set<std::string> seen;
  for (const auto& row : subscriptions.rows) {
    SCOPED_TRACE(row[0]);
    if (previous == nullptr || (*previous)[customer] != row[customer]) {
      ASSERT_TRUE(seen.insert(row[customer]).second)
          << "rows of customer " << row[customer] << " are not together";
      EXPECT_EQ(row[start], signup[row[customer]]);
    } else {
      ASSERT_FALSE((*previous)[end].empty()) << "an open row before this one";
      if ((*previous)[reason] == "cancel") {
        EXPECT_GT(row[start], (*previous)[end]);
      } else {
        EXPECT_EQ(row[start], (*previous)[end]);
      }
    }
    previous = &row;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kCustomers));
}

TEST_F(SampleDataTest, SignupsGrowMonthOverMonth) {
  std::map<std::string, int> per_month;
  for (const std::string& t : Values("customers.csv", "signup_time")) {
    ++per_month[t.substr(0, 7)];
  }
  ASSERT_EQ(per_month.size(), 24u);
  int before = 0;
  for (const auto& [month, signups] : per_month) {
    EXPECT_GT(signups, before) << month;
    before = signups;
  }
  // About 6 % a month: the last month is several times the first.
  EXPECT_GT(per_month.rbegin()->second, 3 * per_month.begin()->second);
}

TEST_F(SampleDataTest, DetractorsChurnMoreThanPromoters) {
  // Customers by their first NPS answer; churned: a subscription of theirs
  // ended with a cancellation.
  std::map<std::string, int64_t> first_answer;
  const Table& nps = Read("nps_responses.csv");
  for (const auto& row : nps.rows) {
    first_answer.emplace(row[nps.Column("customer")],
                         Int(row[nps.Column("score")]));
  }
  std::set<std::string> churned;
  const Table& subscriptions = Read("subscriptions.csv");
  for (const auto& row : subscriptions.rows) {
    if (row[subscriptions.Column("end_reason")] == "cancel") {
      churned.insert(row[subscriptions.Column("customer")]);
    }
  }
  int detractors = 0, detractors_churned = 0;
  int promoters = 0, promoters_churned = 0;
  for (const auto& [customer, score] : first_answer) {
    if (score <= 6) {
      ++detractors;
      detractors_churned += churned.count(customer);
    } else if (score >= 9) {
      ++promoters;
      promoters_churned += churned.count(customer);
    }
  }
  ASSERT_GT(detractors, 100);
  ASSERT_GT(promoters, 100);
  const double detractor_churn = 1.0 * detractors_churned / detractors;
  const double promoter_churn = 1.0 * promoters_churned / promoters;
  EXPECT_GT(detractor_churn, 1.5 * promoter_churn)
      << detractors_churned << "/" << detractors << " detractors, "
      << promoters_churned << "/" << promoters << " promoters";
}

TEST_F(SampleDataTest, AnnualCustomersCancelLessInTheirFirstYear) {
  // Customers of the first 12 months (so a whole first year is seen), by
  // billing at signup: the share who cancelled within a year of signing up.
  // An annual customer can only cancel at the renewal, at 12 months, so the
  // year includes that instant.
  std::map<std::string, std::string> first_cancel;
  const Table& subscriptions = Read("subscriptions.csv");
  for (const auto& row : subscriptions.rows) {
    if (row[subscriptions.Column("end_reason")] == "cancel") {
      first_cancel.emplace(row[subscriptions.Column("customer")],
                           row[subscriptions.Column("end")]);
    }
  }
  const Table& customers = Read("customers.csv");
  std::map<std::string, int> signups;
  std::map<std::string, int> cancelled;
  for (const auto& row : customers.rows) {
    const std::string& signup = row[customers.Column("signup_time")];
    if (signup >= "2025-01-01") continue;
    const std::string& billing = row[customers.Column("billing")];
    // The same instant a year later, as text: "2024-..." -> "2025-...".
    const std::string year_later =
        absl::StrCat(Int(signup.substr(0, 4)) + 1, signup.substr(4));
    ++signups[billing];
    const auto it = first_cancel.find(row[customers.Column("customer")]);
    cancelled[billing] += it != first_cancel.end() && it->second <= year_later;
  }
  ASSERT_GT(signups["annual"], 200);
  ASSERT_GT(signups["monthly"], 200);
  const double annual = 1.0 * cancelled["annual"] / signups["annual"];
  const double monthly = 1.0 * cancelled["monthly"] / signups["monthly"];
  EXPECT_LT(annual, 0.6 * monthly)
      << cancelled["annual"] << "/" << signups["annual"] << " annual, "
      << cancelled["monthly"] << "/" << signups["monthly"] << " monthly";
}

TEST_F(SampleDataTest, SomeFunnelVisitorsSkipAStageAndMostDoNotBuy) {
  std::map<std::string, std::set<std::string>> stages;
  const Table& funnel = Read("funnel_events.csv");
  for (const auto& row : funnel.rows) {
    stages[row[funnel.Column("visitor")]].insert(row[funnel.Column("stage")]);
  }
  int bought = 0, without_trial = 0, without_register = 0, with_all = 0;
  for (const auto& [visitor, seen] : stages) {
    if (!seen.count("purchase")) continue;
    ++bought;
    without_trial += !seen.count("trial");
    without_register += !seen.count("register");
    with_all += seen.size() == 4;
  }
  EXPECT_EQ(bought, kCustomers);
  EXPECT_GT(without_trial, kCustomers / 10);
  EXPECT_GT(without_register, kCustomers / 50);
  EXPECT_GT(with_all, kCustomers / 2);
  EXPECT_GT(stages.size(), 3u * kCustomers);  // visitors who never bought
}

TEST_F(SampleDataTest, EverySegmentValueIsPresent) {
  const std::map<std::string, const std::set<std::string>*> segments = {
      {"region", &kRegions}, {"plan", &kPlans}, {"channel", &kChannels}};
  for (const auto& [file, header] : ExpectedHeaders()) {
    for (const auto& [column, values] : segments) {
      if (!absl::StrContains(absl::StrCat(",", header, ","),
                             absl::StrCat(",", column, ","))) {
        continue;
      }
      SCOPED_TRACE(file + " " + column);
      const std::vector<std::string> all = Values(file, column);
      const std::set<std::string> seen(all.begin(), all.end());
      if (file == "campaigns.csv") {
        EXPECT_EQ(seen,
                  (std::set<std::string>{"paid_search", "social", "email"}));
      } else {
        EXPECT_EQ(seen, *values);
      }
    }
  }
  const std::vector<std::string> billing = Values("customers.csv", "billing");
  EXPECT_EQ(std::set<std::string>(billing.begin(), billing.end()),
            (std::set<std::string>{"monthly", "annual"}));
  const std::vector<std::string> campaigns =
      Values("campaigns.csv", "campaign");
  EXPECT_EQ(std::set<std::string>(campaigns.begin(), campaigns.end()),
            kCampaigns);
}

TEST_F(SampleDataTest, ReactivationsAndPlanChangesBothWays) {
  const Table& subscriptions = Read("subscriptions.csv");
  const int customer = subscriptions.Column("customer");
  const int reason = subscriptions.Column("end_reason");
  auto mrr = [&](const std::vector<std::string>& row) {
    int64_t cents = 0;
    EXPECT_TRUE(ParseMoney(row[subscriptions.Column("amount")], cents));
    return 12 * cents / Int(row[subscriptions.Column("billing_months")]);
  };
  std::map<std::string, int> reasons;
  int reactivations = 0, expansions = 0, contractions = 0;
  for (size_t i = 0; i + 1 < subscriptions.rows.size(); ++i) {
    const auto& row = subscriptions.rows[i];
    const auto& next = subscriptions.rows[i + 1];
    ++reasons[row[reason]];
    if (next[customer] != row[customer]) continue;
    if (row[reason] == "cancel") ++reactivations;
    if (row[reason] != "cancel") {
      expansions += mrr(next) > mrr(row);
      contractions += mrr(next) < mrr(row);
    }
  }
  EXPECT_GT(reactivations, kCustomers / 100);
  EXPECT_GT(reasons["upgrade"], kCustomers / 100);
  EXPECT_GT(reasons["downgrade"], kCustomers / 100);
  EXPECT_GT(reasons["billing_change"], kCustomers / 100);
  EXPECT_GT(expansions, kCustomers / 100);
  EXPECT_GT(contractions, kCustomers / 100);
  // Monthly and annual prices both show up in the amounts.
  const std::vector<std::string> months =
      Values("subscriptions.csv", "billing_months");
  EXPECT_EQ(std::set<std::string>(months.begin(), months.end()),
            (std::set<std::string>{"1", "12"}));
}

TEST_F(SampleDataTest, SomeTicketsAreUnansweredOrUnresolved) {
  const Table& tickets = Read("tickets.csv");
  int unanswered = 0, answered_unresolved = 0, resolved = 0;
  for (const auto& row : tickets.rows) {
    const bool answered = !row[tickets.Column("first_response")].empty();
    const bool done = !row[tickets.Column("resolved")].empty();
    unanswered += !answered;
    answered_unresolved += answered && !done;
    resolved += done;
  }
  EXPECT_GT(unanswered, 0);
  EXPECT_GT(answered_unresolved, 0);
  EXPECT_GT(resolved, static_cast<int>(tickets.rows.size()) * 8 / 10);
}

TEST_F(SampleDataTest, SessionsIncludeBouncesAndRefundsHappen) {
  const Table& sessions = Read("sessions.csv");
  int bounces = 0;
  for (const auto& row : sessions.rows) {
    bounces += row[sessions.Column("start")] == row[sessions.Column("end")];
  }
  EXPECT_GT(bounces, 0);
  EXPECT_LT(bounces, static_cast<int>(sessions.rows.size()) / 4);
  const std::vector<std::string> types = Values("transactions.csv", "type");
  EXPECT_GT(std::count(types.begin(), types.end(), "refund"), 0);
  // Some customers order again (repeat_purchase_rate), some never order.
  std::map<std::string, int> orders;
  for (const std::string& c : Values("orders.csv", "customer")) ++orders[c];
  int repeat = 0;
  for (const auto& [customer, n] : orders) repeat += n >= 2;
  EXPECT_GT(repeat, 0);
  EXPECT_LT(orders.size(), static_cast<size_t>(kCustomers));
}

// Seconds since the epoch of "2024-03-05T14:07:00Z" (IsTimestamp's form),
// by Hinnant's days-from-civil: an arithmetic of its own, not kpi-sample's.
int64_t Seconds(const std::string& t) {
  int64_t y = Int(t.substr(0, 4));
  const int64_t m = Int(t.substr(5, 2));
  const int64_t d = Int(t.substr(8, 2));
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = era * 146097 + doe - 719468;
  return days * 86400 + Int(t.substr(11, 2)) * 3600 +
         Int(t.substr(14, 2)) * 60 + Int(t.substr(17, 2));
}

// health_signals.csv recomputed from the files it summarises
// (docs/reports.md): for each customer whose last subscription is still
// open at the window's end W, sessions started in the last 30 days,
// tickets opened in the last 90, the latest NPS answer (no row without
// one) and the whole 2,629,746-second months of their subscriptions up to
// W; plan from the open subscription, region and channel from
// customers.csv. Row order: customers in id order, signals in this order.
TEST_F(SampleDataTest, HealthSignalsAreWhatTheOtherFilesShowAtTheWindowsEnd) {
  const int64_t end = Seconds(kWindowEnd);
  struct Expected {
    int64_t sessions = 0, tickets = 0, paid = 0;
    std::string nps_time, nps, plan;
    bool open = false;
  };
  std::map<int64_t, Expected> customers;
  const Table& subscriptions = Read("subscriptions.csv");
  for (const auto& row : subscriptions.rows) {
    Expected& c = customers[Int(row[subscriptions.Column("customer")])];
    const std::string& until = row[subscriptions.Column("end")];
    c.paid += (until.empty() ? end : Seconds(until)) -
              Seconds(row[subscriptions.Column("start")]);
    c.open = until.empty();
    if (c.open) c.plan = row[subscriptions.Column("plan")];
  }
  const Table& sessions = Read("sessions.csv");
  for (const auto& row : sessions.rows) {
    if (Seconds(row[sessions.Column("start")]) >= end - 30 * 86400) {
      ++customers[Int(row[sessions.Column("customer")])].sessions;
    }
  }
  const Table& tickets = Read("tickets.csv");
  for (const auto& row : tickets.rows) {
    if (Seconds(row[tickets.Column("created")]) >= end - 90 * 86400) {
      ++customers[Int(row[tickets.Column("customer")])].tickets;
    }
  }
  const Table& nps = Read("nps_responses.csv");
  for (const auto& row : nps.rows) {
    Expected& c = customers[Int(row[nps.Column("customer")])];
    if (row[nps.Column("time")] >= c.nps_time) {
      c.nps_time = row[nps.Column("time")];
      c.nps = row[nps.Column("score")];
    }
  }
  std::map<std::string, std::pair<std::string, std::string>> segments;
  const Table& customer_table = Read("customers.csv");
  for (const auto& row : customer_table.rows) {
    segments[row[0]] = {row[customer_table.Column("region")],
                        row[customer_table.Column("channel")]};
  }
  std::vector<std::string> expected;
  int open = 0;
  for (const auto& entry : customers) {
    const Expected& c = entry.second;
    if (!c.open) continue;
    ++open;
    const std::string id = absl::StrCat(entry.first);
    const std::pair<std::string, std::string>& segment = segments[id];
    auto row = [&](const std::string& signal, const std::string& value) {
      expected.push_back(absl::StrJoin(
          {id, signal, value, c.plan, segment.first, segment.second}, ","));
    };
    row("sessions_30d", absl::StrCat(c.sessions));
    row("tickets_90d", absl::StrCat(c.tickets));
    if (!c.nps.empty()) row("nps", c.nps);
    row("tenure_months", absl::StrCat(c.paid / 2629746));
  }
  std::vector<std::string> actual;
  for (const auto& row : Read("health_signals.csv").rows) {
    actual.push_back(absl::StrJoin(row, ","));
  }
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "row " << i + 2;
  }
  // Enough structure to score: most customers are still here, and the
  // signals vary (some have no recent session, some have tickets, some
  // never answered NPS).
  EXPECT_GT(open, kCustomers / 3);
  EXPECT_LT(open, kCustomers);
  std::map<std::string, std::set<std::string>> values;
  std::map<std::string, int> rows_of;
  for (const auto& row : Read("health_signals.csv").rows) {
    values[row[1]].insert(row[2]);
    ++rows_of[row[1]];
  }
  for (const char* signal : {"sessions_30d", "tickets_90d", "tenure_months"}) {
    EXPECT_EQ(rows_of[signal], open) << signal;
    EXPECT_GT(values[signal].size(), 2u) << signal;
  }
  EXPECT_GT(rows_of["nps"], open / 4);
  EXPECT_LT(rows_of["nps"], open);
  EXPECT_EQ(values["sessions_30d"].count("0"), 1u);
  EXPECT_EQ(values["tickets_90d"].count("0"), 1u);
  EXPECT_EQ(values["nps"].size(), 11u);  // 0..10
}

// --- Determinism -------------------------------------------------------

std::vector<std::string> AllFiles() {
  std::vector<std::string> files;
  for (const auto& [name, header] : ExpectedHeaders()) files.push_back(name);
  files.push_back("manifest.json");
  return files;
}

TEST(SampleDeterminismTest, TheSameOptionsGiveByteIdenticalFiles) {
  OutputDir dir;
  for (const std::string run : {"a", "b"}) {
    const CommandResult result = RunSample(
        {"--customers", "800", "--seed", "7", "--out", dir.Path(run)});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  for (const std::string& file : AllFiles()) {
    const std::string a = ReadFile(dir.Path("a/" + file));
    EXPECT_FALSE(a.empty()) << file;
    EXPECT_TRUE(a == ReadFile(dir.Path("b/" + file))) << file << " differs";
  }
}

TEST(SampleDeterminismTest, AnotherSeedGivesDifferentFiles) {
  OutputDir dir;
  for (const std::string seed : {"7", "8"}) {
    const CommandResult result = RunSample(
        {"--customers", "800", "--seed", seed, "--out", dir.Path(seed)});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  for (const std::string& file : AllFiles()) {
    EXPECT_FALSE(ReadFile(dir.Path("7/" + file)) ==
                 ReadFile(dir.Path("8/" + file)))
        << file << " is the same for seeds 7 and 8";
  }
}

TEST(SampleDeterminismTest, TheDefaultWindowIsFixedNotToday) {
  OutputDir dir;
  ASSERT_EQ(
      RunSample({"--customers", "50", "--out", dir.Path("default")}).exit_code,
      0);
  ASSERT_EQ(RunSample({"--customers=50", "--seed=1", "--start=2024-01",
                       "--months=24", "--out=" + dir.Path("explicit")})
                .exit_code,
            0);
  for (const std::string& file : AllFiles()) {
    EXPECT_TRUE(ReadFile(dir.Path("default/" + file)) ==
                ReadFile(dir.Path("explicit/" + file)))
        << file;
  }
}

TEST(SampleWindowTest, StartAndMonthsBoundEveryInstant) {
  OutputDir dir;
  const CommandResult result =
      RunSample({"--customers", "300", "--start", "2023-11", "--months", "3",
                 "--out", dir.Path("data")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Table subscriptions =
      ParseCsv(ReadFile(dir.Path("data/subscriptions.csv")));
  ASSERT_FALSE(subscriptions.rows.empty());
  for (const auto& row : subscriptions.rows) {
    EXPECT_GE(row[2], "2023-11-01T00:00:00Z");
    EXPECT_LT(row[2], "2024-02-01T00:00:00Z");
  }
  const Table campaigns = ParseCsv(ReadFile(dir.Path("data/campaigns.csv")));
  EXPECT_EQ(campaigns.rows.size(), 92u * kCampaigns.size());  // 30+31+31 days
  EXPECT_EQ(campaigns.rows.front()[0], "2023-11-01");
  EXPECT_EQ(campaigns.rows.back()[0], "2024-01-31");
  EXPECT_THAT(ReadFile(dir.Path("data/manifest.json")),
              HasSubstr("\"window_end\": \"2024-02-01T00:00:00Z\""));
}

// --- The command line --------------------------------------------------

struct BadOption {
  std::vector<std::string> args;
  std::string named;  // what the message must name
};

TEST(SampleCommandLineTest, BadOptionsExitWith2NamingTheOption) {
  const std::vector<BadOption> cases = {
      {{"--customers", "0"}, "--customers"},
      {{"--customers", "-5"}, "--customers"},
      {{"--customers=12x"}, "--customers"},
      {{"--customers", "1000000001"}, "--customers"},
      {{"--customers"}, "--customers"},
      {{"--seed", "-1"}, "--seed"},
      {{"--seed", "18446744073709551616"}, "--seed"},
      {{"--months", "0"}, "--months"},
      {{"--months", "twelve"}, "--months"},
      {{"--start", "2024-13"}, "--start"},
      {{"--start", "24-01"}, "--start"},
      {{"--start", "1969-12"}, "--start"},
      {{"--start", "9999-01", "--months", "24"}, "--months"},
      {{"--start", "9999-12", "--months", "1"}, "--months"},
      {{"--out="}, "--out"},
      {{"--colour", "blue"}, "--colour"},
      {{"stray"}, "stray"},
  };
  for (const BadOption& c : cases) {
    OutputDir dir;
    std::vector<std::string> args = c.args;
    args.insert(args.begin(), {"--out", dir.Path("never")});
    const CommandResult result = RunSample(args);
    SCOPED_TRACE(absl::StrJoin(c.args, " "));
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_THAT(result.err, HasSubstr(c.named));
    EXPECT_THAT(result.err, HasSubstr("--help"));
    EXPECT_FALSE(std::filesystem::exists(dir.Path("never")));
  }
}

TEST(SampleCommandLineTest, AnUnwritableDirectoryExitsWith1SayingWhy) {
  OutputDir dir;
  // Root may write anywhere on disk, so use places nobody can: below a
  // regular file, and in /proc.
  TempDir files;
  const std::string file = files.WriteInPlace("plain-file", "x");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {file + "/data", "cannot create directory"},
      {file, "is not a directory"},
      {"/proc/kpi-sample-test", "cannot create directory"},
  };
  for (const auto& [out, message] : cases) {
    const CommandResult result = RunSample({"--customers", "10", "--out", out});
    EXPECT_EQ(result.exit_code, 1) << out;
    EXPECT_THAT(result.err, HasSubstr(message)) << out;
    EXPECT_THAT(result.err, HasSubstr(out));
  }
}

TEST(SampleCommandLineTest, HelpDocumentsEveryFileAndColumn) {
  const CommandResult result = RunSample({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const std::string flag :
       {"--customers", "--seed", "--months", "--start", "--out", "--help"}) {
    EXPECT_THAT(result.out, HasSubstr(flag));
  }
  for (const auto& [file, header] : ExpectedHeaders()) {
    const size_t at = result.out.find(file + ":");
    ASSERT_NE(at, std::string::npos) << file;
    // Each column of the file is described after its name, in order.
    size_t from = at;
    for (absl::string_view column : absl::StrSplit(header, ',')) {
      const size_t found =
          result.out.find(absl::StrCat("    ", column, ": "), from);
      ASSERT_NE(found, std::string::npos) << file << " " << column;
      from = found;
    }
  }
}

}  // namespace
}  // namespace kpi::testing
