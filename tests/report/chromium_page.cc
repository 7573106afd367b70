#include "tests/report/chromium_page.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "tests/support/process.h"

namespace kpi::report::testing {
namespace {

// Chromium logs a console message as
//   [pid:tid:date/time:INFO:CONSOLE:LINE] "text", source: URL (LINE)
// at every level (errors too), with --enable-logging=stderr --v=0.
constexpr absl::string_view kConsoleTag = ":CONSOLE";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::optional<std::string> FindChromium() {
  if (const char* env = std::getenv("KPI_CHROMIUM"); env != nullptr && *env) {
    return std::string(env);
  }
  if (access("/usr/bin/chromium", X_OK) == 0) return "/usr/bin/chromium";
  return std::nullopt;
}

PageRun ChromiumPage::Run(std::vector<std::string> flags,
                          const std::string& html_file, int width,
                          int height) const {
  std::vector<std::string> argv = {
      chromium_, "--headless", "--disable-gpu", "--hide-scrollbars",
      // The tests run as root in CI containers, where the sandbox cannot
      // start; the page is our own file.
      "--no-sandbox", "--no-first-run", "--disable-extensions",
      absl::StrCat("--user-data-dir=", scratch_, "/profile"),
      absl::StrCat("--window-size=", width, ",", height),
      "--enable-logging=stderr", "--v=0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(absl::StrCat("file://", html_file));
  const kpi::testing::CommandResult result = kpi::testing::RunCommand(argv);
  PageRun run;
  run.exit_code = result.exit_code;
  run.dom = result.out;
  run.log = result.err;
  for (absl::string_view line : absl::StrSplit(result.err, '\n')) {
    if (absl::StrContains(line, kConsoleTag)) {
      run.console.emplace_back(line);
    }
  }
  return run;
}

PageRun ChromiumPage::Load(const std::string& html_file, int width,
                           int height) const {
  return Run({"--dump-dom"}, html_file, width, height);
}

PageRun ChromiumPage::Screenshot(const std::string& html_file, int width,
                                 int height,
                                 const std::string& png_file) const {
  return Run({absl::StrCat("--screenshot=", png_file)}, html_file, width,
             height);
}

std::string ChromiumPage::Probe(const std::string& html_file,
                                const std::string& script, int width,
                                int height) const {
  std::string html = ReadFile(html_file);
  const size_t body_end = html.rfind("</body>");
  if (body_end == std::string::npos) return "error: the page has no </body>";
  html.insert(body_end, absl::StrCat("<script>", script, "</script>"));
  const std::string copy = absl::StrCat(scratch_, "/probe.html");
  std::ofstream(copy, std::ios::binary) << html;
  const PageRun run = Load(copy, width, height);
  if (run.exit_code != 0) {
    return absl::StrCat("error: chromium exited with ", run.exit_code, ": ",
                        run.log);
  }
  const std::string open_tag = "<pre id=\"probe\">";
  const size_t start = run.dom.find(open_tag);
  const size_t end = run.dom.find("</pre>", start);
  if (start == std::string::npos || end == std::string::npos) {
    return absl::StrCat("error: the probe wrote nothing; console: ",
                        absl::StrJoin(run.console, "\n"));
  }
  return run.dom.substr(start + open_tag.size(), end - start - open_tag.size());
}

std::optional<std::pair<int, int>> PngSize(const std::string& png_file) {
  const std::string bytes = ReadFile(png_file);
  // The 8-byte signature, then the IHDR chunk: length, "IHDR", width and
  // height as big-endian 32-bit integers.
  if (bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 ||
      bytes.compare(12, 4, "IHDR") != 0) {
    return std::nullopt;
  }
  auto be32 = [&](size_t at) {
    int v = 0;
    for (size_t i = 0; i < 4; ++i) {
      v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    }
    return v;
  };
  return std::pair{be32(16), be32(20)};
}

}  // namespace kpi::report::testing
