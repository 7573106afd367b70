// CallLog: one `call` event (event_log.h) per finished kpi.v1.MetricService
// call, chosen by --log-calls: none, only the calls that did not end OK
// (errors, the default), or all.
//
// Fields, in order: request_id, method, metric (empty when the call named
// no served metric), code (OK, INVALID_ARGUMENT, ...), duration_ms, rows,
// request_bytes, principal (the token's name; only with --tokens-file),
// peer (gRPC's address of the caller), and message (the status message,
// already capped at kMaxStatusMessageBytes; only when not OK).
//
// A CallMetrics observer: a call it does not want (OK under errors, any
// under none) costs the comparison in Wants, nothing more.
#ifndef KPI_SERVICE_CALL_LOG_H_
#define KPI_SERVICE_CALL_LOG_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "call_metrics.h"
#include "event_log.h"

namespace kpi {

enum class LogCalls { kNone, kErrors, kAll };

// "none", "errors" or "all"; INVALID_ARGUMENT names the three.
absl::StatusOr<LogCalls> ParseLogCalls(absl::string_view name);

class CallLog final : public CallMetrics::Observer {
 public:
  // `log` must outlive this CallLog.
  CallLog(const EventLog* log, LogCalls which) : log_(log), which_(which) {}

  bool Wants(int grpc_code) const override {
    return which_ == LogCalls::kAll ||
           (which_ == LogCalls::kErrors && grpc_code != 0);
  }
  void Observe(const CallMetrics::Finished& call) override;

 private:
  const EventLog* const log_;
  const LogCalls which_;
};

}  // namespace kpi

#endif  // KPI_SERVICE_CALL_LOG_H_
