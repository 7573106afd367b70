// The bounded fuzz run of the test command: a fuzz target's entry point
// (LLVMFuzzerTestOneInput) driven without libFuzzer, so the normal and
// sanitizer builds (g++) run it as an ordinary test.
//
// It runs every input of a corpus directory (the committed seeds and every
// input that ever crashed), then, for each, `--mutations` variants made by a
// seeded generator: bit flips, byte changes, insertions, deletions,
// truncations and splices with another corpus input -- the moves libFuzzer
// starts with. The same seed gives the same inputs on every machine, so a
// failure reproduces, and the run cannot turn red on a later CI run without
// a change in the code. Exploring for new inputs, guided by coverage, is
// scripts/fuzz.sh (clang, libFuzzer); docs/reliability.md.
//
// A finding aborts (the targets' oracle, or a sanitizer). The input that
// found it is named (corpus file and mutation number) and written to
// ./replay-finding, to run again with the libFuzzer target or to commit to
// the corpus as a regression input.
//
// Usage: fuzz_replay_TARGET CORPUS_DIR [--mutations N] [--seed S] [--verbose]
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv);

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace {

// The input being run, for the death report (read in a signal handler).
const char* current_file = "";
int current_mutation = 0;
const std::string* current_data = nullptr;

void WriteString(int fd, const char* text) {
  if (write(fd, text, std::strlen(text)) < 0) return;
}

// Async-signal-safe: names the input and saves it to ./replay-finding.
void ReportCurrentInput() {
  char number[16];
  int length = 0;
  for (int n = current_mutation; length == 0 || n > 0; n /= 10) {
    number[length++] = static_cast<char>('0' + n % 10);
  }
  char digits[16];
  for (int i = 0; i < length; ++i) digits[i] = number[length - 1 - i];
  digits[length] = '\0';
  WriteString(2, "\n== fuzz replay: finding on ");
  WriteString(2, current_file);
  WriteString(2, " mutation #");
  WriteString(2, digits);
  WriteString(2, " (0: the file itself); input saved to ./replay-finding\n");
  if (current_data == nullptr) return;
  const int fd = open("replay-finding", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  if (write(fd, current_data->data(), current_data->size()) < 0) {
    // nothing more to do in a dying process
  }
  close(fd);
}

// Exits as a shell reports a signal (128 + its number).
void OnFatalSignal(int signal_number) {
  ReportCurrentInput();
  _exit(128 + signal_number);
}

struct Options {
  std::string corpus;
  int mutations = 8;
  uint64_t seed = 1;
  bool verbose = false;
};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--mutations" || arg == "--seed") && i + 1 < argc) {
      char* end = nullptr;
      const unsigned long long value = std::strtoull(argv[++i], &end, 10);
      if (*end != '\0') return false;
      if (arg == "--mutations") {
        options.mutations = static_cast<int>(std::min(value, 1000ULL));
      } else {
        options.seed = value;
      }
    } else if (arg == "--verbose") {
      options.verbose = true;
    } else if (options.corpus.empty() && arg[0] != '-') {
      options.corpus = arg;
    } else {
      return false;
    }
  }
  return !options.corpus.empty();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// One libFuzzer-style mutation of `input`; `other` is another corpus input
// to splice with.
std::string Mutate(std::string input, const std::string& other,
                   std::mt19937_64& random) {
  auto below = [&random](size_t n) {
    return n == 0 ? 0 : static_cast<size_t>(random() % n);
  };
  switch (below(6)) {
    case 0:  // flip a bit
      if (!input.empty()) input[below(input.size())] ^= 1 << below(8);
      break;
    case 1:  // set a byte, favouring the boundary values
      if (!input.empty()) {
        static constexpr unsigned char kInteresting[] = {0,    1,    0x7f,
                                                         0x80, 0xff, 0xfe};
        input[below(input.size())] = static_cast<char>(
            below(2) ? kInteresting[below(sizeof(kInteresting))] : below(256));
      }
      break;
    case 2:  // insert bytes
      input.insert(below(input.size() + 1), below(8) + 1,
                   static_cast<char>(below(256)));
      break;
    case 3:  // delete bytes
      if (!input.empty()) {
        const size_t at = below(input.size());
        input.erase(at, below(std::min<size_t>(16, input.size() - at)) + 1);
      }
      break;
    case 4:  // truncate
      input.resize(below(input.size() + 1));
      break;
    default:  // splice: this input's head, the other's tail
      input = input.substr(0, below(input.size() + 1)) +
              other.substr(below(other.size() + 1));
      break;
  }
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: %s CORPUS_DIR [--mutations N] [--seed S] "
                 "[--verbose]\n",
                 argv[0]);
    return 2;
  }
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(options.corpus, error)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (error || files.empty()) {
    std::fprintf(stderr, "%s: no corpus files in %s\n", argv[0],
                 options.corpus.c_str());
    return 2;
  }
  std::sort(files.begin(), files.end());  // the same order everywhere
  LLVMFuzzerInitialize(&argc, &argv);
  for (int fatal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    ::signal(fatal, OnFatalSignal);
  }
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_set_death_callback(ReportCurrentInput);
#endif

  const auto start = std::chrono::steady_clock::now();
  std::mt19937_64 random(options.seed);
  uint64_t runs = 0;
  std::string previous;
  for (const std::filesystem::path& file : files) {
    const std::string input = ReadFile(file);
    for (int mutation = 0; mutation <= options.mutations; ++mutation) {
      const std::string data =
          mutation == 0 ? input : Mutate(input, previous, random);
      if (options.verbose) {
        std::fprintf(stderr, "%s #%d\n", file.c_str(), mutation);
      }
      current_file = file.c_str();
      current_mutation = mutation;
      current_data = &data;
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()),
                             data.size());
      ++runs;
    }
    previous = input;
  }
  current_data = nullptr;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::printf(
      "%zu corpus inputs, %llu runs (%d mutations each, seed %llu) "
      "in %.1f s: no finding\n",
      files.size(), static_cast<unsigned long long>(runs), options.mutations,
      static_cast<unsigned long long>(options.seed), seconds);
  return 0;
}
