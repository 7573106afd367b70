// The report spec: the built-in one parses, and every mistake is an error
// that names the key, so a typo never becomes a silent default.

#include "spec.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::HasSubstr;

constexpr char kMinimal[] = R"(
[window]
start = 2024-01-01T00:00:00Z
end = "2024-07-01"

[periods]
every = "month"
last = 3

[files.answers]
path = "answers.csv"
[files.answers.columns]
time = "timestamp"
score = { type = "double", min = 0, max = 10 }
channel = { type = "string", values = ["web", "email"] }

[[kpi]]
id = "nps"
metric = "nps"
file = "answers"
inputs = { scores = "score" }
parameters = { confidence_level = 0.9 }
period = { filter = "time" }
group_by = ["channel"]
target = { at_least = 40 }
)";

TEST(ParseSpec, TheBuiltInSpecParses) {
  absl::StatusOr<Spec> spec = ParseSpec(kDefaultSpec, "the built-in spec");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_FALSE(spec->window_start.has_value());
  EXPECT_EQ(spec->periods.last, 12);
  EXPECT_GE(spec->kpis.size(), 10u);
  EXPECT_NE(spec->File("subscriptions"), nullptr);
  // The health score: one call over kpi-sample's health_signals.csv, with
  // the 10 customers most at risk and the band sizes kept.
  const auto health =
      std::find_if(spec->kpis.begin(), spec->kpis.end(),
                   [](const KpiSpec& k) { return k.id == "health_score"; });
  ASSERT_NE(health, spec->kpis.end());
  EXPECT_EQ(health->metric, "health_score");
  EXPECT_FALSE(health->period.has_value());
  EXPECT_EQ(health->at_risk, 10);
  EXPECT_THAT(health->tables, ::testing::ElementsAre("bands"));
  ASSERT_NE(spec->File(health->file), nullptr);
  EXPECT_EQ(spec->File(health->file)->path, "health_signals.csv");
}

TEST(ParseSpec, ReadsEveryPartOfAKpi) {
  absl::StatusOr<Spec> spec = ParseSpec(kMinimal, "s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status();
  ASSERT_TRUE(spec->window_start.has_value());
  EXPECT_EQ(absl::ToUnixSeconds(*spec->window_end), 1719792000);
  ASSERT_EQ(spec->kpis.size(), 1u);
  const KpiSpec& kpi = spec->kpis[0];
  EXPECT_EQ(kpi.title, "nps");  // the id when there is no title
  ASSERT_EQ(kpi.inputs.size(), 1u);
  EXPECT_EQ(kpi.inputs[0].first, "scores");
  EXPECT_EQ(kpi.inputs[0].second, "score");
  EXPECT_EQ(kpi.parameters.at("confidence_level").double_value(), 0.9);
  ASSERT_TRUE(kpi.period.has_value());
  EXPECT_EQ(kpi.period->filter, "time");
  ASSERT_TRUE(kpi.target.has_value());
  EXPECT_EQ(kpi.target->kind, TargetKind::kAtLeast);
  EXPECT_EQ(kpi.target->value, 40);
  const ColumnSpec* score = spec->File("answers")->Column("score");
  ASSERT_NE(score, nullptr);
  EXPECT_EQ(score->type, ColumnType::kDouble);
  EXPECT_EQ(*score->max, 10);
}

// Each mistake, made in kMinimal by replacing `from` with `to`, and the
// start of the error it gives.
TEST(ParseSpec, ErrorsNameTheKey) {
  const struct {
    const char* from;
    const char* to;
    const char* error;
  } cases[] = {
      {"at_least = 40", "belo = 3",
       "s.toml: kpi[0].target.belo: unknown key; expected one of: below"},
      {"metric = \"nps\"", "metrc = \"nps\"",
       "s.toml: kpi[0].metrc: unknown key"},
      {"file = \"answers\"", "file = \"answer\"",
       "s.toml: kpi[0].file: no file 'answer' under [files]"},
      {"{ scores = \"score\" }", "{ scores = \"scor\" }",
       "s.toml: kpi[0].inputs.scores: file 'answers' declares no column "
       "'scor'"},
      {"\"timestamp\"", "\"timestamps\"",
       "s.toml: files.answers.columns.time: 'timestamps' is not one of"},
      {"group_by = [\"channel\"]", "group_by = [\"region\"]",
       "s.toml: kpi[0].group_by: file 'answers' declares no column 'region'"},
      {"filter = \"time\"", "filter = \"score\"",
       "s.toml: kpi[0].period.filter: 'score' is not a timestamp column"},
      {"every = \"month\"", "every = \"year\"",
       "s.toml: periods.every: 'year' is not one of: month, week"},
      {"last = 3", "last = 0", "s.toml: periods.last: expected a whole number"},
      {"filter = \"time\"", "start_parameter = \"a\", lookahead_days = 9",
       "s.toml: kpi[0].period.lookahead_days: needs a filter column"},
      {"end = \"2024-07-01\"", "end = \"July\"",
       "s.toml: window.end: not an ISO 8601 date or time"},
      {"min = 0,", "min = \"zero\",",
       "s.toml: files.answers.columns.score.min: expected a number"},
      {"[[kpi]]", "[[kpis]]", "s.toml: kpis: unknown key"},
      {"filter = \"time\"", "filter = \"time\", active = [\"time\"]",
       "s.toml: kpi[0].period.active: expected [START_COLUMN, END_COLUMN]"},
      {"filter = \"time\"",
       "filter = \"time\", active = [\"time\", "
       "\"score\"]",
       "s.toml: kpi[0].period.active: 'score' is not a timestamp column"},
      {"filter = \"time\"", "filter = \"time\", history = true",
       "s.toml: kpi[0].period.history: needs active"},
      {"filter = \"time\"", "filter = \"time\", latest = 1",
       "s.toml: kpi[0].period.latest: expected true or false"},
      {"path = \"answers.csv\"", "path = \"answers.csv\"\nmax_open_calls = 0",
       "s.toml: files.answers.max_open_calls: expected a whole number"},
      {"target = ", "tables = \"cells\"\ntarget = ", "s.toml: kpi[0].tables"},
      {"target = ", "at_risk = 5\ntarget = ",
       "s.toml: kpi[0].at_risk: is for KPIs of metric health_score"},
      {"target = ", "at_risk = -1\ntarget = ",
       "s.toml: kpi[0].at_risk: expected a whole number of customers"},
      {"target = ", "at_risk = \"ten\"\ntarget = ",
       "s.toml: kpi[0].at_risk: expected a whole number of customers"},
  };
  for (const auto& c : cases) {
    std::string text = kMinimal;
    const size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, std::string(c.from).size(), c.to);
    absl::StatusOr<Spec> spec = ParseSpec(text, "s.toml");
    ASSERT_FALSE(spec.ok()) << c.to;
    EXPECT_THAT(spec.status().message(), HasSubstr(c.error)) << c.to;
  }
}

// The keys that bound what a call holds in the server: rows active in the
// period (and its history), one snapshot call, the tables kept, the calls
// open at once on a file.
TEST(ParseSpec, ReadsTheKeysThatBoundTheServersMemory) {
  std::string text = kMinimal;
  text.replace(text.find("time = \"timestamp\""),
               std::string("time = \"timestamp\"").size(),
               "time = \"timestamp\"\nuntil = \"timestamp\"");
  text.replace(text.find("path = \"answers.csv\""),
               std::string("path = \"answers.csv\"").size(),
               "path = \"answers.csv\"\nmax_open_calls = 4");
  text.replace(text.find("period = { filter = \"time\" }"),
               std::string("period = { filter = \"time\" }").size(),
               "period = { filter = \"time\", active = [\"time\", \"until\"], "
               "history = true, latest = true }\ntables = [\"segments\"]");
  absl::StatusOr<Spec> spec = ParseSpec(text, "s.toml");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->File("answers")->max_open_calls, 4);
  const KpiSpec& kpi = spec->kpis[0];
  ASSERT_TRUE(kpi.period.has_value());
  EXPECT_EQ(kpi.period->active_start, "time");
  EXPECT_EQ(kpi.period->active_end, "until");
  EXPECT_TRUE(kpi.period->history);
  EXPECT_TRUE(kpi.period->latest);
  EXPECT_THAT(kpi.tables, ::testing::ElementsAre("segments"));
  // Without them: one pass, every row, every period, every table.
  absl::StatusOr<Spec> plain = ParseSpec(kMinimal, "s.toml");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->File("answers")->max_open_calls, 0);
  EXPECT_TRUE(plain->kpis[0].period->active_start.empty());
  EXPECT_FALSE(plain->kpis[0].period->latest);
  EXPECT_TRUE(plain->kpis[0].tables.empty());
}

constexpr char kHealth[] = R"(
[window]
start = 2024-01-01T00:00:00Z
end = 2024-07-01T00:00:00Z

[files.health]
[files.health.columns]
customer = "key"
signal = "string"
value = "double"

[[kpi]]
id = "health"
metric = "health_score"
file = "health"
inputs = { customer = "customer", signal = "signal", value = "value" }
parameters = { signals = "usage:1:higher" }
)";

// A health_score KPI over all customers lists the 10 most at risk unless
// told otherwise; the list needs that one call, so not with a period.
TEST(ParseSpec, AtRiskDefaultsToTenForAHealthScoreWithoutAPeriod) {
  absl::StatusOr<Spec> spec = ParseSpec(kHealth, "h.toml");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->kpis[0].at_risk, 10);
  absl::StatusOr<Spec> three =
      ParseSpec(absl::StrCat(kHealth, "at_risk = 3\n"), "h.toml");
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_EQ(three->kpis[0].at_risk, 3);
  absl::StatusOr<Spec> none =
      ParseSpec(absl::StrCat(kHealth, "at_risk = 0\n"), "h.toml");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->kpis[0].at_risk, 0);

  std::string periodic = kHealth;
  periodic.replace(periodic.find("value = \"double\""), 16,
                   "value = \"double\"\ntime = \"timestamp\"");
  absl::StatusOr<Spec> monthly = ParseSpec(
      absl::StrCat(periodic, "period = { filter = \"time\" }\n"), "h.toml");
  ASSERT_TRUE(monthly.ok()) << monthly.status();
  EXPECT_EQ(monthly->kpis[0].at_risk, 0);
  absl::StatusOr<Spec> bad = ParseSpec(
      absl::StrCat(periodic, "period = { filter = \"time\" }\nat_risk = 5\n"),
      "h.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(),
              HasSubstr("h.toml: kpi[0].at_risk: needs a KPI without a "
                        "period"));
}

TEST(ParseSpec, APeriodParameterCannotAlsoBeSetByHand) {
  std::string text = kMinimal;
  text.replace(text.find("period = { filter = \"time\" }"),
               std::string("period = { filter = \"time\" }").size(),
               "period = { at_parameter = \"confidence_level\" }");
  absl::StatusOr<Spec> spec = ParseSpec(text, "s.toml");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(),
              HasSubstr("kpi[0].parameters.confidence_level: is set by the "
                        "period"));
}

TEST(ParseSpec, ASyntaxErrorGivesItsLine) {
  absl::StatusOr<Spec> spec = ParseSpec("[files\nx = 1\n", "bad.toml");
  ASSERT_FALSE(spec.ok());
  EXPECT_THAT(spec.status().message(), HasSubstr("bad.toml line 1 column"));
}

}  // namespace
}  // namespace kpi::report
