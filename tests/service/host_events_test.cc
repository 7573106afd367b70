// The event names of the plugin host's lines: one line of each kind, as the
// host writes it (host/metric_registry.cc, live_config.cc,
// plugin_worker.cc).
#include "host_events.h"

#include <gtest/gtest.h>

namespace kpi {
namespace {

TEST(HostEventsTest, NamesEachKindOfHostLine) {
  EXPECT_EQ(HostLineEvent("loaded plugin survey 1.0.0 from /p/survey.so"),
            "plugin_loaded");
  EXPECT_EQ(HostLineEvent("replaced plugin survey 1.1.0 from /p/survey.so"),
            "plugin_replaced");
  EXPECT_EQ(HostLineEvent("removed plugin survey 1.0.0: /p/survey.so is gone "
                          "(unloaded when its last call finishes)"),
            "plugin_removed");
  EXPECT_EQ(HostLineEvent("refused plugin /p/x.so: no entry symbol"),
            "plugin_refused");
  EXPECT_EQ(HostLineEvent("refused new version of /p/x.so: crashed; version "
                          "1.0.0 keeps serving"),
            "plugin_refused");
  EXPECT_EQ(HostLineEvent("reloaded: 1 plugin files changed; serving 23 "
                          "metrics from 6 plugins, 0 profiles"),
            "reload");
  EXPECT_EQ(HostLineEvent("profiles file /etc/p.json: profile 'smb' of nps: "
                          "parameter 'x': is not a parameter of nps"),
            "profile_problem");
  EXPECT_EQ(HostLineEvent("removed 3 stale private plugin copies "
                          "(kpi-plugin-*) from /tmp, left by servers or "
                          "workers that are gone"),
            "stale_copies");
  EXPECT_EQ(HostLineEvent("left a stale-looking private plugin copy: /tmp/x"),
            "stale_copies");
  EXPECT_EQ(HostLineEvent("plugin survey: worker pid 42 was killed by signal "
                          "11 (SIGSEGV); 1 failure in a row, restarting on "
                          "the next call after 0.1 s"),
            "worker_died");
  EXPECT_EQ(HostLineEvent("plugin survey: worker restarted (pid 43)"),
            "worker_restart");
  EXPECT_EQ(HostLineEvent("something new"), "plugin_host");
}

}  // namespace
}  // namespace kpi
