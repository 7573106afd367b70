#include "csv_reader.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "csv.h"

namespace kpi::report {
namespace {

constexpr size_t kBlockBytes = 1 << 20;

// libcsv's parser state inside a field (libcsv.c: FIELD_BEGUN).
constexpr int kFieldBegun = 2;

// With a tab delimiter, a tab must not count as the blank libcsv trims
// around unquoted fields.
int SpaceOnly(unsigned char c) { return c == CSV_SPACE; }

}  // namespace

char DetectDelimiter(absl::string_view sample) {
  int counts[3] = {0, 0, 0};
  constexpr char kCandidates[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : sample) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    for (int i = 0; i < 3; ++i) counts[i] += c == kCandidates[i];
  }
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return kCandidates[best];
}

struct CsvReader::Parser {
  csv_parser csv;
  // The fields of the record being assembled, one after another, and where
  // each starts and ends: one allocation reused for every record.
  std::string arena;
  std::vector<std::pair<size_t, size_t>> bounds;
  std::vector<absl::string_view> views;
  // Lines: the next record starts on `next_line`; the current one started
  // on `row_line` and holds `embedded_newlines` inside quoted fields.
  int64_t next_line = 1;
  int64_t row_line = 1;
  int64_t embedded_newlines = 0;
  bool last_was_cr = false;
  bool in_record = false;
  // The header is the first record; the rest go to `on_row`.
  std::vector<std::string>* header = nullptr;
  const RowCallback* on_row = nullptr;
  bool stop = false;

  static void OnField(void* data, size_t size, void* self) {
    auto* p = static_cast<Parser*>(self);
    if (!p->in_record) {
      p->in_record = true;
      p->row_line = p->next_line;
    }
    const char* text = static_cast<const char*>(data);
    for (size_t i = 0; i < size; ++i) p->embedded_newlines += text[i] == '\n';
    const size_t begin = p->arena.size();
    p->arena.append(text, size);
    p->bounds.emplace_back(begin, p->arena.size());
    p->last_was_cr = false;
  }

  static void OnRecordEnd(int c, void* self) {
    auto* p = static_cast<Parser*>(self);
    if (!p->in_record) {
      // CSV_REPALL_NL reports every line end outside a record: the LF of a
      // CRLF (not a new line), or a blank line (one).
      if (!(c == CSV_LF && p->last_was_cr)) ++p->next_line;
      p->last_was_cr = c == CSV_CR;
      return;
    }
    p->in_record = false;
    p->last_was_cr = c == CSV_CR;
    p->next_line = p->row_line + p->embedded_newlines + 1;
    p->embedded_newlines = 0;
    p->views.clear();
    for (const auto& [begin, end] : p->bounds) {
      p->views.emplace_back(p->arena.data() + begin, end - begin);
    }
    if (p->header != nullptr) {
      p->header->clear();
      for (absl::string_view v : p->views) p->header->emplace_back(v);
      p->header = nullptr;
    } else if (!p->stop && p->on_row != nullptr) {
      p->stop = !(*p->on_row)(p->views, p->row_line);
    }
    p->arena.clear();
    p->bounds.clear();
  }
};

CsvReader::CsvReader(std::string path, std::FILE* file, char delimiter)
    : path_(std::move(path)),
      file_(file),
      delimiter_(delimiter),
      parser_(new Parser()) {}  // zeroed: csv_free is safe before csv_init

CsvReader::CsvReader(CsvReader&& other) noexcept
    : path_(std::move(other.path_)),
      file_(std::exchange(other.file_, nullptr)),
      delimiter_(other.delimiter_),
      bytes_read_(other.bytes_read_),
      header_(std::move(other.header_)),
      parser_(std::exchange(other.parser_, nullptr)) {}

CsvReader::~CsvReader() {
  if (parser_ != nullptr) {
    csv_free(&parser_->csv);
    delete parser_;
  }
  if (file_ != nullptr) std::fclose(file_);
}

absl::StatusOr<CsvReader> CsvReader::Open(const std::string& path,
                                          char delimiter) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  if (delimiter == 0) {
    std::string sample(64 * 1024, '\0');
    sample.resize(std::fread(sample.data(), 1, sample.size(), file));
    std::rewind(file);
    delimiter = DetectDelimiter(sample);
  }
  CsvReader reader(path, file, delimiter);
  Parser& p = *reader.parser_;
  if (csv_init(&p.csv, CSV_REPALL_NL) != 0) {
    return absl::ResourceExhaustedError("cannot initialise libcsv");
  }
  csv_set_delim(&p.csv, static_cast<unsigned char>(delimiter));
  if (delimiter == '\t') csv_set_space_func(&p.csv, SpaceOnly);
  p.header = &reader.header_;
  // Byte by byte until the header is complete, so no data record is parsed
  // before ReadRows has somewhere to send it.
  int ch;
  while (p.header != nullptr && (ch = std::fgetc(file)) != EOF) {
    const char c = static_cast<char>(ch);
    ++reader.bytes_read_;
    if (csv_parse(&p.csv, &c, 1, Parser::OnField, Parser::OnRecordEnd, &p) !=
        1) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": ", csv_strerror(csv_error(&p.csv)), " in the header"));
    }
  }
  if (p.header != nullptr) {
    csv_fini(&p.csv, Parser::OnField, Parser::OnRecordEnd, &p);
  }
  if (reader.header_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": empty file: no header line"));
  }
  return reader;
}

absl::Status CsvReader::ReadRows(const RowCallback& on_row) {
  Parser& p = *parser_;
  p.on_row = &on_row;
  std::string block(kBlockBytes, '\0');
  while (!p.stop) {
    const size_t n = std::fread(block.data(), 1, block.size(), file_);
    if (n == 0) break;
    bytes_read_ += static_cast<int64_t>(n);
    if (csv_parse(&p.csv, block.data(), n, Parser::OnField, Parser::OnRecordEnd,
                  &p) != n) {
      return absl::InvalidArgumentError(absl::StrCat(
          path_, " line ", p.next_line, ": ", csv_strerror(csv_error(&p.csv))));
    }
  }
  if (std::ferror(file_)) {
    return absl::DataLossError(
        absl::StrCat("cannot read ", path_, ": ", std::strerror(errno)));
  }
  if (p.stop) {
    p.on_row = nullptr;
    return absl::OkStatus();
  }
  // libcsv's csv_fini reports an unterminated quote only in its strict mode,
  // which also refuses the stray quotes real exports have inside unquoted
  // fields; its parser state (public in csv.h) says whether the file ended
  // inside a quoted field.
  if (p.csv.quoted && p.csv.pstate == kFieldBegun) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, " line ", p.row_line,
                     ": a quoted field is not closed before the end of the "
                     "file"));
  }
  csv_fini(&p.csv, Parser::OnField, Parser::OnRecordEnd, &p);
  p.on_row = nullptr;
  return absl::OkStatus();
}

}  // namespace kpi::report
