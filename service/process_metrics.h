// The standard process metrics of Prometheus client libraries, read from
// /proc at scrape time: process_cpu_seconds_total,
// process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds and process_start_time_seconds. They
// describe this process only, not its plugin workers.
//
// A value that cannot be read (no /proc) leaves its family out.
//
// Thread-safe.
#ifndef KPI_SERVICE_PROCESS_METRICS_H_
#define KPI_SERVICE_PROCESS_METRICS_H_

#include <string>

namespace kpi {

void AppendProcessMetrics(std::string* out);

}  // namespace kpi

#endif  // KPI_SERVICE_PROCESS_METRICS_H_
