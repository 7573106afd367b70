// The SVG pieces of report.html: what each draws for given numbers, and
// that text from the data cannot break the page.

#include "html_charts.h"

#include <cmath>
#include <regex>
#include <string>
#include <tuple>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kpi::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

KpiPeriodResult Result(const std::string& label, double value,
                       bool partial = false) {
  KpiPeriodResult r;
  r.period.label = label;
  r.period.partial = partial;
  r.result.set_value(value);
  r.result.set_unit("%");
  return r;
}

int Count(const std::string& text, const std::string& part) {
  int n = 0;
  for (size_t at = text.find(part); at != std::string::npos;
       at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

TEST(HtmlEscape, EscapesWhatCouldEndAnElementOrAttribute) {
  EXPECT_EQ(HtmlEscape("<b a=\"x\">&</b>"),
            "&lt;b a=&quot;x&quot;&gt;&amp;&lt;/b&gt;");
}

TEST(TrendSvg, ACompleteSeriesIsOneSolidLineWithFilledPoints) {
  KpiSpec kpi;
  kpi.title = "Churn";
  const std::string svg = TrendSvg(
      {&kpi,
       {Result("2025-01", 3), Result("2025-02", 4), Result("2025-03", 5)}});
  EXPECT_EQ(Count(svg, "<polyline"), 1);
  EXPECT_EQ(Count(svg, "<circle"), 3);
  EXPECT_THAT(svg, Not(HasSubstr("estimate")));
}

TEST(TrendSvg, APartialLastPeriodIsDashedHollowAndLabelledAnEstimate) {
  KpiSpec kpi;
  kpi.title = "Churn";
  // x = 6 + 248 i / 2; the value range 3 .. 5 maps to y = 74 .. 6.
  const std::string svg = TrendSvg({&kpi,
                                    {Result("2025-01", 3), Result("2025-02", 4),
                                     Result("2025-03", 5, /*partial=*/true)}});
  EXPECT_THAT(svg, HasSubstr("points=\"6.0,74.0 130.0,40.0\""));
  EXPECT_EQ(Count(svg, "<line class=\"estimate\""), 1);
  EXPECT_THAT(svg, HasSubstr("x1=\"130.0\" y1=\"40.0\" x2=\"254.0\" "
                             "y2=\"6.0\""));
  EXPECT_THAT(svg, HasSubstr(">estimate</text>"));
  EXPECT_THAT(svg,
              HasSubstr("cx=\"254.0\" cy=\"6.0\" r=\"2.5\" fill=\"#fff\""));
  EXPECT_THAT(svg, HasSubstr("hollow: partial period (an estimate)"));
}

TEST(TrendSvg, EscapesTitlesAndLabels) {
  KpiSpec kpi;
  kpi.title = "<script>";
  const std::string svg =
      TrendSvg({&kpi, {Result("a&b", 1), Result("\"c\"", 2)}});
  EXPECT_THAT(svg, Not(HasSubstr("<script>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(svg, HasSubstr("a&amp;b"));
  EXPECT_THAT(svg, HasSubstr("&quot;c&quot;"));
}

TEST(TrendSvg, NothingToDrawWithOnePeriod) {
  KpiSpec kpi;
  EXPECT_EQ(TrendSvg({&kpi, {Result("2025-01", 3)}}), "");
}

TEST(GoalBarSvg, FillsTheShareOfTheWayAndSaysItInWords) {
  GoalProgress goal;
  goal.start_period = "2025-01";
  goal.start = 5;
  goal.current_period = "<2025-03>";
  goal.current = 4;
  goal.current_partial = true;
  goal.target = 3;
  goal.percent = 50;
  const std::string svg = GoalBarSvg(goal, "%");
  // Half of the 260-wide bar.
  EXPECT_THAT(svg, HasSubstr("class=\"progress\" x=\"0\" y=\"0\" "
                             "width=\"130.0\""));
  EXPECT_THAT(svg, HasSubstr("start 5 % (2025-01), now 4 % (&lt;2025-03&gt;, "
                             "an estimate), target 3 %: 50% of the way"));
}

struct Bar {
  std::string kind;
  double y, height;
};

// The bars of an MRR movements chart, in drawing order.
std::vector<Bar> Bars(const std::string& svg) {
  static const std::regex kBar(
      "<rect class=\"mv-(\\w+)\" x=\"[0-9.]+\" y=\"([0-9.]+)\" "
      "width=\"[0-9.]+\" height=\"([0-9.]+)\"");
  std::vector<Bar> bars;
  for (std::sregex_iterator it(svg.begin(), svg.end(), kBar), end; it != end;
       ++it) {
    bars.push_back({(*it)[1], std::stod((*it)[2]), std::stod((*it)[3])});
  }
  return bars;
}

TEST(MrrMovementsSvg, GainsStackAboveTheAxisAndLossesBelowToTheirValues) {
  MrrMovements m;
  m.period = "2025-06";
  m.new_mrr = 60;
  m.expansion = 30;
  m.reactivation = 10;
  m.contraction = 20;
  m.churn = 30;
  const std::string svg = MrrMovementsSvg({m}, "MRR movements");
  // Largest gain 100 + largest loss 50 over the 180-px plot: 1.2 px each;
  // the axis at 10 + 100 × 1.2 = 130.
  const std::vector<Bar> bars = Bars(svg);
  ASSERT_EQ(bars.size(), 5u);
  double up = 0, down = 0, top = 130, bottom = 130;
  for (const Bar& bar : bars) {
    if (bar.kind == "new" || bar.kind == "expansion" ||
        bar.kind == "reactivation") {
      EXPECT_NEAR(bar.y + bar.height, top, 0.11) << bar.kind;
      top = bar.y;
      up += bar.height;
    } else {
      EXPECT_NEAR(bar.y, bottom, 0.11) << bar.kind;
      bottom = bar.y + bar.height;
      down += bar.height;
    }
  }
  EXPECT_NEAR(up, 100 * 1.2, 0.2);
  EXPECT_NEAR(down, 50 * 1.2, 0.2);
  EXPECT_NEAR(bars[0].height, 60 * 1.2, 0.05);  // new
  EXPECT_NEAR(bars[4].height, 30 * 1.2, 0.05);  // churn, the bottom
  EXPECT_THAT(svg, HasSubstr(">QR 2</text>"));
}

TEST(MrrMovementsSvg, SaysTheQuickRatioIsUndefinedAndEscapesLabels) {
  MrrMovements m;
  m.period = "<b>";
  m.new_mrr = 5;
  const std::string svg = MrrMovementsSvg({m}, "A & B");
  EXPECT_THAT(svg, HasSubstr(">QR undefined</text>"));
  EXPECT_THAT(svg, HasSubstr("&lt;b&gt;"));
  EXPECT_THAT(svg, HasSubstr("A &amp; B"));
  EXPECT_THAT(svg, Not(HasSubstr("<b>")));
  EXPECT_EQ(MrrMovementsSvg({MrrMovements{}}, "nothing moved"), "");
}

TEST(FunnelSvg, EachStageIsABarOnTheFirstStagesScaleWithEscapedNames) {
  kpi::v1::ResultTable table;
  table.set_name("stages");
  auto* stage = table.add_columns();
  stage->set_name("stage");
  auto* entrants = table.add_columns();
  entrants->set_name("entrants");
  auto* step = table.add_columns();
  step->set_name("step_conversion");
  auto* overall = table.add_columns();
  overall->set_name("overall_conversion");
  // 200 visit, 50 <trial>: 25 % of the first stage.
  for (const auto& [name, n, s, o] :
       {std::tuple{"visit", 200, 100.0, 100.0}, {"<trial>", 50, 25.0, 25.0}}) {
    stage->mutable_strings()->add_values(name);
    entrants->mutable_int64s()->add_values(n);
    step->mutable_doubles()->add_values(s);
    overall->mutable_doubles()->add_values(o);
  }
  const std::string svg = FunnelSvg(table);
  // The first stage fills the 560-wide track, the second a quarter of it.
  EXPECT_EQ(Count(svg, "<rect class=\"stage\""), 2);
  EXPECT_THAT(svg, HasSubstr("y=\"3\" width=\"560.0\""));
  EXPECT_THAT(svg, HasSubstr("y=\"29\" width=\"140.0\""));
  EXPECT_THAT(svg, HasSubstr("50: 25% overall, 25% of the step before"));
  EXPECT_THAT(svg, HasSubstr("&lt;trial&gt;"));
  EXPECT_THAT(svg, Not(HasSubstr("<trial>")));
  EXPECT_EQ(FunnelSvg(kpi::v1::ResultTable{}), "");
}

TEST(CohortHeatmapSvg, HasACellPerCohortCellShadedByRetention) {
  kpi::v1::ResultTable table;
  table.set_name("cells");
  auto* cohort = table.add_columns();
  cohort->set_name("cohort");
  auto* period = table.add_columns();
  period->set_name("period");
  auto* size = table.add_columns();
  size->set_name("size");
  auto* active = table.add_columns();
  active->set_name("active");
  auto* retention = table.add_columns();
  retention->set_name("retention");
  // Cohort "<a>" of 4 over periods 0 and 1 (4, then 2 active); cohort "b"
  // of 2 over period 0.
  for (const auto& [c, p, n, a] :
       {std::tuple{"<a>", 0, 4, 4}, {"<a>", 1, 4, 2}, {"b", 0, 2, 2}}) {
    cohort->mutable_strings()->add_values(c);
    period->mutable_int64s()->add_values(p);
    size->mutable_int64s()->add_values(n);
    active->mutable_int64s()->add_values(a);
    retention->mutable_doubles()->add_values(100.0 * a / n);
  }
  const std::string svg = CohortHeatmapSvg(table);
  EXPECT_EQ(Count(svg, "<rect class=\"cell\""), 3);
  // Two periods over the 1030 px right of the labels: 515 each; rows of 16
  // under a 16-px header.
  EXPECT_THAT(svg, HasSubstr("x=\"585.0\" y=\"16\" width=\"515.0\" "
                             "height=\"16\" fill=\"#2f6fde\" "
                             "fill-opacity=\"0.54\""));
  EXPECT_THAT(svg, HasSubstr("x=\"70.0\" y=\"32\" width=\"515.0\" "
                             "height=\"16\" fill=\"#2f6fde\" "
                             "fill-opacity=\"1.00\""));
  EXPECT_THAT(svg, HasSubstr("<title>&lt;a&gt;, period 1: 50% (2 of 4)"));
  EXPECT_THAT(svg, Not(HasSubstr("<a>")));
  EXPECT_EQ(CohortHeatmapSvg(kpi::v1::ResultTable{}), "");
}

// A period whose result has the segments `values` (name → value; NaN for
// undefined).
KpiPeriodResult WithSegments(
    const std::string& label,
    const std::vector<std::pair<std::string, double>>& values) {
  KpiPeriodResult r = Result(label, 0);
  for (const auto& [name, value] : values) {
    kpi::v1::SegmentResult* segment = r.result.add_segments();
    segment->add_key(name);
    if (value == value) segment->mutable_result()->set_value(value);
  }
  return r;
}

TEST(SegmentLinesSvg, ALinePerSegmentWithGapsAndEscapedNames) {
  KpiSpec kpi;
  kpi.title = "Churn";
  const double undefined = std::nan("");
  const std::string svg = SegmentLinesSvg(
      {&kpi,
       {WithSegments("2025-01", {{"europe", 3}, {"<asia>", 4}}),
        WithSegments("2025-02", {{"europe", 2}, {"<asia>", undefined}}),
        WithSegments("2025-03", {{"europe", 5}, {"<asia>", 6}})}});
  // europe: one line through 3 points; <asia>: a gap, so two one-point runs.
  EXPECT_EQ(Count(svg, "<polyline class=\"segment\""), 3);
  EXPECT_EQ(Count(svg, "<circle"), 5);
  EXPECT_THAT(svg, HasSubstr(">&lt;asia&gt;</text>"));
  EXPECT_THAT(svg, Not(HasSubstr("<asia>")));
  EXPECT_EQ(SegmentLinesSvg({&kpi, {Result("2025-01", 1), Result("b", 2)}}),
            "");
}

TEST(GroupSizesSvg, ABarPerGroupOnTheLargestsScaleWithItsShare) {
  // rfm's "segments" table (docs/metrics.md): segment, customers.
  kpi::v1::ResultTable table;
  table.set_name("segments");
  kpi::v1::Column* segment = table.add_columns();
  segment->set_name("segment");
  kpi::v1::Column* customers = table.add_columns();
  customers->set_name("customers");
  for (const auto& [name, n] : std::vector<std::pair<std::string, int64_t>>{
           {"champions", 30}, {"<lost>", 10}, {"others", 60}}) {
    segment->mutable_strings()->add_values(name);
    customers->mutable_int64s()->add_values(n);
  }
  const std::string svg = GroupSizesSvg(table);
  EXPECT_EQ(Count(svg, "<rect class=\"group\""), 3);
  // The largest group (60) is the full 700-unit bar; 30 is half of it.
  EXPECT_THAT(svg, HasSubstr("width=\"700.0\""));
  EXPECT_THAT(svg, HasSubstr("width=\"350.0\""));
  EXPECT_THAT(svg, HasSubstr("30 (30%)"));
  EXPECT_THAT(svg, HasSubstr("&lt;lost&gt;"));
  EXPECT_THAT(svg, HasSubstr("100 customers"));
  customers->mutable_int64s()->Clear();
  for (int i = 0; i < 3; ++i) customers->mutable_int64s()->add_values(0);
  EXPECT_EQ(GroupSizesSvg(table), "");
}

TEST(GroupSizesSvg, HealthBandsAreBarsColouredFromRedToGreen) {
  // health_score's "bands" table: band, customers, in ascending order of
  // score.
  kpi::v1::ResultTable table;
  table.set_name("bands");
  kpi::v1::Column* band = table.add_columns();
  band->set_name("band");
  kpi::v1::Column* customers = table.add_columns();
  customers->set_name("customers");
  for (const auto& [name, n] : std::vector<std::pair<std::string, int64_t>>{
           {"red", 25}, {"yellow", 50}, {"green", 25}}) {
    band->mutable_strings()->add_values(name);
    customers->mutable_int64s()->add_values(n);
  }
  const std::string svg = GroupSizesSvg(table);
  EXPECT_EQ(Count(svg, "<rect class=\"group\""), 3);
  EXPECT_THAT(svg, HasSubstr(">red</text><rect class=\"group\" x=\"160\" "
                             "y=\"3\" width=\"350.0\" height=\"18\" "
                             "fill=\"#d64545\"/>"));
  EXPECT_THAT(svg, HasSubstr("width=\"700.0\" height=\"18\" "
                             "fill=\"#e8a33d\"/>"));
  EXPECT_THAT(svg, HasSubstr("fill=\"#3ebd5d\"/><text x=\"516.0\" "
                             "y=\"64\" font-size=\"12\">25 (25%)</text>"));
  EXPECT_THAT(svg, HasSubstr("100 customers; each bar a band's customers"));
}

TEST(BandColor, RunsFromRedThroughAmberToGreen) {
  EXPECT_EQ(BandColor(0, 3), "#d64545");
  EXPECT_EQ(BandColor(1, 3), "#e8a33d");
  EXPECT_EQ(BandColor(2, 3), "#3ebd5d");
  EXPECT_EQ(BandColor(0, 2), "#d64545");
  EXPECT_EQ(BandColor(1, 2), "#3ebd5d");
  EXPECT_EQ(BandColor(0, 1), "#3ebd5d");
  // Between the stops: halfway from red to amber.
  EXPECT_EQ(BandColor(1, 5), "#df7441");
}

TEST(RetentionCurveSvg, APointPerPeriodOnAZeroToHundredScale) {
  // y = 12 + 176 (100 - v) / 100: 100 % at 12, 50 % at 100.
  const std::string svg =
      RetentionCurveSvg({{0, 2, 100, 100}, {1, 2, 100, 50}, {2, 1, 40, 20}});
  EXPECT_EQ(Count(svg, "<circle class=\"point\""), 3);
  EXPECT_THAT(svg, HasSubstr("cy=\"12.0\""));
  EXPECT_THAT(svg, HasSubstr("cy=\"100.0\""));
  EXPECT_THAT(svg, HasSubstr("period 2: 50% (20 of 40 customers, 1 cohorts)"));
  EXPECT_EQ(RetentionCurveSvg({{0, 1, 10, 10}}), "");
}

TEST(IntervalTrendSvg, AWhiskerPerPeriodWithAnIntervalAndTheLatestInWords) {
  KpiSpec kpi;
  kpi.title = "NPS <all>";
  auto nps = [](const std::string& label, double v, double lo, double hi,
                bool partial) {
    KpiPeriodResult r = Result(label, v, partial);
    r.result.set_sample_size(200);
    r.result.mutable_interval()->set_lower(lo);
    r.result.mutable_interval()->set_upper(hi);
    r.result.mutable_interval()->set_confidence_level(0.95);
    return r;
  };
  KpiPeriodResult undefined;
  undefined.period.label = "2025-02";
  const std::string svg =
      IntervalTrendSvg({&kpi,
                        {nps("2025-01", 30, 20, 40, false), undefined,
                         nps("2025-03", 35, 25, 45, true)}});
  EXPECT_EQ(Count(svg, "class=\"whisker\""), 2);
  EXPECT_THAT(svg, HasSubstr("2025-01: 30 (20 to 40)"));
  EXPECT_THAT(svg, HasSubstr("NPS &lt;all&gt;"));
  EXPECT_THAT(svg, HasSubstr("95% interval; 2025-03: 35 (25 to 45, 200 "
                             "responses); hollow: partial period"));
  // One period with an interval is not a trend.
  EXPECT_EQ(IntervalTrendSvg({&kpi, {nps("2025-01", 30, 20, 40, false)}}), "");
}

}  // namespace
}  // namespace kpi::report
