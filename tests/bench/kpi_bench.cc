// kpi-bench: one benchmark case against one service, printed as one JSON line
// (run_result.h). tests/bench/run_bench.py runs every case against every
// service and writes the report.
//
//   kpi-bench --case=CASE (--target=HOST:PORT | --inprocess) [FLAG=VALUE...]
//
// Cases (payloads.h): small_nps, small_churn (unary; QPS and latency),
// bulk_nps, grouped_nps, records_rpr, bgnbd (ComputeStream; rows/s, and
// each call's time as its latency).
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "grpc_load.h"
#include "inprocess_load.h"
#include "live_config.h"
#include "payloads.h"
#include "server_options.h"

namespace kpi::bench {
namespace {

constexpr char kUsage[] =
    "usage: kpi-bench --case=CASE (--target=HOST:PORT | --inprocess)\n"
    "  cases: small_nps small_churn bulk_nps grouped_nps records_rpr bgnbd\n"
    "  unary:   --channels=4 --in-flight=8 --warmup=1 --seconds=5\n"
    "           --threads=2 (in-process)\n"
    "  streams: --rows=10000000 --chunk-rows=50000 --streams=1\n"
    "           --min-seconds=3 --cdnow=FILE --copies=15\n"
    "           --keys=strings|int64|codes (records_rpr's customer column)\n"
    "           --transactions=FILE --calibration-end-us=N (bgnbd)\n"
    "  in-process: --plugin-dir=DIR (default: the bundled plugins)\n";

class Flags {
 public:
  // Every "--name=value" (or bare "--name") of argv.
  static bool Parse(int argc, char** argv, Flags& flags) {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0) return false;
      const size_t equals = arg.find('=');
      flags.values_[arg.substr(
          2, equals == std::string::npos ? std::string::npos : equals - 2)] =
          equals == std::string::npos ? "" : arg.substr(equals + 1);
    }
    return true;
  }

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Text(const std::string& name, const std::string& fallback) {
    used_[name] = true;
    return Has(name) ? values_.at(name) : fallback;
  }
  double Number(const std::string& name, double fallback) {
    double value = fallback;
    if (Has(name) && !absl::SimpleAtod(values_.at(name), &value)) {
      std::cerr << "kpi-bench: --" << name << " is not a number\n";
      std::exit(2);
    }
    used_[name] = true;
    return value;
  }
  // The first flag nothing asked for, or "".
  std::string Unused() const {
    for (const auto& [name, value] : values_) {
      if (!used_.count(name)) return name;
    }
    return "";
  }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> used_;
};

int Main(int argc, char** argv) {
  Flags flags;
  if (!Flags::Parse(argc, argv, flags) || flags.Has("help")) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string case_name = flags.Text("case", "");
  const bool in_process = flags.Has("inprocess");
  flags.Text("inprocess", "");
  const std::string target = flags.Text("target", "");
  if (case_name.empty() || in_process == !target.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const bool unary = case_name == "small_nps" || case_name == "small_churn";
  const double warmup = flags.Number("warmup", 1);
  const double seconds = flags.Number("seconds", 5);
  const UnaryOptions unary_options{
      static_cast<int>(flags.Number("channels", 4)),
      static_cast<int>(flags.Number("in-flight", 8)), warmup, seconds};
  const int threads = static_cast<int>(flags.Number("threads", 2));
  const StreamOptions stream_options{
      static_cast<int>(flags.Number("streams", 1)),
      flags.Number("min-seconds", 3)};
  const auto rows = static_cast<uint64_t>(flags.Number("rows", 10000000));
  const auto chunk_rows =
      static_cast<size_t>(flags.Number("chunk-rows", 50000));
  const std::string cdnow = flags.Text("cdnow", kDefaultCdnowPath);
  const int copies = static_cast<int>(flags.Number("copies", 15));
  const std::string keys = flags.Text("keys", "strings");
  const std::string transactions = flags.Text("transactions", "");
  const auto calibration_end_us =
      static_cast<int64_t>(flags.Number("calibration-end-us", 0));
  const KeyForm key_form = keys == "int64"   ? KeyForm::kInt64s
                           : keys == "codes" ? KeyForm::kCodes
                                             : KeyForm::kStrings;
  if (keys != "strings" && keys != "int64" && keys != "codes") {
    std::cerr << "kpi-bench: --keys is strings, int64 or codes\n";
    return 2;
  }
  const std::string plugin_dir =
      flags.Text("plugin-dir", DefaultPluginDirectory());
  if (std::string unused = flags.Unused(); !unused.empty()) {
    std::cerr << "kpi-bench: unknown flag --" << unused << "\n" << kUsage;
    return 2;
  }

  std::unique_ptr<LiveConfig> config;
  if (in_process) {
    // The limit of the compute path: plugins in this process.
    MetricRegistry::Options options;
    options.isolation = Isolation::kNone;
    auto loaded =
        LiveConfig::Load({plugin_dir}, options,
                         /*profiles_file=*/"", [](absl::string_view) {});
    if (!loaded.ok()) {
      std::cerr << "kpi-bench: " << loaded.status() << "\n";
      return 1;
    }
    config = *std::move(loaded);
  }
  if (unary) {
    const RunResult result =
        in_process
            ? RunUnaryInProcess(*config, case_name, threads, warmup, seconds)
            : RunUnaryOverGrpc(target, case_name, unary_options);
    std::cout << result.Json() << std::endl;
    return 0;
  }

  absl::StatusOr<StreamPayload> payload;
  if (case_name == "bulk_nps" || case_name == "grouped_nps") {
    payload = StreamPayload::Nps(rows, chunk_rows, case_name == "grouped_nps");
  } else if (case_name == "records_rpr") {
    payload = StreamPayload::RepeatPurchaseRecords(cdnow, copies, chunk_rows,
                                                   key_form);
  } else if (case_name == "bgnbd") {
    payload = StreamPayload::BgnbdTransactions(transactions, calibration_end_us,
                                               chunk_rows);
  } else {
    std::cerr << "kpi-bench: unknown case '" << case_name << "'\n" << kUsage;
    return 2;
  }
  if (!payload.ok()) {
    std::cerr << "kpi-bench: " << payload.status() << "\n";
    return 1;
  }
  const RunResult result =
      in_process
          ? RunStreamInProcess(*config, case_name, *payload,
                               stream_options.min_seconds)
          : RunStreamOverGrpc(target, case_name, *payload, stream_options);
  std::cout << result.Json() << std::endl;
  return 0;
}

}  // namespace
}  // namespace kpi::bench

int main(int argc, char** argv) { return kpi::bench::Main(argc, argv); }
