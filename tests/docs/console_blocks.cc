#include "tests/docs/console_blocks.h"

#include <algorithm>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace kpi::testing {
namespace {

// Whether `command` goes on to the next line.
bool Continues(const std::string& command) {
  const bool open_quote = std::count(command.begin(), command.end(), '\'') % 2;
  return open_quote || absl::EndsWith(command, "\\");
}

}  // namespace

std::vector<ConsoleBlock> ConsoleBlocks(const std::string& markdown) {
  std::vector<ConsoleBlock> blocks;
  std::istringstream in(markdown);
  std::string text;
  bool in_block = false;
  bool continuing = false;
  for (int line = 1; std::getline(in, text); ++line) {
    if (!in_block) {
      if (text == "```console") {
        in_block = true;
        blocks.push_back({line, {}});
      }
      continue;
    }
    std::vector<ConsoleCommand>& commands = blocks.back().commands;
    if (continuing) {
      commands.back().command += "\n" + text;
      continuing = Continues(commands.back().command);
    } else if (absl::StartsWith(text, "```")) {
      in_block = false;
    } else if (absl::StartsWith(text, "$ ")) {
      commands.push_back({line, text.substr(2), 0, {}});
      continuing = Continues(commands.back().command);
    } else if (!commands.empty()) {
      if (commands.back().output.empty()) commands.back().output_line = line;
      commands.back().output.push_back(text);
    }
  }
  return blocks;
}

std::vector<std::string> FencedTexts(const std::string& markdown,
                                     const std::string& language) {
  std::vector<std::string> texts;
  std::istringstream in(markdown);
  std::string text;
  bool in_block = false;
  while (std::getline(in, text)) {
    if (!in_block) {
      in_block = text == "```" + language;
      if (in_block) texts.emplace_back();
    } else if (absl::StartsWith(text, "```")) {
      in_block = false;
    } else {
      absl::StrAppend(&texts.back(), text, "\n");
    }
  }
  return texts;
}

}  // namespace kpi::testing
