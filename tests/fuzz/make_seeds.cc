// Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/)
// from the bundled metrics' declared examples. Run at authoring time, when
// metrics or their examples change; the output is committed.
//
//   cmake --build build-fuzz --target kpi_fuzz_make_seeds
//   build-fuzz/fuzz/kpi_fuzz_make_seeds tests/fuzz/corpus
//
// Each file is named for what it holds; files the fuzzer adds later are
// named by their SHA-1, so a regenerated seed replaces only its namesake.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/timestamp.pb.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fuzz_support.h"

namespace kpi::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::filesystem::path root;
int written = 0;

void Write(const std::string& target, const std::string& name,
           const std::string& bytes) {
  const std::filesystem::path dir = root / target;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
  ++written;
}

std::string FileName(const Example& example) {
  std::string name = absl::StrCat(example.metric->name(), "-", example.name);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      c = '_';
    }
  }
  return name;
}

std::string Delimited(const std::vector<v1::ComputeStreamRequest>& chunks) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    for (const v1::ComputeStreamRequest& chunk : chunks) {
      coded.WriteVarint32(static_cast<uint32_t>(chunk.ByteSizeLong()));
      chunk.SerializeToCodedStream(&coded);
    }
  }
  return out;
}

// The rows of `request` keyed by one STRING column of two segments.
v1::ComputeRequest Grouped(const v1::ComputeRequest& request) {
  v1::ComputeRequest grouped = request;
  v1::Column* key = grouped.add_columns();
  key->set_name("segment");
  key->mutable_strings();
  for (size_t r = 0; r < Rows(request); ++r) {
    key->mutable_strings()->add_values(r % 2 ? "b" : "a");
  }
  grouped.add_group_by("segment");
  return grouped;
}

// A profile of kFuzzProfiles for `metric`, or "".
std::string ProfileOf(absl::string_view metric) {
  if (metric == "nps") return "strict";
  if (metric == "csat") return "mean";
  if (metric == "ces") return "low";
  if (metric == "health_score") return "smb";
  if (metric == "first_response_time") return "p90";
  if (metric == "cohort_retention") return "weekly";
  if (metric == "historical_clv") return "five_years";
  return "";
}

// Sets the field `name` of `message` from `value`; false when the message
// has no such field of a matching type.
bool SetSingular(Message& message, absl::string_view name,
                 const v1::Value& value) {
  const FieldDescriptor* field =
      message.GetDescriptor()->FindFieldByName(std::string(name));
  if (field == nullptr || field->is_repeated()) return false;
  const Reflection& r = *message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT64:
      if (value.has_timestamp_value()) {
        r.SetInt64(&message, field,
                   value.timestamp_value().seconds() * 1000000 +
                       value.timestamp_value().nanos() / 1000);
      } else {
        r.SetInt64(&message, field, value.int64_value());
      }
      return true;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r.SetDouble(&message, field,
                  value.has_int64_value()
                      ? static_cast<double>(value.int64_value())
                      : value.double_value());
      return true;
    case FieldDescriptor::CPPTYPE_STRING:
      r.SetString(&message, field, value.string_value());
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      r.SetBool(&message, field, value.bool_value());
      return true;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (!value.has_timestamp_value()) return false;
      r.MutableMessage(&message, field)->CopyFrom(value.timestamp_value());
      return true;
    default:
      return false;
  }
}

// `request` as the typed request `typed` (cleared first); false when a
// field does not map (the typed message lacks an input or parameter).
bool ToTyped(const v1::ComputeRequest& request, Message& typed) {
  typed.Clear();
  const Reflection& r = *typed.GetReflection();
  for (const v1::Column& column : request.columns()) {
    const FieldDescriptor* field =
        typed.GetDescriptor()->FindFieldByName(column.name());
    if (field == nullptr || !field->is_repeated()) return false;
    switch (column.values_case()) {
      case v1::Column::kDoubles:
        for (double v : column.doubles().values())
          r.AddDouble(&typed, field, v);
        break;
      case v1::Column::kInt64S:
        for (int64_t v : column.int64s().values()) r.AddInt64(&typed, field, v);
        break;
      case v1::Column::kTimestamps:
        for (int64_t v : column.timestamps().unix_micros()) {
          r.AddInt64(&typed, field, v);
        }
        break;
      case v1::Column::kStrings:
        for (const std::string& v : column.strings().values()) {
          r.AddString(&typed, field, v);
        }
        break;
      case v1::Column::kKeys:  // keys travel as strings here
      case v1::Column::VALUES_NOT_SET:
        break;
    }
  }
  for (const auto& [name, value] : request.scalars()) {
    if (!SetSingular(typed, name, value)) return false;
  }
  if (!request.parameters().empty()) {
    const FieldDescriptor* field =
        typed.GetDescriptor()->FindFieldByName("parameters");
    if (field == nullptr) return false;
    Message* parameters = r.MutableMessage(&typed, field);
    for (const auto& [name, value] : request.parameters()) {
      if (!SetSingular(*parameters, name, value)) return false;
    }
  }
  return true;
}

// Bytes a FuzzedDataProvider reads as `last` then `before_last` from its
// end (ConsumeIntegral takes the input's last bytes first), after `size`
// pseudo-random bytes for the rest of its choices.
std::string StructuredSeed(std::mt19937& random, size_t size,
                           std::vector<uint8_t> from_the_end) {
  std::string bytes;
  for (size_t i = 0; i < size; ++i) bytes.push_back(char(random() & 0xff));
  for (auto it = from_the_end.rbegin(); it != from_the_end.rend(); ++it) {
    bytes.push_back(static_cast<char>(*it));
  }
  return bytes;
}

void WriteAll() {
  std::mt19937 random(20240601);
  const absl::Span<const TypedRpc> rpcs = TypedRpcs();
  for (const Example& example : Examples()) {
    const std::string name = FileName(example);
    Write("compute_request", name, example.request.SerializeAsString());
    Write("isolation_parity", name, example.request.SerializeAsString());
    const size_t rows = Rows(example.request);
    const std::vector<size_t> halves =
        rows > 1 ? std::vector<size_t>{rows / 2} : std::vector<size_t>{};
    Write("compute_stream", name,
          Delimited(SplitIntoChunks(example.request, halves)));
    for (size_t i = 0; i < rpcs.size(); ++i) {
      if (example.metric->name() != rpcs[i].metric) continue;
      std::unique_ptr<Message> typed(rpcs[i].prototype->New());
      if (ToTyped(example.request, *typed)) {
        Write(
            "typed_request", name,
            std::string(1, static_cast<char>(i)) + typed->SerializeAsString());
      } else {
        std::fprintf(stderr, "no typed seed for %s\n", name.c_str());
      }
    }
  }
  // Per metric: its first example grouped, and with a profile.
  for (const auto& metric : Metrics()) {
    std::vector<const Example*> examples = ExamplesOf(metric->name());
    for (const Example* example : examples) {
      if (Rows(example->request) < 2 || !example->request.scalars().empty()) {
        continue;
      }
      const v1::ComputeRequest grouped = Grouped(example->request);
      Write("compute_request", FileName(*example) + "-grouped",
            grouped.SerializeAsString());
      Write("isolation_parity", FileName(*example) + "-grouped",
            grouped.SerializeAsString());
      Write("compute_stream", FileName(*example) + "-grouped",
            Delimited(SplitIntoChunks(grouped, {1})));
      break;
    }
    const std::string profile = ProfileOf(metric->name());
    if (!examples.empty() && !profile.empty()) {
      v1::ComputeRequest with_profile = examples[0]->request;
      with_profile.set_profile(profile);
      Write("compute_request", FileName(*examples[0]) + "-profile",
            with_profile.SerializeAsString());
    }
  }
  // Structured targets: one seed per metric (plugin_update: the last byte
  // picks the metric, the one before it the example) and per grouped
  // example (group_by: the last two bytes pick it).
  const auto& metrics = Metrics();
  for (size_t m = 0; m < metrics.size(); ++m) {
    const size_t count = ExamplesOf(metrics[m]->name()).size();
    for (size_t e = 0; e < count && e < 2; ++e) {
      Write("plugin_update", absl::StrCat(metrics[m]->name(), "-", e),
            StructuredSeed(random, 160,
                           {static_cast<uint8_t>(m), static_cast<uint8_t>(e)}));
    }
  }
  size_t grouped = 0;
  for (const Example& example : Examples()) {
    if (Rows(example.request) == 0 || !example.request.scalars().empty()) {
      continue;
    }
    if (grouped % 3 == 0) {  // a sample: the target varies the rest
      Write("group_by", FileName(example),
            StructuredSeed(random, 96,
                           {static_cast<uint8_t>(grouped >> 8),
                            static_cast<uint8_t>(grouped & 0xff)}));
    }
    ++grouped;
  }
  // Profiles: the fuzz profiles themselves, and one file per metric.
  Write("profiles", "all", kFuzzProfiles);
  Write("profiles", "nps",
        R"({"nps": {"strict": {"promoter_min": 10, "detractor_max": 6}}})");
  Write(
      "profiles", "health_score",
      R"({"health_score": {"smb": {"signals": "usage:2:higher,nps:1:higher:-100:100", "bands": "red<50,green"}}})");
  Write(
      "profiles", "timestamps",
      R"({"churn_rate": {"january": {"period_start": "2024-01-01T00:00:00Z", "period_end": "2024-02-01T00:00:00Z"}}})");
  Write(
      "profiles", "mistakes",
      R"({"nps": {"a": {"promoter_min": "ten"}}, "funnel": {"b": {"window_seconds": 1.5}}, "ces": {"c": {"lower_is_better": 1}}})");
}

}  // namespace
}  // namespace kpi::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  kpi::fuzz::root = argv[1];
  kpi::fuzz::WriteAll();
  std::printf("wrote %d seeds under %s\n", kpi::fuzz::written, argv[1]);
  return 0;
}
