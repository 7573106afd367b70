// Load over gRPC against any server of kpi.v1.MetricService: kpi-server, the
// bare server or the Python service -- the client side is identical.
//
// Unary cases use the callback API: `channels` channels (each its own TCP
// connection) with `in_flight` calls outstanding on each; a call that
// completes starts the next one at once. Streamed cases send the payload's
// chunks with a ClientWriter, `streams` calls at a time, each on its own
// channel and thread.
#ifndef KPI_TESTS_BENCH_GRPC_LOAD_H_
#define KPI_TESTS_BENCH_GRPC_LOAD_H_

#include <string>

#include "payloads.h"
#include "run_result.h"

namespace kpi::bench {

struct UnaryOptions {
  int channels = 4;
  int in_flight = 8;
  double warmup_seconds = 1;
  double seconds = 5;
};

// `case_name` is "small_nps" or "small_churn". Calls that start during the
// warm-up are not counted.
RunResult RunUnaryOverGrpc(const std::string& target,
                           const std::string& case_name,
                           const UnaryOptions& options);

struct StreamOptions {
  int streams = 1;
  // Calls are repeated until this much time has passed (at least one each).
  double min_seconds = 3;
};

RunResult RunStreamOverGrpc(const std::string& target,
                            const std::string& case_name,
                            const StreamPayload& payload,
                            const StreamOptions& options);

}  // namespace kpi::bench

#endif  // KPI_TESTS_BENCH_GRPC_LOAD_H_
