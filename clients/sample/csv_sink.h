// A RecordSink that writes the records as the CSV files of file_formats.h,
// one CsvWriter per file, in the directory given.

#ifndef KPI_CLIENTS_SAMPLE_CSV_SINK_H_
#define KPI_CLIENTS_SAMPLE_CSV_SINK_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "csv_writer.h"
#include "file_formats.h"
#include "records.h"

namespace kpi::sample {

class CsvSink : public RecordSink {
 public:
  // Opens every file (as NAME.partial) in `directory`, which must exist.
  static absl::StatusOr<std::unique_ptr<CsvSink>> Open(
      const std::string& directory);

  void Add(const CustomerRecord& record) override;
  void Add(const SubscriptionRecord& record) override;
  void Add(const TransactionRecord& record) override;
  void Add(const OrderRecord& record) override;
  void Add(const SessionRecord& record) override;
  void Add(const TicketRecord& record) override;
  void Add(const SurveyRecord& record) override;
  void Add(const FunnelRecord& record) override;
  void Add(const CampaignRecord& record) override;
  void Add(const HealthSignalRecord& record) override;

  // The first error of any file so far (a full disk): the caller checks it
  // now and then and stops early.
  absl::Status status() const;
  // Completes every file (see CsvWriter::Finish).
  absl::Status Finish();
  int64_t rows(File file) const { return Writer(file).rows(); }

 private:
  CsvSink() = default;
  CsvWriter& Writer(File file) const {
    return *writers_[static_cast<int>(file)];
  }
  // "<prefix><customer>_<number>", e.g. "sub_12_3".
  void Id(CsvWriter& writer, absl::string_view prefix, int64_t customer,
          int64_t number);
  void Segment(CsvWriter& writer, const Segments& segments);
  void OptionalTimestamp(CsvWriter& writer, Time t);

  std::array<std::unique_ptr<CsvWriter>, kFiles> writers_;
  std::string scratch_;
};

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_CSV_SINK_H_
