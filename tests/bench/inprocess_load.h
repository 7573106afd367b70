// The in-process baseline: the same payloads through the server's own code
// path -- MetricDispatch, typed calls for unary cases and a Stream fed chunk
// by chunk for streams, as the service does -- with no gRPC, no sockets and
// no parsing: the limit of the compute path.
#ifndef KPI_TESTS_BENCH_INPROCESS_LOAD_H_
#define KPI_TESTS_BENCH_INPROCESS_LOAD_H_

#include <string>

#include "live_config.h"
#include "payloads.h"
#include "run_result.h"

namespace kpi::bench {

// `threads` threads each call the handler back to back for `seconds`
// after `warmup_seconds`.
RunResult RunUnaryInProcess(const LiveConfig& config,
                            const std::string& case_name, int threads,
                            double warmup_seconds, double seconds);

// Whole streamed calls, repeated until `min_seconds` have passed.
RunResult RunStreamInProcess(const LiveConfig& config,
                             const std::string& case_name,
                             const StreamPayload& payload, double min_seconds);

}  // namespace kpi::bench

#endif  // KPI_TESTS_BENCH_INPROCESS_LOAD_H_
