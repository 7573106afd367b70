#include "call_log.h"

#include <chrono>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"

namespace kpi {

absl::StatusOr<LogCalls> ParseLogCalls(absl::string_view name) {
  if (name == "none") return LogCalls::kNone;
  if (name == "errors") return LogCalls::kErrors;
  if (name == "all") return LogCalls::kAll;
  return absl::InvalidArgumentError(
      absl::StrCat("expected none, errors or all, got '", name, "'"));
}

void CallLog::Observe(const CallMetrics::Finished& call) {
  const double duration_ms =
      std::chrono::duration<double, std::milli>(call.duration).count();
  absl::InlinedVector<LogField, 10> fields = {
      {"request_id", call.request_id},
      {"method", call.method},
      {"metric", call.metric},
      {"code", CallMetrics::CodeName(call.grpc_code)},
      {"duration_ms", duration_ms},
      {"rows", call.rows},
      {"request_bytes", call.request_bytes},
  };
  if (!call.principal.empty()) fields.emplace_back("principal", call.principal);
  fields.emplace_back("peer", call.peer);
  if (call.grpc_code != 0) fields.emplace_back("message", call.message);
  log_->Write("call", fields);
}

}  // namespace kpi
