#include "reload_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::PluginChange;

// The kind of change as the first column shows it; none is wider than
// "replaced", so the column is that wide.
absl::string_view KindWord(kpi::v1::PluginChangeKind kind) {
  switch (kind) {
    case kpi::v1::PLUGIN_CHANGE_KIND_LOADED:
      return "loaded";
    case kpi::v1::PLUGIN_CHANGE_KIND_REPLACED:
      return "replaced";
    case kpi::v1::PLUGIN_CHANGE_KIND_REMOVED:
      return "removed";
    case kpi::v1::PLUGIN_CHANGE_KIND_KEPT_PREVIOUS:
      return "kept";
    case kpi::v1::PLUGIN_CHANGE_KIND_REFUSED:
      return "refused";
    default:
      // A kind from a newer server: the rest of the line still says what
      // happened.
      return "changed";
  }
}

std::string ChangeLine(const PluginChange& change) {
  std::string line = absl::StrFormat("%-8s  ", KindWord(change.kind()));
  if (!change.plugin().empty()) {
    absl::StrAppend(&line, change.plugin(), " ", change.plugin_version(), "  ");
  }
  absl::StrAppend(&line, change.file());
  if (!change.reason().empty()) {
    absl::StrAppend(&line,
                    change.kind() == kpi::v1::PLUGIN_CHANGE_KIND_KEPT_PREVIOUS
                        ? ": new version refused: "
                        : ": ",
                    change.reason());
  }
  return absl::StrCat(line, "\n");
}

}  // namespace

std::string FormatReload(const kpi::v1::ReloadResponse& response) {
  std::string out;
  for (const PluginChange& change : response.changes()) {
    absl::StrAppend(&out, ChangeLine(change));
  }
  if (response.changes().empty()) out = "no plugin file changed\n";
  absl::StrAppend(&out, "serving ", response.metric_count(), " metrics, ",
                  response.profile_count(), " profiles\n");
  return out;
}

}  // namespace kpi::cli
