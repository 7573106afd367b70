#include "process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "prometheus_text.h"

namespace kpi {
namespace {

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// The fields of /proc/self/stat after the command name (which may hold
// spaces and parentheses): [0] is field 3 (state) of proc(5).
std::vector<std::string> StatFields() {
  const std::string stat = ReadSmallFile("/proc/self/stat");
  const size_t end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) return {};
  return absl::StrSplit(absl::string_view(stat).substr(end_of_name + 1), ' ',
                        absl::SkipWhitespace());
}

bool StatField(const std::vector<std::string>& fields, int number,
               uint64_t* value) {
  const size_t index = static_cast<size_t>(number - 3);
  return index < fields.size() && absl::SimpleAtoi(fields[index], value);
}

// The boot time, seconds since the epoch ("btime" in /proc/stat).
bool BootTime(uint64_t* seconds) {
  const std::string stat = ReadSmallFile("/proc/stat");
  for (absl::string_view line : absl::StrSplit(stat, '\n')) {
    if (absl::ConsumePrefix(&line, "btime ")) {
      return absl::SimpleAtoi(line, seconds);
    }
  }
  return false;
}

bool OpenFds(uint64_t* count) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  uint64_t entries = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++entries;
  }
  closedir(dir);
  *count = entries > 0 ? entries - 1 : 0;  // not the one reading the dir
  return true;
}

}  // namespace

void AppendProcessMetrics(std::string* out) {
  const std::vector<std::string> stat = StatFields();
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  uint64_t utime, stime, start_ticks, vsize, rss_pages, boot;
  if (StatField(stat, 14, &utime) && StatField(stat, 15, &stime) && ticks > 0) {
    AppendFamilyHeader(out, "process_cpu_seconds_total", "counter",
                       "Total user and system CPU time spent in seconds.");
    AppendSample(out, "process_cpu_seconds_total", {},
                 static_cast<double>(utime + stime) / ticks);
  }
  if (StatField(stat, 24, &rss_pages)) {
    AppendFamilyHeader(out, "process_resident_memory_bytes", "gauge",
                       "Resident memory size in bytes.");
    AppendSample(out, "process_resident_memory_bytes", {},
                 rss_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
  }
  if (StatField(stat, 23, &vsize)) {
    AppendFamilyHeader(out, "process_virtual_memory_bytes", "gauge",
                       "Virtual memory size in bytes.");
    AppendSample(out, "process_virtual_memory_bytes", {}, vsize);
  }
  uint64_t fds;
  if (OpenFds(&fds)) {
    AppendFamilyHeader(out, "process_open_fds", "gauge",
                       "Number of open file descriptors.");
    AppendSample(out, "process_open_fds", {}, fds);
  }
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    AppendFamilyHeader(out, "process_max_fds", "gauge",
                       "Maximum number of open file descriptors.");
    AppendSample(out, "process_max_fds", {},
                 static_cast<uint64_t>(limit.rlim_cur));
  }
  if (StatField(stat, 22, &start_ticks) && BootTime(&boot) && ticks > 0) {
    AppendFamilyHeader(out, "process_start_time_seconds", "gauge",
                       "Start time of the process since unix epoch in "
                       "seconds.");
    AppendSample(
        out, "process_start_time_seconds", {},
        static_cast<double>(boot) + static_cast<double>(start_ticks) / ticks);
  }
}

}  // namespace kpi
