#include "csv_sink.h"

#include <charconv>
#include <vector>

namespace kpi::sample {
namespace {

void AppendInteger(int64_t value, std::string& out) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvSink>> CsvSink::Open(
    const std::string& directory) {
  std::unique_ptr<CsvSink> sink(new CsvSink());
  for (int f = 0; f < kFiles; ++f) {
    const FileFormat& format = FormatOf(static_cast<File>(f));
    std::vector<absl::string_view> header;
    for (const ColumnFormat& column : format.columns) {
      header.push_back(column.name);
    }
    absl::StatusOr<std::unique_ptr<CsvWriter>> writer =
        CsvWriter::Open(directory + "/" + std::string(format.name), header);
    if (!writer.ok()) return writer.status();
    sink->writers_[f] = *std::move(writer);
  }
  return sink;
}

absl::Status CsvSink::status() const {
  for (const auto& writer : writers_) {
    if (!writer->status().ok()) return writer->status();
  }
  return absl::OkStatus();
}

absl::Status CsvSink::Finish() {
  for (const auto& writer : writers_) {
    if (absl::Status status = writer->Finish(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

void CsvSink::Id(CsvWriter& writer, absl::string_view prefix, int64_t customer,
                 int64_t number) {
  scratch_.assign(prefix.data(), prefix.size());
  AppendInteger(customer, scratch_);
  scratch_.push_back('_');
  AppendInteger(number, scratch_);
  writer.Text(scratch_);
}

void CsvSink::Segment(CsvWriter& writer, const Segments& segments) {
  writer.Text(PlanName(segments.plan));
  writer.Text(RegionName(segments.region));
  writer.Text(ChannelName(segments.channel));
}

void CsvSink::OptionalTimestamp(CsvWriter& writer, Time t) {
  if (t == kAbsent) {
    writer.Empty();
  } else {
    writer.Timestamp(t);
  }
}

void CsvSink::Add(const CustomerRecord& r) {
  CsvWriter& w = Writer(File::kCustomers);
  w.Integer(r.customer);
  w.Timestamp(r.signup);
  w.Text(RegionName(r.region));
  w.Text(PlanName(r.plan));
  w.Text(BillingName(r.billing));
  w.Text(ChannelName(r.channel));
  if (r.campaign == kNoCampaign) {
    w.Empty();
  } else {
    w.Text(CampaignName(r.campaign));
  }
  w.EndRow();
}

void CsvSink::Add(const SubscriptionRecord& r) {
  CsvWriter& w = Writer(File::kSubscriptions);
  Id(w, "sub_", r.customer, r.number);
  w.Integer(r.customer);
  w.Timestamp(r.start);
  OptionalTimestamp(w, r.end);
  w.Money(r.amount_cents);
  w.Integer(BillingMonths(r.billing));
  w.Text(BillingName(r.billing));
  w.Text(EndReasonName(r.end_reason));
  Segment(w, r.segments);
  w.EndRow();
}

void CsvSink::Add(const TransactionRecord& r) {
  CsvWriter& w = Writer(File::kTransactions);
  Id(w, "txn_", r.customer, r.number);
  w.Integer(r.customer);
  w.Timestamp(r.time);
  w.Text(TransactionTypeName(r.type));
  w.Money(r.amount_cents);
  Id(w, "sub_", r.customer, r.subscription);
  Segment(w, r.segments);
  w.EndRow();
}

void CsvSink::Add(const OrderRecord& r) {
  CsvWriter& w = Writer(File::kOrders);
  Id(w, "ord_", r.customer, r.number);
  w.Integer(r.customer);
  w.Timestamp(r.time);
  w.Money(r.amount_cents);
  Segment(w, r.segments);
  w.EndRow();
}

void CsvSink::Add(const SessionRecord& r) {
  CsvWriter& w = Writer(File::kSessions);
  w.Integer(r.customer);
  w.Timestamp(r.start);
  OptionalTimestamp(w, r.end);
  Segment(w, r.segments);
  w.EndRow();
}

void CsvSink::Add(const TicketRecord& r) {
  CsvWriter& w = Writer(File::kTickets);
  Id(w, "tkt_", r.customer, r.number);
  w.Integer(r.customer);
  w.Timestamp(r.created);
  OptionalTimestamp(w, r.first_response);
  OptionalTimestamp(w, r.resolved);
  w.Text(PriorityName(r.priority));
  Segment(w, r.segments);
  w.EndRow();
}

void CsvSink::Add(const SurveyRecord& r) {
  const File file = r.survey == Survey::kNps    ? File::kNps
                    : r.survey == Survey::kCsat ? File::kCsat
                                                : File::kCes;
  CsvWriter& w = Writer(file);
  w.Integer(r.customer);
  w.Timestamp(r.time);
  w.Integer(r.score);
  if (file != File::kNps) {
    if (r.ticket == 0) {
      w.Empty();
    } else {
      Id(w, "tkt_", r.customer, r.ticket);
    }
  }
  Segment(w, r.segments);
  w.EndRow();
}

void CsvSink::Add(const FunnelRecord& r) {
  CsvWriter& w = Writer(File::kFunnel);
  scratch_.assign("vis_");
  AppendInteger(r.visitor, scratch_);
  w.Text(scratch_);
  if (r.customer == 0) {
    w.Empty();
  } else {
    w.Integer(r.customer);
  }
  w.Text(StageName(r.stage));
  w.Timestamp(r.time);
  w.Integer(r.stage == Stage::kPurchase ? 1 : 0);
  w.Text(RegionName(r.region));
  w.Text(ChannelName(r.channel));
  w.EndRow();
}

void CsvSink::Add(const CampaignRecord& r) {
  CsvWriter& w = Writer(File::kCampaigns);
  w.Date(r.day);
  w.Text(CampaignName(r.campaign));
  w.Text(ChannelName(CampaignChannel(r.campaign)));
  w.Integer(r.impressions);
  w.Integer(r.clicks);
  w.Integer(r.conversions);
  w.Money(r.spend_cents);
  w.EndRow();
}

void CsvSink::Add(const HealthSignalRecord& r) {
  CsvWriter& w = Writer(File::kHealthSignals);
  w.Integer(r.customer);
  w.Text(r.signal);
  w.Integer(r.value);
  Segment(w, r.segments);
  w.EndRow();
}

}  // namespace kpi::sample
