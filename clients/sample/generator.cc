#include "generator.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "business_model.h"
#include "campaigns.h"
#include "csv_sink.h"
#include "csv_writer.h"
#include "health_signals.h"
#include "random.h"
#include "signup_schedule.h"

namespace kpi::sample {
namespace {

// How often (in customers) the run checks for a write error, so a full
// disk stops it soon rather than after every customer is made.
constexpr int64_t kCheckEvery = 4096;

// mkdir -p.
absl::Status MakeDirectories(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix =
        slash == std::string::npos ? path : path.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0755) != 0 &&
        errno != EEXIST) {
      return absl::InternalError(absl::StrCat(
          "cannot create directory '", prefix, "': ", std::strerror(errno)));
    }
    if (slash == std::string::npos) break;
  }
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return absl::InternalError(absl::StrCat("cannot create directory '", path,
                                            "': ", std::strerror(errno)));
  }
  if (!S_ISDIR(info.st_mode)) {
    return absl::InternalError(
        absl::StrCat("'", path, "' exists and is not a directory"));
  }
  return absl::OkStatus();
}

std::string Manifest(const SampleOptions& options, const Window& window,
                     const SampleSummary& summary) {
  std::string start;
  std::string end;
  AppendTimestamp(window.start, start);
  AppendTimestamp(window.end, end);
  std::string month;
  AppendDate(window.start, month);
  month.resize(7);
  std::string out = absl::StrCat(
      "{\n  \"format\": \"kpi-sample\",\n  \"format_version\": ",
      kFormatVersion, ",\n  \"customers\": ", options.customers,
      ",\n  \"seed\": \"", options.seed, "\",\n  \"months\": ", options.months,
      ",\n  \"start\": \"", month, "\",\n  \"window_start\": \"", start,
      "\",\n  \"window_end\": \"", end, "\",\n  \"files\": [");
  for (int f = 0; f < kFiles; ++f) {
    absl::StrAppend(&out, f == 0 ? "\n" : ",\n", "    {\"name\": \"",
                    FormatOf(static_cast<File>(f)).name,
                    "\", \"rows\": ", summary.rows[f], "}");
  }
  absl::StrAppend(&out, "\n  ]\n}\n");
  return out;
}

}  // namespace

absl::StatusOr<SampleSummary> GenerateSample(const SampleOptions& options) {
  if (absl::Status status = MakeDirectories(options.out); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::unique_ptr<CsvSink>> opened = CsvSink::Open(options.out);
  if (!opened.ok()) return opened.status();
  CsvSink& sink = **opened;

  const Window window =
      MakeWindow(options.start_year, options.start_month, options.months);
  const SignupSchedule schedule(options.customers, window);
  CampaignLedger campaigns(options.seed, window, schedule, sink);
  BusinessModel model(window);
  // Every customer record passes through `health` on its way to the files,
  // which adds the customer's health signals once they are complete.
  HealthSignals health(window, sink);
  for (int64_t id = 1; id <= options.customers; ++id) {
    Rng rng(options.seed, kCustomerStream, static_cast<uint64_t>(id));
    const Time signup = schedule.SignupTime(id, rng.Uniform());
    campaigns.AdvanceTo(signup);
    const CustomerRecord customer =
        model.GenerateCustomer(id, signup, rng, health);
    health.FinishCustomer();
    if (customer.campaign != kNoCampaign) {
      campaigns.AddConversion(customer.campaign, signup);
    }
    if (id % kCheckEvery == 0) {
      if (absl::Status status = sink.status(); !status.ok()) return status;
    }
  }
  campaigns.Finish();
  if (absl::Status status = sink.Finish(); !status.ok()) return status;

  SampleSummary summary;
  for (int f = 0; f < kFiles; ++f) summary.rows[f] = sink.rows(File(f));
  if (absl::Status status = WriteWholeFile(options.out + "/manifest.json",
                                           Manifest(options, window, summary));
      !status.ok()) {
    return status;
  }
  return summary;
}

}  // namespace kpi::sample
