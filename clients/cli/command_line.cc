#include "command_line.h"

#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli_status.h"

namespace kpi::cli {
namespace {

constexpr absl::string_view kSeeHelp = " (see kpi --help)";
constexpr absl::string_view kCommands =
    "the commands are list, describe, compute, protos, reload and help";

constexpr std::pair<absl::string_view, Command> kCommandNames[] = {
    {"list", Command::kList},
    {"describe", Command::kDescribe},
    {"compute", Command::kCompute},
    {"reload", Command::kReload},
    {"protos", Command::kProtos}};

std::optional<Command> CommandNamed(absl::string_view name) {
  for (const auto& [command_name, command] : kCommandNames) {
    if (command_name == name) return command;
  }
  return std::nullopt;
}

absl::string_view NameOf(Command command) {
  for (const auto& [name, named] : kCommandNames) {
    if (named == command) return name;
  }
  return "";
}

absl::Status UnknownCommand(absl::string_view name) {
  return UsageError(
      absl::StrCat("unknown command \"", name, "\"; ", kCommands, kSeeHelp));
}

// The server's rule for a client's x-request-id (service/request_id.h).
absl::Status CheckRequestId(absl::string_view id) {
  constexpr size_t kMaxBytes = 128;
  bool visible = !id.empty() && id.size() <= kMaxBytes;
  for (const char c : id) visible = visible && c >= 0x21 && c <= 0x7e;
  if (visible) return absl::OkStatus();
  return UsageError(absl::StrCat(
      "--request-id: expected 1 to 128 visible ASCII characters without "
      "spaces, got \"",
      id.substr(0, kMaxBytes), id.size() > kMaxBytes ? "...\"" : "\"",
      kSeeHelp));
}

absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view text) {
  double seconds = 0;
  if (!absl::SimpleAtod(text, &seconds) || !std::isfinite(seconds) ||
      seconds <= 0) {
    return UsageError(absl::StrCat("--timeout: \"", text,
                                   "\" is not a positive number of seconds"));
  }
  return absl::Seconds(seconds);
}

// Checks the operands and the command-specific flags of a command that is
// to run.
absl::Status CheckOperands(const Invocation& invocation) {
  const size_t count = invocation.operands.size();
  switch (*invocation.command) {
    case Command::kList:
    case Command::kReload:
      if (count != 0) {
        return UsageError(absl::StrCat(NameOf(*invocation.command),
                                       " takes no arguments, got \"",
                                       invocation.operands[0], "\"", kSeeHelp));
      }
      break;
    case Command::kDescribe:
      if (count != 1) {
        return UsageError(absl::StrCat(
            "describe takes one argument, the metric's name", kSeeHelp));
      }
      break;
    case Command::kProtos:
      if (count == 0) {
        return UsageError(absl::StrCat(
            "protos needs the directory to write to: kpi protos DIR "
            "[PLUGIN ...]",
            kSeeHelp));
      }
      break;
    case Command::kCompute:
      if (count == 0) {
        return UsageError(
            absl::StrCat("compute needs the metric's name: kpi compute METRIC "
                         "[NAME=VALUE ...]",
                         kSeeHelp));
      }
      break;
  }
  if (*invocation.command == Command::kCompute) return absl::OkStatus();
  const std::pair<bool, absl::string_view> compute_flags[] = {
      {invocation.input_json.has_value(), "--input-json"},
      {!invocation.group_by.empty(), "--group-by"},
      {invocation.profile.has_value(), "--profile"}};
  for (const auto& [given, flag] : compute_flags) {
    if (given) {
      return UsageError(
          absl::StrCat(flag, " is a flag of compute only", kSeeHelp));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Invocation> ParseCommandLine(absl::Span<const std::string> args,
                                            absl::string_view env_server) {
  Invocation invocation;
  invocation.options.server = env_server.empty() ? std::string(kDefaultServer)
                                                 : std::string(env_server);
  std::vector<std::string> positional;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || !absl::StartsWith(arg, "-") || arg == "-") {
      positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      invocation.help = true;
      continue;
    }
    if (arg == "--json") {
      invocation.options.json = true;
      continue;
    }
    if (arg == "--tls") {
      invocation.options.tls = true;
      continue;
    }
    // The flags that take a value, as "--flag value" or "--flag=value".
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    // The flags that name a file or variable, and what they set.
    const std::pair<absl::string_view, std::string*> path_flags[] = {
        {"--token", &invocation.options.token_file},
        {"--token-env", &invocation.options.token_env},
        {"--tls-ca", &invocation.options.tls_ca},
        {"--tls-cert", &invocation.options.tls_cert},
        {"--tls-key", &invocation.options.tls_key}};
    std::string* path_target = nullptr;
    for (const auto& [flag, target] : path_flags) {
      if (name == flag) path_target = target;
    }
    const bool takes_value = name == "--server" || name == "--timeout" ||
                             name == "--input-json" || name == "--group-by" ||
                             name == "--profile" || name == "--request-id" ||
                             path_target != nullptr;
    if (!takes_value) {
      return UsageError(absl::StrCat("unknown flag \"", name, "\"", kSeeHelp));
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return UsageError(absl::StrCat(name, " needs a value", kSeeHelp));
    }
    if (path_target != nullptr) {
      if (value.empty()) return UsageError(absl::StrCat(name, " is empty"));
      *path_target = value;
    } else if (name == "--server") {
      if (value.empty()) return UsageError("--server: HOST:PORT is empty");
      invocation.options.server = value;
    } else if (name == "--timeout") {
      absl::StatusOr<absl::Duration> timeout = ParseTimeout(value);
      if (!timeout.ok()) return timeout.status();
      invocation.options.timeout = *timeout;
    } else if (name == "--group-by") {
      for (absl::string_view column : absl::StrSplit(value, ',')) {
        column = absl::StripAsciiWhitespace(column);
        if (column.empty()) {
          return UsageError(
              absl::StrCat("--group-by: empty column name in \"", value, "\""));
        }
        invocation.group_by.emplace_back(column);
      }
    } else if (name == "--request-id") {
      if (absl::Status status = CheckRequestId(value); !status.ok()) {
        return status;
      }
      invocation.options.request_id = value;
    } else if (name == "--profile") {
      if (value.empty()) return UsageError("--profile: NAME is empty");
      invocation.profile = value;
    } else {
      invocation.input_json = value;
    }
  }

  const Options& options = invocation.options;
  if (!options.token_file.empty() && !options.token_env.empty()) {
    return UsageError(
        absl::StrCat("--token and --token-env: give one of them", kSeeHelp));
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return UsageError(absl::StrCat(
        "--tls-cert and --tls-key go together: the client certificate and "
        "its key",
        kSeeHelp));
  }
  if (!options.tls_ca.empty() || !options.tls_cert.empty()) {
    invocation.options.tls = true;
  }

  if (positional.empty()) {
    if (invocation.help) return invocation;
    return UsageError(absl::StrCat("no command given; ", kCommands, kSeeHelp));
  }
  if (positional[0] == "help") {
    invocation.help = true;
    if (positional.size() == 1) return invocation;
    positional.erase(positional.begin());
  }
  invocation.command = CommandNamed(positional[0]);
  if (!invocation.command.has_value()) return UnknownCommand(positional[0]);
  if (invocation.help) return invocation;
  invocation.operands.assign(positional.begin() + 1, positional.end());
  if (absl::Status status = CheckOperands(invocation); !status.ok()) {
    return status;
  }
  return invocation;
}

}  // namespace kpi::cli
