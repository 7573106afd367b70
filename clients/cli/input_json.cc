#include "input_json.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cli_status.h"
#include "google/protobuf/util/json_util.h"

namespace kpi::cli {
namespace {

absl::StatusOr<std::string> ReadAll(std::istream& in, absl::string_view what) {
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return UsageError(absl::StrCat("--input-json: cannot read ", what));
  }
  return std::move(text).str();
}

}  // namespace

absl::StatusOr<std::string> ReadInputJson(absl::string_view argument,
                                          std::istream& in) {
  if (argument == "-") return ReadAll(in, "stdin");
  if (!absl::StartsWith(argument, "@")) return std::string(argument);
  const std::string path(argument.substr(1));
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return UsageError(absl::StrCat("--input-json: cannot open \"", path,
                                   "\": ", std::strerror(errno)));
  }
  return ReadAll(file, absl::StrCat("\"", path, "\""));
}

absl::StatusOr<google::protobuf::Struct> ParseInputJson(
    absl::string_view json) {
  // Struct's own JSON mapping is "any JSON object", so protobuf's parser
  // checks the syntax and that the top level is an object.
  if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(json), "{")) {
    return UsageError(
        "--input-json: expected a JSON object like "
        "{\"scores\": [10, 9, 3]}");
  }
  google::protobuf::Struct object;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &object);
  if (!status.ok()) {
    return UsageError(absl::StrCat("--input-json: not valid JSON: ",
                                   std::string(status.message())));
  }
  return object;
}

}  // namespace kpi::cli
