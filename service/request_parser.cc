#include "request_parser.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "quoted.h"

namespace kpi {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

// The log lines protobuf writes while this thread parses a request.
thread_local std::string* parse_log = nullptr;

void LogHandler(google::protobuf::LogLevel level, const char* filename,
                int line, const std::string& message) {
  if (parse_log != nullptr) {
    if (parse_log->empty()) *parse_log = message;
    return;
  }
  static const char* const kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  std::fprintf(stderr, "[libprotobuf %s %s:%d] %s\n",
               kLevels[level < 0 || level > 3 ? 2 : level], filename, line,
               message.c_str());
}

// The map fields of `type` whose keys are strings.
std::vector<const FieldDescriptor*> StringKeyedMaps(const Descriptor& type) {
  std::vector<const FieldDescriptor*> maps;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* field = type.field(i);
    if (field->is_map() && field->message_type()->map_key()->type() ==
                               FieldDescriptor::TYPE_STRING) {
      maps.push_back(field);
    }
  }
  return maps;
}

// Reads the key (field 1) of one map entry, the stream limited to the entry.
bool ReadEntryKey(CodedInputStream& in, std::string& key) {
  constexpr uint32_t kKeyTag =
      WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
  while (const uint32_t tag = in.ReadTag()) {
    if (tag == kKeyTag) {
      if (!WireFormatLite::ReadString(&in, &key)) return false;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return false;
    }
  }
  return true;
}

// INVALID_ARGUMENT if a string-keyed map field of `type` holds a key twice
// in `bytes` (already parsed once, so well formed). The scan reads only
// top-level tags and map entries; other fields are skipped by length.
absl::Status RefuseRepeatedMapKeys(const grpc::ByteBuffer& bytes,
                                   const Descriptor& type) {
  const std::vector<const FieldDescriptor*> maps = StringKeyedMaps(type);
  if (maps.empty()) return absl::OkStatus();
  grpc::ByteBuffer copy(bytes);  // shares the slices
  grpc::ProtoBufferReader reader(&copy);
  CodedInputStream in(&reader);
  in.SetTotalBytesLimit(INT_MAX);
  std::vector<absl::flat_hash_set<std::string>> seen(maps.size());
  while (const uint32_t tag = in.ReadTag()) {
    size_t m = 0;
    while (m < maps.size() &&
           !(WireFormatLite::GetTagFieldNumber(tag) == maps[m]->number() &&
             WireFormatLite::GetTagWireType(tag) ==
                 WireFormatLite::WIRETYPE_LENGTH_DELIMITED)) {
      ++m;
    }
    if (m == maps.size()) {
      if (!WireFormatLite::SkipField(&in, tag)) break;
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length)) break;
    const CodedInputStream::Limit limit =
        in.PushLimit(static_cast<int>(length));
    std::string key;
    if (!ReadEntryKey(in, key)) break;
    in.PopLimit(limit);
    if (!seen[m].insert(key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(maps[m]->name(), ": key ", Quoted(key),
                       " given twice (map keys must be distinct)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

void CaptureProtobufParseErrors() {
  google::protobuf::SetLogHandler(&LogHandler);
}

google::protobuf::ArenaOptions RequestArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.max_block_size = 64 << 10;
  return options;
}

absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message* message) {
  grpc::ByteBuffer copy(bytes);  // shares the slices
  grpc::ProtoBufferReader reader(&copy);
  std::string why;
  parse_log = &why;
  // Bounded by the real size: unbounded, a string field claiming more bytes
  // than follow made protobuf reserve up to 50 MB for a 9-byte request.
  const bool parsed = message->ParseFromBoundedZeroCopyStream(
      &reader, static_cast<int>(bytes.Length()));
  parse_log = nullptr;
  if (!parsed) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not a valid ", message->GetDescriptor()->full_name(), ": ",
        why.empty() ? "the bytes are not its protobuf wire format" : why));
  }
  return RefuseRepeatedMapKeys(bytes, *message->GetDescriptor());
}

}  // namespace kpi
