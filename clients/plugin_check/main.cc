// kpi-plugin: tools for plugin authors.
//
//   kpi-plugin check FILE.so [--json]
//
// loads FILE.so exactly as kpi-server does (PluginLibrary::Load) and runs the
// conformance checks the server runs at load (service/conformance.h). Exit
// status: 0 when no check failed, 1 when one did, 2 on a usage error, 3 when
// the file does not load (the reason is printed).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "conformance.h"
#include "plugin_library.h"

namespace {

constexpr char kUsage[] =
    "Usage: kpi-plugin check FILE.so [--json]\n"
    "\n"
    "Loads a metric plugin the way kpi-server does and runs the conformance\n"
    "checks the server runs before a plugin serves:\n"
    "  descriptor is well-formed         the schema the plugin declares\n"
    "  empty state finalizes             a value or an undefined reason "
    "with no rows\n"
    "  chunking does not change results  generated rows in 1 vs. 3 chunks\n"
    "  merge is associative              (A+B)+C, A+(B+C) and one state "
    "agree\n"
    "  declared examples pass            the descriptor's examples give their\n"
    "                                    expected results\n"
    "\n"
    "Prints one line per check (PASS, FAIL or SKIP, the metric, the check\n"
    "and what was seen) and a summary; --json prints one JSON object instead.\n"
    "A plugin that crashes in a check crashes this tool too: that is the\n"
    "answer (the server would have crashed as well).\n"
    "\n"
    "Exit status: 0 nothing failed, 1 a check failed, 2 usage error,\n"
    "3 the file does not load.\n";

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

int Usage(absl::string_view problem) {
  std::cerr << "kpi-plugin: " << problem << "\n\n" << kUsage;
  return 2;
}

int Check(std::string path, bool json) {
  // dlopen searches the library path for a bare file name; the user means
  // the file in this directory.
  if (path.find('/') == std::string::npos) path = "./" + path;
  auto library = kpi::PluginLibrary::Load(path);
  if (!library.ok()) {
    if (json) {
      std::cout << "{\"file\": " << JsonString(path)
                << ", \"loaded\": false, \"reason\": "
                << JsonString(library.status().message())
                << ", \"passed\": false}\n";
    } else {
      std::cerr << "kpi-plugin: cannot load " << path << ": "
                << library.status().message() << "\n";
    }
    return 3;
  }
  const kpi::ConformanceReport report = kpi::CheckConformance(*library);
  const kpi_plugin_descriptor& plugin = (*library)->descriptor();
  const int passed = report.count(kpi::CheckOutcome::kPass);
  const int failed = report.count(kpi::CheckOutcome::kFail);
  const int skipped = report.count(kpi::CheckOutcome::kSkip);
  if (json) {
    std::cout << "{\"file\": " << JsonString(path)
              << ", \"loaded\": true, \"plugin\": " << JsonString(plugin.name)
              << ", \"version\": " << JsonString(plugin.version)
              << ", \"passed\": " << (failed == 0 ? "true" : "false")
              << ", \"summary\": {\"pass\": " << passed
              << ", \"fail\": " << failed << ", \"skip\": " << skipped
              << "}, \"checks\": [";
    for (size_t i = 0; i < report.results.size(); ++i) {
      const kpi::CheckResult& r = report.results[i];
      std::cout << (i ? ", " : "")
                << "{\"outcome\": " << JsonString(kpi::OutcomeName(r.outcome))
                << ", \"metric\": " << JsonString(r.metric)
                << ", \"check\": " << JsonString(r.check)
                << ", \"detail\": " << JsonString(r.detail) << "}";
    }
    std::cout << "]}\n";
  } else {
    for (const kpi::CheckResult& r : report.results) {
      std::cout << kpi::OutcomeName(r.outcome) << "  "
                << (r.metric.empty() ? std::string("(plugin)") : r.metric)
                << "  " << r.check << ": " << r.detail << "\n";
    }
    std::cout << (failed == 0 ? "ok" : "FAILED") << ": plugin " << plugin.name
              << " " << plugin.version << " (" << path << "): " << passed
              << " passed, " << failed << " failed, " << skipped
              << " skipped\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
  }
  if (args.empty()) return Usage("missing command");
  if (args[0] != "check") {
    return Usage(absl::StrCat("unknown command '", args[0], "'"));
  }
  bool json = false;
  std::string file;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (!args[i].empty() && args[i][0] == '-') {
      return Usage(absl::StrCat("unknown flag '", args[i], "'"));
    } else if (file.empty()) {
      file = args[i];
    } else {
      return Usage("check takes one plugin file");
    }
  }
  if (file.empty()) return Usage("check needs a plugin file");
  return Check(file, json);
}
