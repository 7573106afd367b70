#include "cli_status.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"
#include "kpi/client.h"

namespace kpi::cli {
namespace {

// The payload naming the exit status of an error; its value is the decimal
// exit code.
constexpr absl::string_view kExitCodePayload = "kpi.cli/exit_code";
// The payload holding the request id the server gave a failed call.
constexpr absl::string_view kRequestIdPayload = "kpi.cli/request_id";

absl::Status Tagged(absl::Status status, ExitCode code) {
  status.SetPayload(kExitCodePayload,
                    absl::Cord(absl::StrCat(static_cast<int>(code))));
  return status;
}

absl::optional<ExitCode> TagOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kExitCodePayload);
  int code = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(payload->Flatten(), &code)) {
    return absl::nullopt;
  }
  return static_cast<ExitCode>(code);
}

}  // namespace

absl::Status UsageError(absl::string_view message) {
  return Tagged(absl::InvalidArgumentError(message), ExitCode::kUsage);
}

absl::Status ClientError(const absl::Status& status) {
  if (IsUnreachable(status)) return Tagged(status, ExitCode::kUnreachable);
  return ServerError(status.code(), status.message(), RequestIdOf(status));
}

absl::Status ServerError(absl::StatusCode code, absl::string_view message,
                         absl::string_view request_id) {
  absl::Status status =
      Tagged(absl::Status(code, message), ExitCode::kServerError);
  if (!request_id.empty()) {
    status.SetPayload(kRequestIdPayload, absl::Cord(request_id));
  }
  return status;
}

ExitCode ExitCodeFor(const absl::Status& status) {
  if (status.ok()) return ExitCode::kOk;
  return TagOf(status).value_or(ExitCode::kServerError);
}

std::string ErrorLine(const absl::Status& status) {
  if (TagOf(status) == ExitCode::kServerError) {
    const absl::optional<absl::Cord> request_id =
        status.GetPayload(kRequestIdPayload);
    return absl::StrCat(
        "kpi: ", absl::StatusCodeToString(status.code()), ": ",
        status.message(),
        request_id.has_value()
            ? absl::StrCat(" (request id ", std::string(*request_id), ")")
            : "");
  }
  return absl::StrCat("kpi: ", status.message());
}

}  // namespace kpi::cli
