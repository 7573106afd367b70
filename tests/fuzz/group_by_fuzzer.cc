// Chunk binding and group_by keying. The first bytes pick a declared example
// of a bundled metric with row inputs; its rows are repeated to a fuzzed
// count; the rest of the input makes up to three key columns (strings,
// int64s or timestamps; few or many distinct values; extremes; sometimes
// named like an input, named twice, of another type or length) and cuts the
// rows into up to four chunks. The call goes through MetricCall with
// group_by: keys split from the inputs, the rows dealt to their segments
// (SegmentedState: each key column interned by a KeyDictionary, one column's
// codes mapped to segments through an array, several columns' codes looked
// up together), one state per segment, merged for the overall result.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"

namespace kpi::fuzz {
namespace {

constexpr size_t kMaxRows = 512;

// Row `from` of `column`, appended to `to` (same type).
void CopyRow(const v1::Column& column, int from, v1::Column& to) {
  switch (column.values_case()) {
    case v1::Column::kDoubles:
      to.mutable_doubles()->add_values(column.doubles().values(from));
      break;
    case v1::Column::kInt64S:
      to.mutable_int64s()->add_values(column.int64s().values(from));
      break;
    case v1::Column::kTimestamps:
      to.mutable_timestamps()->add_unix_micros(
          column.timestamps().unix_micros(from));
      break;
    case v1::Column::kStrings:
      to.mutable_strings()->add_values(column.strings().values(from));
      break;
    case v1::Column::kKeys:  // keys travel as strings here
    case v1::Column::VALUES_NOT_SET:
      break;
  }
}

// A key column of `rows` values drawn from `distinct` (or, when that is
// 0, every value new).
v1::Column KeyColumn(FuzzedDataProvider& in, const std::string& name,
                     size_t rows) {
  v1::Column key;
  key.set_name(name);
  const int type = in.ConsumeIntegralInRange(0, 4);
  const size_t distinct = in.ConsumeIntegralInRange<size_t>(0, 8);
  std::vector<int64_t> numbers;
  std::vector<std::string> texts;
  for (size_t i = 0; i < distinct; ++i) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0:
        numbers.push_back(in.ConsumeIntegralInRange(-4, 4));
        break;
      case 1:
        numbers.push_back(in.ConsumeBool() ? INT64_MIN : INT64_MAX);
        break;
      default:
        numbers.push_back(in.ConsumeIntegral<int64_t>());
    }
    texts.push_back(in.ConsumeRandomLengthString(12));
  }
  auto number = [&](size_t row) -> int64_t {
    if (distinct == 0) return static_cast<int64_t>(row) * 7919;
    return numbers[in.ConsumeIntegralInRange<size_t>(0, distinct - 1)];
  };
  auto text = [&](size_t row) -> std::string {
    if (distinct == 0) return "k" + std::to_string(row);
    return texts[in.ConsumeIntegralInRange<size_t>(0, distinct - 1)];
  };
  switch (type) {
    case 0:
    case 1:
      key.mutable_strings();
      for (size_t r = 0; r < rows; ++r) {
        key.mutable_strings()->add_values(text(r));
      }
      break;
    case 2:
      key.mutable_int64s();
      for (size_t r = 0; r < rows; ++r) {
        key.mutable_int64s()->add_values(number(r));
      }
      break;
    case 3:
      key.mutable_timestamps();
      for (size_t r = 0; r < rows; ++r) {
        key.mutable_timestamps()->add_unix_micros(number(r));
      }
      break;
    default:  // not a key type
      key.mutable_doubles();
      for (size_t r = 0; r < rows; ++r) {
        key.mutable_doubles()->add_values(static_cast<double>(number(r)));
      }
  }
  return key;
}

}  // namespace
}  // namespace kpi::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  kpi::fuzz::Bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kpi::fuzz;
  FuzzedDataProvider in(data, size);
  std::vector<const Example*> grouped;
  for (const Example& example : Examples()) {
    if (Rows(example.request) > 0 && example.request.scalars().empty()) {
      grouped.push_back(&example);
    }
  }
  if (grouped.empty()) return 0;
  const Example& example =
      *grouped[in.ConsumeIntegral<uint16_t>() % grouped.size()];
  const size_t example_rows = Rows(example.request);
  const size_t rows = in.ConsumeIntegralInRange<size_t>(0, kMaxRows);

  kpi::v1::ComputeRequest request = example.request;
  request.clear_columns();
  for (const kpi::v1::Column& column : example.request.columns()) {
    kpi::v1::Column* out = request.add_columns();
    out->set_name(column.name());
    for (size_t r = 0; r < rows; ++r) {
      CopyRow(column, static_cast<int>(r % example_rows), *out);
    }
  }

  const int keys = in.ConsumeIntegralInRange(1, 3);
  for (int k = 0; k < keys; ++k) {
    std::string name = "key" + std::to_string(k);
    switch (in.ConsumeIntegralInRange(0, 15)) {
      case 0:  // an input's name
        name = example.request.columns(0).name();
        break;
      case 1:  // the same key twice
        name = "key0";
        break;
      case 2:  // any name
        name = in.ConsumeRandomLengthString(16);
        break;
      default:
        break;
    }
    request.add_group_by(name);
    // Sometimes missing, sometimes a row short.
    switch (in.ConsumeIntegralInRange(0, 15)) {
      case 0:
        break;
      case 1:
        *request.add_columns() = KeyColumn(in, name, rows > 0 ? rows - 1 : 1);
        break;
      default:
        *request.add_columns() = KeyColumn(in, name, rows);
    }
  }

  std::vector<size_t> cuts(in.ConsumeIntegralInRange(0, 3));
  for (size_t& cut : cuts) cut = in.ConsumeIntegralInRange<size_t>(0, rows);
  std::sort(cuts.begin(), cuts.end());
  if (cuts.empty()) {
    CheckOutcome(Compute(request));
  } else {
    CheckOutcome(ComputeStream(SplitIntoChunks(request, cuts)));
  }
  return 0;
}
