// A local HTML page rendered in headless Chromium (Debian's `chromium`),
// through its command line only: a PNG screenshot, the DOM after load with
// a probe script's findings, and the console messages Chromium logs.
//
// The report has no scripts, so the page is probed through a copy with one
// appended: it measures the layout in the browser and writes what it found
// into the DOM as JSON, which --dump-dom prints. The page itself is loaded
// unmodified for the screenshot and the console check.

#ifndef KPI_TESTS_REPORT_CHROMIUM_PAGE_H_
#define KPI_TESTS_REPORT_CHROMIUM_PAGE_H_

#include <optional>
#include <string>
#include <vector>

namespace kpi::report::testing {

// $KPI_CHROMIUM when set, else /usr/bin/chromium when it is executable;
// nothing when there is no browser (the tests then skip, saying so).
std::optional<std::string> FindChromium();

struct PageRun {
  int exit_code = -1;
  std::string dom;  // with --dump-dom
  // Every console message the page produced (errors, warnings, logs, and
  // the resource loads that failed), one per entry.
  std::vector<std::string> console;
  std::string log;  // Chromium's whole stderr, for failure messages
};

class ChromiumPage {
 public:
  // `scratch` is a directory for the browser profile and the probe copy.
  ChromiumPage(std::string chromium, std::string scratch)
      : chromium_(std::move(chromium)), scratch_(std::move(scratch)) {}

  // Loads `html_file` in a `width` x `height` window and prints its DOM.
  PageRun Load(const std::string& html_file, int width, int height) const;
  // Loads `html_file` and writes the window to `png_file`.
  PageRun Screenshot(const std::string& html_file, int width, int height,
                     const std::string& png_file) const;
  // Loads a copy of `html_file` with `script` appended before </body> and
  // returns the text the script put in <pre id="probe">, or the run's
  // error as text starting with "error: ".
  std::string Probe(const std::string& html_file, const std::string& script,
                    int width, int height) const;

 private:
  PageRun Run(std::vector<std::string> flags, const std::string& html_file,
              int width, int height) const;

  std::string chromium_;
  std::string scratch_;
};

// The width and height in a PNG file's header, or nothing when the file is
// not a PNG.
std::optional<std::pair<int, int>> PngSize(const std::string& png_file);

}  // namespace kpi::report::testing

#endif  // KPI_TESTS_REPORT_CHROMIUM_PAGE_H_
