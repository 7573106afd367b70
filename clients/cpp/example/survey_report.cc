// A backend's use of the C++ client: NPS over survey answers read from
// standard input (one score per line), streamed to the server in chunks so
// any number of answers fits in flat memory.
//
//   survey_report HOST:PORT < scores.txt
//   nps = 30 (95% interval 14.7 to 45.3) over 100 answers
//
// A line that is not a number, or a score the server refuses, ends it with
// the reason on stderr and exit status 1; no server, exit status 3.
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "kpi/client.h"

namespace {

constexpr int kChunkRows = 1000;

int Fail(const absl::Status& status) {
  std::cerr << "survey_report: " << status.message() << "\n";
  return kpi::IsUnreachable(status) ? 3 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: survey_report HOST:PORT < scores.txt\n";
    return 2;
  }
  kpi::ClientOptions options;
  options.target = argv[1];
  if (const char* token = std::getenv("KPI_TOKEN")) options.token = token;
  kpi::Client client(std::move(options));

  int64_t answers = 0;
  int64_t chunks = 0;
  std::string line;
  const absl::StatusOr<kpi::v1::ComputeStreamResponse> response =
      client.ComputeStream(
          [&](kpi::v1::ComputeStreamRequest* chunk) -> absl::StatusOr<bool> {
            // The first chunk names the metric, even with no answers at all.
            if (chunks++ == 0) chunk->set_metric("nps");
            kpi::v1::Column* scores = chunk->add_columns();
            scores->set_name("scores");
            while (scores->doubles().values_size() < kChunkRows &&
                   std::getline(std::cin, line)) {
              double score = 0;
              if (!absl::SimpleAtod(line, &score)) {
                // Cancels the call: no NPS over the lines before this one.
                return absl::InvalidArgumentError(absl::StrCat(
                    "line ", answers + 1, ": \"", line, "\" is not a score"));
              }
              scores->mutable_doubles()->add_values(score);
              ++answers;
            }
            return scores->doubles().values_size() > 0 || chunks == 1;
          });
  if (!response.ok()) return Fail(response.status());
  const kpi::v1::MetricResult& result = response->result();
  if (!result.has_value()) {
    std::cout << "nps undefined: " << result.undefined_reason() << "\n";
    return 0;
  }
  std::cout << "nps = " << result.value();
  if (result.has_interval()) {
    std::cout << " (" << result.interval().confidence_level() * 100
              << "% interval " << result.interval().lower() << " to "
              << result.interval().upper() << ")";
  }
  std::cout << " over " << answers << " answers\n";
  return 0;
}
