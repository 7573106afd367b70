// KEY inputs (ABI 1.3): the host interns identity columns -- sent as
// strings, int64s or dictionary codes -- once per call into dense codes, the
// plugin receives codes, and every way of sending the same keys gives the
// same answer in process and in a plugin worker.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "bound_chunk.h"
#include "bound_params.h"
#include "call_args.h"
#include "call_keys.h"
#include "key_dictionary.h"
#include "metric_call.h"
#include "metric_registry.h"
#include "segmented_state.h"
#include "test_metric.h"

namespace kpi {
namespace {

using testing::DistinctKeysDescriptor;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---- KeyDictionary ----------------------------------------------------------

std::vector<int32_t> Codes(KeyDictionary& keys,
                           const std::vector<std::string>& texts) {
  std::vector<int32_t> codes(texts.size());
  size_t failed = 0;
  EXPECT_TRUE(keys.InternTexts(
                      texts.size(), [&](size_t row) { return texts[row]; },
                      codes.data(), failed)
                  .ok());
  return codes;
}

TEST(KeyDictionaryTest, CodesAreDenseInOrderOfFirstAppearance) {
  KeyDictionary keys("input 'customer'", 100, "");
  EXPECT_THAT(Codes(keys, {"b", "a", "b", "c", "a"}),
              ElementsAre(0, 1, 0, 2, 1));
  EXPECT_THAT(Codes(keys, {"c", "d"}), ElementsAre(2, 3));
  ASSERT_EQ(keys.size(), 4u);
  EXPECT_EQ(keys.Text(0), "b");
  EXPECT_EQ(keys.Text(3), "d");
  // What a plugin sees.
  const kpi_key_dictionary& abi = *keys.abi();
  EXPECT_EQ(abi.size(abi.context), 4u);
  const kpi_string_view text = abi.text(abi.context, 1);
  EXPECT_EQ(std::string(text.data, text.size), "a");
  EXPECT_EQ(abi.text(abi.context, 4).data, nullptr);  // past the end
}

TEST(KeyDictionaryTest, AnInt64KeyIsTheSameKeyAsItsDecimalText) {
  KeyDictionary keys("input 'customer'", 100, "");
  const int64_t numbers[] = {42, -7, 42, 9000000000000000000};
  int32_t codes[4];
  size_t failed = 0;
  ASSERT_TRUE(keys.InternNumbers(numbers, 4, codes, failed).ok());
  EXPECT_THAT(codes, ElementsAre(0, 1, 0, 2));
  EXPECT_EQ(keys.Text(1), "-7");
  EXPECT_EQ(keys.Text(2), "9000000000000000000");
  EXPECT_THAT(Codes(keys, {"42", "-7", "x"}), ElementsAre(0, 1, 3));
}

TEST(KeyDictionaryTest, TextsStayValidAsTheDictionaryGrows) {
  KeyDictionary keys("input 'customer'", 1000000, "");
  std::vector<std::string> texts;
  for (int i = 0; i < 200000; ++i)
    texts.push_back("customer-" + std::to_string(i));
  Codes(keys, texts);
  const absl::string_view first = keys.Text(0);
  Codes(keys, {std::string(100000, 'x')});  // longer than a block
  EXPECT_EQ(first, "customer-0");
  EXPECT_EQ(keys.Text(199999), "customer-199999");
  EXPECT_EQ(keys.Text(200000).size(), 100000u);
}

TEST(KeyDictionaryTest, RefusesAnEmptyKeyUnlessAllowed) {
  KeyDictionary keys("input 'customer'", 100, "");
  std::vector<int32_t> codes(3);
  size_t failed = 0;
  const std::vector<std::string> texts = {"a", "b", ""};
  absl::Status s = keys.InternTexts(
      3, [&](size_t row) { return texts[row]; }, codes.data(), failed);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(failed, 2u);
  KeyDictionary segments("group_by column 'region'", 100, "", true);
  EXPECT_THAT(Codes(segments, {"", "eu", ""}), ElementsAre(0, 1, 0));
}

TEST(KeyDictionaryTest, SaysWhichLimitWasPassedAndHowToRaiseIt) {
  KeyDictionary keys("input 'customer'", 2, " (--max-distinct-keys)");
  std::vector<int32_t> codes(3);
  size_t failed = 0;
  const std::vector<std::string> texts = {"a", "b", "c"};
  absl::Status s = keys.InternTexts(
      3, [&](size_t row) { return texts[row]; }, codes.data(), failed);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "input 'customer': the call passed its limit of 2 distinct keys "
            "(--max-distinct-keys)");
  EXPECT_EQ(failed, 2u);
  // At the limit, keys it holds still intern, and a refused one leaves
  // nothing behind.
  EXPECT_EQ(*keys.Intern("b"), 1);
  EXPECT_EQ(*keys.Intern("a"), 0);
  EXPECT_EQ(keys.Intern(int64_t{7}).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(keys.Intern(int64_t{7}).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(keys.size(), 2u);
}

TEST(KeyDictionaryTest, AnInt64RefusedAtTheLimitIsNotRemembered) {
  KeyDictionary keys("input 'customer'", 1, "");
  EXPECT_EQ(*keys.Intern(int64_t{5}), 0);
  EXPECT_FALSE(keys.Intern(int64_t{6}).ok());
  // 6 is not a key: as text it is refused too, and 5 still is one.
  EXPECT_FALSE(keys.Intern("6").ok());
  EXPECT_EQ(*keys.Intern("5"), 0);
  EXPECT_EQ(*keys.Intern(int64_t{5}), 0);
}

// ---- Binding a KEY column ---------------------------------------------------

v1::Column Strings(const std::string& name, std::vector<std::string> values) {
  v1::Column column;
  column.set_name(name);
  for (std::string& v : values) column.mutable_strings()->add_values(v);
  return column;
}

v1::Column Int64s(const std::string& name, std::vector<int64_t> values) {
  v1::Column column;
  column.set_name(name);
  for (int64_t v : values) column.mutable_int64s()->add_values(v);
  return column;
}

v1::Column Encoded(const std::string& name, std::vector<uint32_t> codes,
                   std::vector<std::string> entries) {
  v1::Column column;
  column.set_name(name);
  for (uint32_t c : codes) column.mutable_keys()->add_codes(c);
  for (std::string& e : entries) column.mutable_keys()->add_entries(e);
  return column;
}

class BindKeysTest : public ::testing::Test {
 protected:
  // Binds one chunk with `columns` as chunk number `chunk` of the call.
  absl::StatusOr<BoundChunk> Bind(std::vector<v1::Column> columns,
                                  uint64_t row_offset = 0) {
    requests_.emplace_back();
    for (v1::Column& c : columns) *requests_.back().add_columns() = c;
    const CallArgs args = ArgsFromRequest(requests_.back());
    return BoundChunk::Bind(DistinctKeysDescriptor(), params_, args,
                            ChunkPosition{row_offset == 0, row_offset, nullptr},
                            {}, &keys_);
  }
  // The texts of a bound chunk's customer codes.
  static std::vector<std::string> Texts(const BoundChunk& bound) {
    const kpi_chunk& chunk = bound.chunk();
    const kpi_key_column& column = chunk.keys[0];
    std::vector<std::string> texts;
    for (size_t row = 0; row < chunk.num_rows; ++row) {
      const kpi_string_view t = column.dictionary->text(
          column.dictionary->context, column.codes[row]);
      texts.emplace_back(t.data, t.size);
    }
    return texts;
  }

  BoundParams params_ =
      *BoundParams::Bind(DistinctKeysDescriptor(), std::vector<NamedValue>{});
  CallKeys keys_{DistinctKeysDescriptor(), 1000};
  std::deque<v1::ComputeRequest> requests_;
};

TEST_F(BindKeysTest, StringsInt64sAndDictionaryCodesShareTheCallsCodes) {
  absl::StatusOr<BoundChunk> a = Bind({Strings("customer", {"7", "x", "7"})});
  ASSERT_TRUE(a.ok()) << a.status();
  const kpi_chunk& chunk = a->chunk();
  EXPECT_EQ(chunk.inputs[0].type, KPI_TYPE_KEY);
  EXPECT_EQ(chunk.inputs[0].length, 3u);
  EXPECT_THAT(
      std::vector<int32_t>(chunk.keys[0].codes, chunk.keys[0].codes + 3),
      ElementsAre(0, 1, 0));
  EXPECT_EQ(chunk.keys[1].codes, nullptr);  // not a KEY input

  absl::StatusOr<BoundChunk> b = Bind({Int64s("customer", {8, 7})}, 3);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_THAT(std::vector<int32_t>(b->chunk().keys[0].codes,
                                   b->chunk().keys[0].codes + 2),
              ElementsAre(2, 0));

  // The caller's own dictionary: its codes are not the call's.
  absl::StatusOr<BoundChunk> c =
      Bind({Encoded("customer", {0, 1, 0}, {"y", "x"})}, 5);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_THAT(Texts(*c), ElementsAre("y", "x", "y"));
  // Later chunks use earlier entries and add their own.
  absl::StatusOr<BoundChunk> d =
      Bind({Encoded("customer", {2, 1, 0}, {"z"})}, 8);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(Texts(*d), ElementsAre("z", "x", "y"));
  EXPECT_EQ(d->chunk().keys[0].dictionary->size(
                d->chunk().keys[0].dictionary->context),
            5u);  // 7, x, 8, y, z
}

TEST_F(BindKeysTest, RefusesACodeOutsideTheCallersDictionaryNamingTheRow) {
  ASSERT_TRUE(Bind({Encoded("customer", {0}, {"a"})}).ok());
  absl::StatusOr<BoundChunk> bound =
      Bind({Encoded("customer", {0, 1, 2}, {"b"})}, 1);
  EXPECT_EQ(bound.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bound.status().message(),
            "input 'customer' row 3: code 2 is not in the dictionary, which "
            "has 2 entries so far (codes start at 0; send a key's entry in "
            "the chunk that first uses it, or an earlier one)");
}

TEST_F(BindKeysTest, RefusesEmptyKeysAndEntriesNamingTheRow) {
  EXPECT_EQ(Bind({Strings("customer", {"a", ""})}, 10).status().message(),
            "input 'customer' row 11: the key is empty; every key needs an id");
  EXPECT_EQ(Bind({Encoded("customer", {0}, {"a", ""})}).status().message(),
            "input 'customer': dictionary entry 1 (entry 1 of this chunk): "
            "the key is empty; every key needs an id");
}

TEST_F(BindKeysTest, RefusesOtherTypesSayingWhatAKeyColumnHolds) {
  v1::Column doubles;
  doubles.set_name("customer");
  doubles.mutable_doubles()->add_values(1);
  EXPECT_EQ(Bind({doubles}).status().message(),
            "input 'customer': must be a key column (strings, int64s or "
            "dictionary codes), got double");
  // Codes are for KEY inputs only.
  EXPECT_EQ(Bind({Strings("customer", {"a"}), Encoded("amount", {0}, {"a"})})
                .status()
                .message(),
            "input 'amount': must be a double column, got key");
}

TEST_F(BindKeysTest, ARefusedChunkAddsNoKey) {
  v1::Column amounts;
  amounts.set_name("amount");
  amounts.mutable_doubles()->add_values(1);
  amounts.mutable_doubles()->add_values(std::nan(""));
  EXPECT_FALSE(Bind({Strings("customer", {"a", "b"}), amounts}).ok());
  absl::StatusOr<BoundChunk> next = Bind({Strings("customer", {"c"})});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->chunk().keys[0].codes[0], 0);
}

// ---- Whole calls with a bundled records metric ------------------------------

std::shared_ptr<const MetricRegistry> LoadBundled(Isolation isolation) {
  MetricRegistry::Options options;
  options.isolation = isolation;
  options.check_plugins = false;  // tests/conformance checks them
  auto loaded = MetricRegistry::Load(
      {KPI_PLUGIN_DIR}, [](absl::string_view) {}, options);
  EXPECT_TRUE(loaded.ok()) << loaded.status();
  return loaded.ok() ? *loaded : nullptr;
}

constexpr int64_t kDay = int64_t{86400} * 1000000;

// A chunk of repeat_purchase_rate orders in the window [day 0, day 10):
// `customers` and, for row r of the call, the time day (r % 3).
v1::ComputeStreamRequest Chunk(v1::Column customers, size_t rows,
                               size_t row_offset) {
  v1::ComputeStreamRequest chunk;
  if (row_offset == 0) {
    chunk.set_metric("repeat_purchase_rate");
    (*chunk.mutable_parameters())["window_start"].set_int64_value(0);
    (*chunk.mutable_parameters())["window_end"].set_int64_value(10 * kDay);
  }
  customers.set_name("customer");
  *chunk.add_columns() = customers;
  v1::Column* times = chunk.add_columns();
  times->set_name("time");
  for (size_t row = row_offset; row < row_offset + rows; ++row) {
    times->mutable_timestamps()->add_unix_micros(static_cast<int64_t>(row % 3) *
                                                 kDay);
  }
  return chunk;
}

absl::StatusOr<v1::MetricResult> Stream(
    const MetricRegistry& registry,
    const std::vector<v1::ComputeStreamRequest>& chunks,
    CallLimits limits = {}) {
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(registry.Find("repeat_purchase_rate"),
                        ArgsFromRequest(chunks[0]), nullptr, limits);
  if (!call.ok()) return call.status();
  for (const v1::ComputeStreamRequest& chunk : chunks) {
    if (absl::Status s = call->Add(ArgsFromRequest(chunk)); !s.ok()) return s;
  }
  return call->Finish();
}

// Two chunks of 10 orders. Chunk 0 row r is customer 100 + r, except row 4
// (customer 103 again, back to back); chunk 1 the same, except row 9, a new
// customer 110. So 10 customers; 100-103 and 105-108 order on two days
// (rows r and 10 + r fall on different days), 109 and 110 once.
std::vector<std::vector<v1::ComputeStreamRequest>> SameKeysThreeWays() {
  std::vector<v1::ComputeStreamRequest> strings, int64s, encoded;
  for (int part = 0; part < 2; ++part) {
    v1::Column s, i, e;
    for (int row = 0; row < 10; ++row) {
      const int customer = row == 4 ? 3 : part == 1 && row == 9 ? 10 : row;
      s.mutable_strings()->add_values(std::to_string(100 + customer));
      i.mutable_int64s()->add_values(100 + customer);
      // The caller's dictionary lists customers 109 .. 100 (104 unused),
      // then 110 in the chunk that first uses it.
      e.mutable_keys()->add_codes(
          static_cast<uint32_t>(customer == 10 ? 10 : 9 - customer));
    }
    if (part == 0) {
      for (int c = 9; c >= 0; --c) {
        e.mutable_keys()->add_entries(std::to_string(100 + c));
      }
    } else {
      e.mutable_keys()->add_entries("110");
    }
    const size_t offset = static_cast<size_t>(part) * 10;
    strings.push_back(Chunk(s, 10, offset));
    int64s.push_back(Chunk(i, 10, offset));
    encoded.push_back(Chunk(e, 10, offset));
  }
  return {strings, int64s, encoded};
}

TEST(KeyCallTest, StringsInt64sAndCodesGiveOneAnswerInEitherIsolation) {
  for (Isolation isolation : {Isolation::kNone, Isolation::kProcess}) {
    std::shared_ptr<const MetricRegistry> registry = LoadBundled(isolation);
    ASSERT_NE(registry, nullptr);
    for (const auto& chunks : SameKeysThreeWays()) {
      absl::StatusOr<v1::MetricResult> result = Stream(*registry, chunks);
      ASSERT_TRUE(result.ok()) << result.status();
      EXPECT_EQ(result->sample_size(), 10);
      EXPECT_DOUBLE_EQ(result->value(), 80);
    }
  }
}

TEST(KeyCallTest, TheDistinctKeyLimitIsResourceExhaustedNamingTheFlag) {
  std::shared_ptr<const MetricRegistry> registry =
      LoadBundled(Isolation::kNone);
  ASSERT_NE(registry, nullptr);
  CallLimits limits;
  limits.max_distinct_keys = 5;
  absl::StatusOr<v1::MetricResult> result =
      Stream(*registry, SameKeysThreeWays()[0], limits);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(result.status().message(),
            "input 'customer': the call passed its limit of 5 distinct keys "
            "(kpi-server --max-distinct-keys); split the call, or raise the "
            "limit");
}

// group_by columns are interned by the same dictionaries; past the segment
// limit the call says which limit it passed, whatever the key's type.
TEST(KeyCallTest, GroupByPastTheSegmentLimitIsResourceExhausted) {
  std::shared_ptr<const MetricRegistry> registry =
      LoadBundled(Isolation::kNone);
  ASSERT_NE(registry, nullptr);
  const int rows = static_cast<int>(SegmentedState::kMaxSegments) + 1;
  for (bool int64_keys : {false, true}) {
    v1::ComputeRequest request;
    request.set_metric("nps");
    v1::Column* scores = request.add_columns();
    scores->set_name("scores");
    v1::Column* region = request.add_columns();
    region->set_name("region");
    for (int row = 0; row < rows; ++row) {
      scores->mutable_doubles()->add_values(row % 11);
      if (int64_keys) {
        region->mutable_int64s()->add_values(row);
      } else {
        region->mutable_strings()->add_values("r" + std::to_string(row));
      }
    }
    request.add_group_by("region");
    absl::StatusOr<v1::MetricResult> result =
        ComputeOnce(registry->Find("nps"), ArgsFromRequest(request));
    EXPECT_EQ(result.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_THAT(std::string(result.status().message()),
                HasSubstr("more than 100000 segments (the limit of segments "
                          "per call)"));
  }
}

}  // namespace
}  // namespace kpi
