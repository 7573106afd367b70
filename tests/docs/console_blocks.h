// The ```console blocks of a Markdown document: shell sessions shown with
// their output, which a test can replay and compare; and the text of the
// other fenced blocks (a file the sessions use).
//
// In a block, a line starting with "$ " is a command; it goes on over the
// lines that follow while its last line ends with a backslash or a single
// quote is left open (buf curl -d '{...}' over several lines). Every other
// line is output of the command above it, to its last line.
#ifndef KPI_TESTS_DOCS_CONSOLE_BLOCKS_H_
#define KPI_TESTS_DOCS_CONSOLE_BLOCKS_H_

#include <string>
#include <vector>

namespace kpi::testing {

struct ConsoleCommand {
  int line = 0;         // of the "$ " line, 1-based
  std::string command;  // without "$ ", its lines joined by '\n'
  int output_line = 0;  // of the first output line; 0 when it has none
  std::vector<std::string> output;
};

struct ConsoleBlock {
  int line = 0;  // of the ```console fence
  std::vector<ConsoleCommand> commands;
};

// The blocks of `markdown`, in order.
std::vector<ConsoleBlock> ConsoleBlocks(const std::string& markdown);

// The text of each ```<language> block of `markdown`, in order.
std::vector<std::string> FencedTexts(const std::string& markdown,
                                     const std::string& language);

}  // namespace kpi::testing

#endif  // KPI_TESTS_DOCS_CONSOLE_BLOCKS_H_
