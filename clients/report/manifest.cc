#include "manifest.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "field_values.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace kpi::report {

absl::StatusOr<std::optional<Window>> ReadManifestWindow(
    const std::string& directory) {
  const std::string path = absl::StrCat(directory, "/manifest.json");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::Struct manifest;
  if (!google::protobuf::util::JsonStringToMessage(text.str(), &manifest)
           .ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a JSON object"));
  }
  int64_t micros[2];
  const char* keys[2] = {"window_start", "window_end"};
  for (int i = 0; i < 2; ++i) {
    auto it = manifest.fields().find(keys[i]);
    const char* reason = "missing";
    if (it != manifest.fields().end() && it->second.has_string_value() &&
        ParseTimestamp(it->second.string_value(), &micros[i], &reason)) {
      continue;
    }
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", keys[i], ": ", reason));
  }
  if (micros[1] <= micros[0]) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": window_end is not after window_start"));
  }
  return Window{FromMicros(micros[0]), FromMicros(micros[1])};
}

}  // namespace kpi::report
