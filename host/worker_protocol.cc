#include "worker_protocol.h"

#include <cstring>

#include "descriptor_wire.h"

namespace kpi {
namespace {

enum ColumnData : uint8_t {
  kNone = 0,
  kDoubles = 1,
  kInts = 2,
  kStrings = 3,
  kKeyCodes = 4
};

// Lengths, then every string's bytes in one block: one pass to size, one to
// copy, and the reader makes its views without copying.
template <typename TextOf>
void WriteStrings(WireWriter& out, size_t rows, const TextOf& text_of) {
  std::vector<uint64_t> lengths(rows);
  uint64_t total = 0;
  for (size_t row = 0; row < rows; ++row) {
    lengths[row] = text_of(row).size();
    total += lengths[row];
  }
  out.PutArray(lengths.data(), rows);
  out.Put<uint64_t>(total);
  char* to = out.Reserve(total);
  for (size_t row = 0; row < rows; ++row) {
    const absl::string_view text = text_of(row);
    if (!text.empty()) std::memcpy(to, text.data(), text.size());
    to += text.size();
  }
}

bool ReadStrings(WireReader& in, size_t rows,
                 std::vector<kpi_string_view>& views) {
  const uint64_t* lengths = nullptr;
  size_t count = 0;
  uint64_t total = 0;
  if (!in.GetArray(lengths, count) || !in.Get(total)) return false;
  if (count != rows) return in.Fail("string column length mismatch");
  const char* bytes = in.Take(total);
  if (bytes == nullptr) return false;
  views.resize(rows);
  uint64_t offset = 0;
  for (size_t row = 0; row < rows; ++row) {
    if (lengths[row] > total - offset) return in.Fail("strings overrun");
    views[row] = {bytes + offset, lengths[row]};
    offset += lengths[row];
  }
  return true;
}

void WriteColumn(WireWriter& out, const kpi_column& column) {
  out.Put<int32_t>(column.type);
  out.Put<uint64_t>(column.length);
  if (column.f64 != nullptr) {
    out.Put<uint8_t>(kDoubles);
    out.PutArray(column.f64, column.length);
  } else if (column.i64 != nullptr) {
    out.Put<uint8_t>(kInts);
    out.PutArray(column.i64, column.length);
  } else if (column.str != nullptr) {
    out.Put<uint8_t>(kStrings);
    WriteStrings(out, column.length, [&column](size_t row) {
      return absl::string_view(column.str[row].data, column.str[row].size);
    });
  } else {
    out.Put<uint8_t>(kNone);
  }
}

// Reads one column's values into `column` (pointers into the message, or
// into `views` for strings).
bool ReadColumn(WireReader& in, kpi_column& column,
                std::vector<kpi_string_view>& views) {
  uint64_t length = 0;
  uint8_t data = kNone;
  column = kpi_column{};
  if (!in.Get(column.type) || !in.Get(length) || !in.Get(data)) return false;
  column.length = length;
  size_t count = 0;
  switch (data) {
    case kNone:
      return true;
    case kDoubles:
      if (!in.GetArray(column.f64, count)) return false;
      break;
    case kInts:
      if (!in.GetArray(column.i64, count)) return false;
      break;
    case kStrings:
      if (!ReadStrings(in, length, views)) return false;
      column.str = views.data();
      count = length;
      break;
    case kKeyCodes:  // the codes follow; ReadUpdate reads them
      return column.type == KPI_TYPE_KEY || in.Fail("codes of a non-key");
    default:
      return in.Fail("unknown column encoding");
  }
  return count == length || in.Fail("column length mismatch");
}

}  // namespace

void WriteCallOp(WireWriter& out, WorkerOp op, uint64_t call) {
  out.Put<uint32_t>(static_cast<uint32_t>(op));
  out.Put<uint64_t>(call);
}

void WriteOpen(WireWriter& out, uint64_t call, uint32_t metric_index,
               const BoundParams& params,
               const std::vector<std::string>& group_by) {
  WriteCallOp(out, WorkerOp::kOpen, call);
  out.Put<uint32_t>(metric_index);
  out.Put<uint64_t>(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const kpi_param_value& value = params.data()[i];
    out.Put<int32_t>(value.type);
    out.Put<double>(value.f64);
    out.Put<int64_t>(value.i64);
    out.Put<int32_t>(value.boolean);
    out.PutString(value.str.data
                      ? absl::string_view(value.str.data, value.str.size)
                      : absl::string_view());
  }
  out.Put<uint64_t>(group_by.size());
  for (const std::string& name : group_by) out.PutString(name);
}

bool ReadOpen(WireReader& in, OpenRequest& open) {
  size_t count = 0;
  if (!in.Get(open.call) || !in.Get(open.metric_index) || !in.GetCount(count)) {
    return false;
  }
  open.params.assign(count, kpi_param_value{});
  for (kpi_param_value& value : open.params) {
    if (!ReadParamValue(in, value)) return false;
  }
  if (!in.GetCount(count)) return false;
  open.group_by.resize(count);
  for (std::string& name : open.group_by) {
    absl::string_view text;
    if (!in.GetString(text)) return false;
    name = std::string(text);
  }
  return true;
}

void WriteUpdate(WireWriter& out, uint64_t call, const kpi_chunk& chunk,
                 const std::vector<ColumnArg>& keys,
                 std::vector<uint64_t>& entries_sent) {
  WriteCallOp(out, WorkerOp::kUpdate, call);
  out.Put<uint64_t>(chunk.num_rows);
  out.Put<uint64_t>(chunk.num_inputs);
  entries_sent.resize(chunk.num_inputs, 0);
  for (size_t i = 0; i < chunk.num_inputs; ++i) {
    if (chunk.keys == nullptr || chunk.keys[i].codes == nullptr) {
      WriteColumn(out, chunk.inputs[i]);
      continue;
    }
    const kpi_key_column& key = chunk.keys[i];
    out.Put<int32_t>(KPI_TYPE_KEY);
    out.Put<uint64_t>(chunk.num_rows);
    out.Put<uint8_t>(kKeyCodes);
    out.PutArray(key.codes, chunk.num_rows);
    const kpi_key_dictionary& dictionary = *key.dictionary;
    const uint64_t first = entries_sent[i];
    const uint64_t size = dictionary.size(dictionary.context);
    out.Put<uint64_t>(first);
    out.Put<uint64_t>(size - first);
    WriteStrings(out, size - first, [&](size_t j) {
      const kpi_string_view text =
          dictionary.text(dictionary.context, static_cast<int32_t>(first + j));
      return absl::string_view(text.data, text.size);
    });
    entries_sent[i] = size;
  }
  out.Put<uint64_t>(keys.size());
  for (const ColumnArg& key : keys) {
    kpi_column column{};
    column.type = key.type;
    column.length = key.length;
    if (key.type != KPI_TYPE_STRING) {
      column.i64 = key.i64;
      WriteColumn(out, column);
      continue;
    }
    out.Put<int32_t>(key.type);
    out.Put<uint64_t>(key.length);
    out.Put<uint8_t>(kStrings);
    WriteStrings(out, key.length, [&key](size_t row) { return key.Text(row); });
  }
}

bool ReadUpdate(WireReader& in, UpdateRequest& update) {
  uint64_t rows = 0;
  size_t inputs = 0, keys = 0;
  if (!in.Get(update.call) || !in.Get(rows) || !in.GetCount(inputs)) {
    return false;
  }
  update.columns.resize(inputs);
  update.views.clear();
  update.views.reserve(inputs + 8);
  update.key_updates.clear();
  for (size_t i = 0; i < inputs; ++i) {
    kpi_column& column = update.columns[i];
    if (!ReadColumn(in, column, update.views.emplace_back())) return false;
    if (column.type != KPI_TYPE_KEY || column.length == 0) continue;
    UpdateRequest::KeyUpdate& key = update.key_updates.emplace_back();
    key.input = i;
    size_t count = 0;
    if (!in.GetArray(key.codes, count) || !in.Get(key.first_entry)) {
      return false;
    }
    if (count != rows || column.length != rows) {
      return in.Fail("key column length mismatch");
    }
    size_t entries = 0;
    if (!in.GetCount(entries)) return false;
    if (!ReadStrings(in, entries, key.entries)) return false;
  }
  if (!in.GetCount(keys)) return false;
  update.keys.assign(keys, ColumnArg{});
  for (ColumnArg& key : update.keys) {
    kpi_column column{};
    if (!ReadColumn(in, column, update.views.emplace_back())) return false;
    if (column.length != rows) return in.Fail("key column length mismatch");
    key.type = column.type;
    key.length = column.length;
    key.i64 = column.i64;
    key.views = column.str;
    if ((key.type == KPI_TYPE_STRING) != (key.views != nullptr) &&
        column.length > 0) {
      return in.Fail("key column of the wrong shape");
    }
  }
  update.chunk = kpi_chunk{};
  update.chunk.num_rows = rows;
  update.chunk.inputs = update.columns.data();
  update.chunk.num_inputs = update.columns.size();
  return true;
}

absl::Status ApplyKeys(UpdateRequest& update,
                       std::vector<std::unique_ptr<KeyTexts>>& texts) {
  texts.resize(update.columns.size());
  update.key_columns.assign(update.columns.size(),
                            kpi_key_column{nullptr, nullptr});
  for (const UpdateRequest::KeyUpdate& key : update.key_updates) {
    std::unique_ptr<KeyTexts>& dictionary = texts[key.input];
    if (dictionary == nullptr) dictionary = std::make_unique<KeyTexts>();
    if (key.first_entry != dictionary->size()) {
      return absl::DataLossError("key entries out of sequence");
    }
    for (const kpi_string_view& entry : key.entries) {
      dictionary->Append(absl::string_view(entry.data, entry.size));
    }
    const size_t size = dictionary->size();
    bool in_range = true;
    for (size_t row = 0; row < update.chunk.num_rows; ++row) {
      in_range = in_range && static_cast<uint32_t>(key.codes[row]) < size;
    }
    if (!in_range) return absl::DataLossError("a key code past its dictionary");
    update.key_columns[key.input] = {key.codes, dictionary->abi()};
  }
  update.chunk.keys = update.key_columns.data();
  return absl::OkStatus();
}

void WriteReply(WireWriter& out, const absl::Status& status,
                const std::string& result) {
  out.Put<int32_t>(static_cast<int32_t>(status.code()));
  out.PutString(status.message());
  out.PutString(result);
}

absl::Status ReadReply(WireReader& in, std::string* result) {
  int32_t code = 0;
  absl::string_view message, bytes;
  if (!in.Get(code) || !in.GetString(message) || !in.GetString(bytes)) {
    return in.status();
  }
  if (code < 0 ||
      code > static_cast<int32_t>(absl::StatusCode::kUnauthenticated)) {
    return absl::DataLossError("reply with an unknown status code");
  }
  constexpr size_t kMaxMessage = 4096;
  if (message.size() > kMaxMessage) message = message.substr(0, kMaxMessage);
  if (result != nullptr) result->assign(bytes.data(), bytes.size());
  return absl::Status(static_cast<absl::StatusCode>(code), message);
}

}  // namespace kpi
