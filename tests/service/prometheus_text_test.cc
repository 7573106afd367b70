// The text exposition format's escaping and number spelling, as
// https://prometheus.io/docs/instrumenting/exposition_formats/ gives them.
#include "prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kpi {
namespace {

TEST(PrometheusTextTest, LabelValuesEscapeBackslashQuoteAndLineFeed) {
  EXPECT_EQ(EscapeLabelValue("plain_name"), "plain_name");
  EXPECT_EQ(EscapeLabelValue(R"(C:\DIR\FILE.TXT)"), R"(C:\\DIR\\FILE.TXT)");
  EXPECT_EQ(EscapeLabelValue("say \"hi\"\nbye"), R"(say \"hi\"\nbye)");
  // UTF-8 and other bytes pass through.
  EXPECT_EQ(EscapeLabelValue("caf\xc3\xa9\t"), "caf\xc3\xa9\t");
}

TEST(PrometheusTextTest, HelpEscapesBackslashAndLineFeedButNotQuotes) {
  EXPECT_EQ(EscapeHelp("a \"b\" \\ c\nd"), R"(a "b" \\ c\nd)");
}

TEST(PrometheusTextTest, FamilyHeaderAndSamples) {
  std::string out;
  AppendFamilyHeader(&out, "kpi_x_total", "counter", "Things.\nMore.");
  AppendSample(&out, "kpi_x_total", {}, uint64_t{18446744073709551615u});
  AppendSample(&out, "kpi_x_total", {{"a", "1"}, {"b", "q\"uote"}},
               int64_t{-3});
  AppendSample(&out, "kpi_x_total", {{"le", "+Inf"}}, 0.25);
  EXPECT_EQ(out,
            "# HELP kpi_x_total Things.\\nMore.\n"
            "# TYPE kpi_x_total counter\n"
            "kpi_x_total 18446744073709551615\n"
            "kpi_x_total{a=\"1\",b=\"q\\\"uote\"} -3\n"
            "kpi_x_total{le=\"+Inf\"} 0.25\n");
}

TEST(PrometheusTextTest, DoublesReadBackExactly) {
  EXPECT_EQ(FormatPrometheusDouble(0.00005), "5e-05");
  EXPECT_EQ(FormatPrometheusDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatPrometheusDouble(0.00025), "0.00025");
  EXPECT_EQ(FormatPrometheusDouble(1e20), "1e+20");
  // As Go's strconv.FormatFloat(v, 'g', -1, 64), which Prometheus uses.
  EXPECT_EQ(FormatPrometheusDouble(1733140000.53), "1.73314000053e+09");
  EXPECT_EQ(FormatPrometheusDouble(123456), "123456");
  EXPECT_EQ(FormatPrometheusDouble(60), "60");
  EXPECT_EQ(FormatPrometheusDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatPrometheusDouble(std::numeric_limits<double>::infinity()),
            "+Inf");
  EXPECT_EQ(FormatPrometheusDouble(-std::numeric_limits<double>::infinity()),
            "-Inf");
  EXPECT_EQ(FormatPrometheusDouble(std::nan("")), "NaN");
}

}  // namespace
}  // namespace kpi
