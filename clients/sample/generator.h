// Generates a whole sample data set: the files of file_formats.h and
// manifest.json, in a directory.
//
// Deterministic: the same options give byte-identical files on any machine
// (random.h says how). Memory does not grow with the number of customers:
// customers are made one at a time, in signup order, and their rows
// written as they are made; campaigns are counted a day at a time.

#ifndef KPI_CLIENTS_SAMPLE_GENERATOR_H_
#define KPI_CLIENTS_SAMPLE_GENERATOR_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "file_formats.h"

namespace kpi::sample {

struct SampleOptions {
  int64_t customers = 10000;
  uint64_t seed = 1;
  int months = 24;
  // The first month. A fixed default, not the current month, so that a
  // run is reproducible.
  int64_t start_year = 2024;
  int start_month = 1;
  std::string out = "kpi-sample-data";
};

struct SampleSummary {
  std::array<int64_t, kFiles> rows{};  // data rows per file
};

// Creates `options.out` (and its parents) when missing and writes every
// file into it, replacing files of an earlier run. On an error (a
// directory that cannot be created or written, a full disk) returns it,
// naming the path; files of this run that were not complete are removed
// (NAME.partial), complete ones stay.
// REQUIRES: options valid (command_line.h checks them).
absl::StatusOr<SampleSummary> GenerateSample(const SampleOptions& options);

}  // namespace kpi::sample

#endif  // KPI_CLIENTS_SAMPLE_GENERATOR_H_
