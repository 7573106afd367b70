#include "reload_format.h"

#include <string>

#include "gtest/gtest.h"
#include "text_proto_for_test.h"

namespace kpi::cli {
namespace {

using ::kpi::v1::ReloadResponse;

TEST(FormatReloadTest, OneLinePerChangeThenWhatServes) {
  const ReloadResponse response = ParseText<ReloadResponse>(R"pb(
    changes {
      kind: PLUGIN_CHANGE_KIND_LOADED
      file: "/p/survey.so"
      plugin: "survey"
      plugin_version: "1.0.0"
    }
    changes {
      kind: PLUGIN_CHANGE_KIND_REPLACED
      file: "/p/reload.so"
      plugin: "fixture_reload"
      plugin_version: "2.0.0"
    }
    changes {
      kind: PLUGIN_CHANGE_KIND_REMOVED
      file: "/p/journey.so"
      plugin: "journey"
      plugin_version: "1.0.0"
    }
    changes {
      kind: PLUGIN_CHANGE_KIND_KEPT_PREVIOUS
      file: "/p/health.so"
      plugin: "health"
      plugin_version: "1.2.0"
      reason: "check examples failed"
    }
    changes {
      kind: PLUGIN_CHANGE_KIND_REFUSED
      file: "/p/broken.so"
      reason: "invalid ELF header"
    }
    metric_count: 23
    profile_count: 2
  )pb");
  EXPECT_EQ(FormatReload(response),
            "loaded    survey 1.0.0  /p/survey.so\n"
            "replaced  fixture_reload 2.0.0  /p/reload.so\n"
            "removed   journey 1.0.0  /p/journey.so\n"
            "kept      health 1.2.0  /p/health.so: new version refused: "
            "check examples failed\n"
            "refused   /p/broken.so: invalid ELF header\n"
            "serving 23 metrics, 2 profiles\n");
}

TEST(FormatReloadTest, NoChangeSaysSo) {
  EXPECT_EQ(FormatReload(ParseText<ReloadResponse>("metric_count: 1")),
            "no plugin file changed\n"
            "serving 1 metrics, 0 profiles\n");
}

TEST(FormatReloadTest, AKindFromANewerServerStillShowsTheFile) {
  ReloadResponse response;
  kpi::v1::PluginChange* change = response.add_changes();
  change->set_kind(static_cast<kpi::v1::PluginChangeKind>(42));
  change->set_file("/p/x.so");
  EXPECT_EQ(FormatReload(response),
            "changed   /p/x.so\n"
            "serving 0 metrics, 0 profiles\n");
}

}  // namespace
}  // namespace kpi::cli
