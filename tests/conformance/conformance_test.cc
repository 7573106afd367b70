// Conformance checks: each deliberately broken fixture fails exactly its
// check (in process, through kpi-plugin, and at a real server's load), the
// good fixture and every bundled plugin pass.
#include "conformance.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "plugin_library.h"
#include "tests/support/process.h"

namespace kpi {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Fixture(const std::string& name) {
  return absl::StrCat(KPI_CONFORMANCE_FIXTURE_DIR, "/", name, ".so");
}

std::string Describe(const ConformanceReport& report) {
  std::string text;
  for (const CheckResult& r : report.results) {
    absl::StrAppend(&text, OutcomeName(r.outcome), "  ", r.metric, "  ",
                    r.check, ": ", r.detail, "\n");
  }
  return text;
}

ConformanceReport Check(const std::string& path) {
  auto library = PluginLibrary::Load(path);
  EXPECT_TRUE(library.ok()) << path << ": " << library.status();
  if (!library.ok()) return {};
  return CheckConformance(*library);
}

std::set<std::string> Failed(const ConformanceReport& report) {
  std::set<std::string> failed;
  for (const CheckResult& r : report.results) {
    if (r.outcome == CheckOutcome::kFail) failed.insert(r.check);
  }
  return failed;
}

struct BrokenFixture {
  const char* name;
  const char* check;
  const char* detail;  // part of the failure's detail
};

const BrokenFixture kBroken[] = {
    {"conf_empty_nan", kCheckEmptyState, "nan"},
    {"conf_last_chunk", kCheckChunking, "three chunks give"},
    {"conf_merge_average", kCheckMerge, "(A merge B) merge C gives"},
    {"conf_wrong_example", kCheckExamples,
     "example 'three values': expected 3"},
};

class BrokenFixtureTest : public ::testing::TestWithParam<BrokenFixture> {};

TEST_P(BrokenFixtureTest, FailsExactlyItsCheck) {
  const BrokenFixture& f = GetParam();
  ConformanceReport report = Check(Fixture(f.name));
  EXPECT_EQ(Failed(report), std::set<std::string>{f.check}) << Describe(report);
  ASSERT_NE(report.first_failure(), nullptr);
  EXPECT_THAT(report.first_failure()->detail, HasSubstr(f.detail))
      << Describe(report);
  absl::Status status = ConformanceStatus(report);
  EXPECT_THAT(
      std::string(status.message()),
      HasSubstr(absl::StrCat("conformance check '", f.check,
                             "' failed for metric '", f.name, "_mean'")));
}

TEST_P(BrokenFixtureTest, KpiPluginCheckPrintsTheFailureAndExits1) {
  const BrokenFixture& f = GetParam();
  testing::CommandResult run =
      testing::RunCommand({KPI_PLUGIN_TOOL, "check", Fixture(f.name)});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr(absl::StrCat("FAIL  ", f.name, "_mean  ",
                                              f.check, ": ")));
  EXPECT_THAT(run.out, HasSubstr("FAILED: plugin "));
  EXPECT_THAT(run.out, HasSubstr(" 1 failed"));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, BrokenFixtureTest,
                         ::testing::ValuesIn(kBroken), [](const auto& info) {
                           return std::string(info.param.name);
                         });

TEST(ConformanceTest, GoodFixturePassesWithItsExamples) {
  ConformanceReport report = Check(Fixture("conf_good"));
  EXPECT_TRUE(report.passed()) << Describe(report);
  EXPECT_EQ(report.count(CheckOutcome::kSkip), 0) << Describe(report);
  int examples = 0;
  for (const CheckResult& r : report.results) {
    if (r.check == kCheckExamples) ++examples;
  }
  EXPECT_EQ(examples, 2) << Describe(report);
  std::set<std::string> checks;
  for (const CheckResult& r : report.results) checks.insert(r.check);
  EXPECT_EQ(checks, (std::set<std::string>{kCheckDescriptor, kCheckEmptyState,
                                           kCheckChunking, kCheckMerge,
                                           kCheckExamples}));
}

TEST(ConformanceTest, CppExamplesPass) {
  ConformanceReport report = Check(Fixture("conf_cpp_good"));
  EXPECT_TRUE(report.passed()) << Describe(report);
  std::vector<std::string> examples;
  for (const CheckResult& r : report.results) {
    if (r.check == kCheckExamples) examples.push_back(r.detail);
  }
  EXPECT_THAT(examples,
              ::testing::ElementsAre("example 'small': value 10.5",
                                     "example 'small doubled': value 21",
                                     "example 'no values': undefined (no "
                                     "values)"))
      << Describe(report);
}

// A C++ plugin that reads past the end of a column is refused with the
// SDK's message against every check that ran its update, never crashes the
// checker.
TEST(ConformanceTest, CppIndexPastTheEndIsReportedByName) {
  ConformanceReport report = Check(Fixture("conf_cpp_past_end"));
  EXPECT_EQ(Failed(report), (std::set<std::string>{kCheckChunking, kCheckMerge,
                                                   kCheckExamples}))
      << Describe(report);
  for (const CheckResult& r : report.results) {
    if (r.outcome != CheckOutcome::kFail) continue;
    EXPECT_EQ(r.metric, "conf_cpp_past_end_sum");
    EXPECT_THAT(r.detail, HasSubstr("plugin 'conf_cpp_past_end' failed in "
                                    "conf_cpp_past_end_sum update: index "
                                    "past the end of a View"));
  }
  testing::CommandResult run = testing::RunCommand(
      {KPI_PLUGIN_TOOL, "check", Fixture("conf_cpp_past_end")});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("FAIL  conf_cpp_past_end_sum  declared "
                                 "examples pass: example 'small': the call "
                                 "fails: "));
  EXPECT_THAT(run.out, HasSubstr("index past the end of a View"));
}

TEST(ConformanceTest, KpiPluginCheckPassesTheGoodFixture) {
  testing::CommandResult run =
      testing::RunCommand({KPI_PLUGIN_TOOL, "check", Fixture("conf_good")});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_THAT(run.out,
              HasSubstr("PASS  conf_good_mean  declared examples pass: "
                        "example 'three values': value 2"));
  EXPECT_THAT(run.out, HasSubstr("ok: plugin conf_good 0.0.1"));
  EXPECT_THAT(run.out, Not(HasSubstr("FAIL")));
}

TEST(ConformanceTest, KpiPluginCheckJson) {
  testing::CommandResult run = testing::RunCommand(
      {KPI_PLUGIN_TOOL, "check", Fixture("conf_merge_average"), "--json"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("\"passed\": false"));
  EXPECT_THAT(run.out, HasSubstr("{\"outcome\": \"FAIL\", \"metric\": "
                                 "\"conf_merge_average_mean\", \"check\": "
                                 "\"merge is associative\""));
}

TEST(ConformanceTest, KpiPluginUsageAndLoadErrors) {
  EXPECT_EQ(testing::RunCommand({KPI_PLUGIN_TOOL}).exit_code, 2);
  EXPECT_EQ(testing::RunCommand({KPI_PLUGIN_TOOL, "check"}).exit_code, 2);
  EXPECT_EQ(testing::RunCommand({KPI_PLUGIN_TOOL, "frob", "x.so"}).exit_code,
            2);
  testing::CommandResult help =
      testing::RunCommand({KPI_PLUGIN_TOOL, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("kpi-plugin check FILE.so"));

  testing::CommandResult missing =
      testing::RunCommand({KPI_PLUGIN_TOOL, "check", "/no/such/plugin.so"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("cannot open /no/such/plugin.so: No such "
                                     "file or directory"));
  testing::CommandResult no_entry = testing::RunCommand(
      {KPI_PLUGIN_TOOL, "check",
       absl::StrCat(KPI_FIXTURE_PLUGIN_DIR, "/d_no_entry.so")});
  EXPECT_EQ(no_entry.exit_code, 3);
  EXPECT_THAT(no_entry.err, HasSubstr("no entry symbol kpi_plugin_entry"));
}

std::vector<std::string> BundledPlugins() {
  std::vector<std::string> files;
  for (const auto& entry :
       boost::filesystem::directory_iterator(KPI_PLUGIN_DIR)) {
    if (entry.path().extension() == ".so") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A form of scalars only has no rows to split, and the report says what the
// checks did instead of counting rows that do not exist.
TEST(ConformanceTest, ReportsOfScalarFormsCountNoRows) {
  auto library = PluginLibrary::Load(
      absl::StrCat(KPI_PLUGIN_DIR, "/kpi_plugin_engagement.so"));
  ASSERT_TRUE(library.ok()) << library.status();
  const ConformanceReport report = CheckConformance(*library);
  std::vector<std::string> ctr;
  for (const CheckResult& r : report.results) {
    if (r.metric == "click_through_rate" &&
        (r.check == kCheckChunking || r.check == kCheckMerge)) {
      ctr.push_back(r.detail.substr(0, r.detail.find(": value")));
    }
  }
  EXPECT_THAT(
      ctr, ::testing::ElementsAre(
               "aggregate form: generated totals (no rows) in 1 chunk, and "
               "followed by 2 empty chunks",
               "aggregate form: generated totals (no rows) in 1 of 3 states, "
               "merged either way and unsplit",
               "records form: 64 generated rows in 1 and 3 chunks",
               "records form: 64 generated rows in 3 states, merged either "
               "way and unsplit"))
      << Describe(report);
}

// Every bundled metric declares examples, and no check is skipped: where
// generated input cannot fit (health_score's signals, totals that must add
// up) the generated-input checks run on a declared example.
TEST(ConformanceTest, EveryBundledPluginPassesEveryCheck) {
  std::vector<std::string> files = BundledPlugins();
  ASSERT_FALSE(files.empty());
  for (const std::string& file : files) {
    ConformanceReport report = Check(file);
    EXPECT_TRUE(report.passed()) << file << ":\n" << Describe(report);
    EXPECT_EQ(report.count(CheckOutcome::kSkip), 0) << file << ":\n"
                                                    << Describe(report);
    std::set<std::string> metrics, with_examples;
    for (const CheckResult& r : report.results) {
      if (r.metric.empty()) continue;
      metrics.insert(r.metric);
      if (r.check == kCheckExamples && r.outcome == CheckOutcome::kPass) {
        with_examples.insert(r.metric);
      }
    }
    EXPECT_EQ(with_examples, metrics) << file << ":\n" << Describe(report);
  }
}

TEST(ConformanceTest, HealthScoreChecksRunOnItsDeclaredExample) {
  ConformanceReport report =
      Check(absl::StrCat(KPI_PLUGIN_DIR, "/kpi_plugin_journey.so"));
  std::vector<std::string> details;
  for (const CheckResult& r : report.results) {
    if (r.metric == "health_score" && r.check != kCheckExamples) {
      details.push_back(
          absl::StrCat(OutcomeName(r.outcome), " ", r.check, ": ", r.detail));
    }
  }
  EXPECT_THAT(
      details,
      ::testing::ElementsAre(
          // `signals` is a list parameter: the checks generate a valid
          // one ("name:1:higher") from its declared fields.
          "PASS empty state finalizes: undefined (no rows: customer is "
          "empty, so there is no customer to score)",
          HasSubstr("PASS chunking does not change results: example "
                    "'weights 1, 2, 1 on 80, 50, 100' (generated input "
                    "refused: "),
          HasSubstr("PASS merge is associative: example 'weights 1, 2, 1 on "
                    "80, 50, 100' (generated input refused: ")))
      << Describe(report);
}

TEST(ConformanceTest, ServerRefusesBrokenPluginsNamingTheCheck) {
  auto server = testing::ServerProcess::Start(
      KPI_SERVER_BINARY, {"--plugin-dir", KPI_CONFORMANCE_FIXTURE_DIR});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string log = (*server)->log();
  for (const BrokenFixture& f : kBroken) {
    EXPECT_THAT(
        log, HasSubstr(absl::StrCat("refused plugin ", Fixture(f.name),
                                    ": conformance check '", f.check,
                                    "' failed for metric '", f.name, "_mean'")))
        << log;
  }
  EXPECT_THAT(log, HasSubstr("loaded plugin conf_good 0.0.1"));
  EXPECT_THAT(log, HasSubstr(absl::StrCat(
                       "refused plugin ", Fixture("conf_cpp_past_end"),
                       ": conformance check '", kCheckChunking,
                       "' failed for metric 'conf_cpp_past_end_sum'")))
      << log;
  EXPECT_THAT(log, HasSubstr("loaded plugin conf_cpp_good 0.0.1"));
  EXPECT_THAT(log, HasSubstr("serving 2 metrics from 2 plugins"));
}

TEST(ConformanceTest, ServerWithSkipPluginChecksLoadsThemAll) {
  auto server = testing::ServerProcess::Start(
      KPI_SERVER_BINARY,
      {"--plugin-dir", KPI_CONFORMANCE_FIXTURE_DIR, "--skip-plugin-checks"});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string log = (*server)->log();
  EXPECT_THAT(log, Not(HasSubstr("refused")));
  EXPECT_THAT(log, HasSubstr("serving 7 metrics from 7 plugins"));
}

}  // namespace
}  // namespace kpi
