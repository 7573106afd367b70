// The C++ plugin layer (kpi/plugin.hpp) cannot be misused into a crash:
// handles come from the declarations whatever their order, and every
// mistake left to run time throws, which the adapter reports as the call's
// error. The mistakes caught at compile time are in sdk_mistakes.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "kpi/plugin.hpp"
#include "kpi/plugin_records.hpp"

namespace {

namespace sdk = kpi::sdk;
using ::testing::HasSubstr;

// The documented example's inputs, declared in two orders: the handles name
// the same columns either way (a wrong enum order used to read one column
// as another and crash).
struct CustomerFirst {
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_STRING, ""),
      sdk::Column("logins", KPI_TYPE_INT64, ""),
      sdk::Column("tickets", KPI_TYPE_INT64, "")};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_STRING>(kInputs, "customer");
  static constexpr auto kLogins = sdk::Input<KPI_TYPE_INT64>(kInputs, "logins");
  static constexpr auto kTickets =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "tickets");
};
struct LoginsFirst {
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("logins", KPI_TYPE_INT64, ""),
      sdk::Column("customer", KPI_TYPE_STRING, ""),
      sdk::Column("tickets", KPI_TYPE_INT64, "")};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_STRING>(kInputs, "customer");
  static constexpr auto kLogins = sdk::Input<KPI_TYPE_INT64>(kInputs, "logins");
  static constexpr auto kTickets =
      sdk::Input<KPI_TYPE_INT64>(kInputs, "tickets");
};

static_assert(CustomerFirst::kCustomer.index() == 0 &&
              CustomerFirst::kLogins.index() == 1 &&
              CustomerFirst::kTickets.index() == 2);
static_assert(LoginsFirst::kLogins.index() == 0 &&
              LoginsFirst::kCustomer.index() == 1 &&
              LoginsFirst::kTickets.index() == 2);

// A chunk laid out as `Schema` declares: customers "a", "b"; logins 3, 4;
// tickets 5, 6.
template <typename Schema>
class ChunkOf {
 public:
  ChunkOf() {
    columns_[Schema::kCustomer.index()] = {KPI_TYPE_STRING, 2, nullptr, nullptr,
                                           kIds};
    columns_[Schema::kLogins.index()] = {KPI_TYPE_INT64, 2, nullptr, kLogins,
                                         nullptr};
    columns_[Schema::kTickets.index()] = {KPI_TYPE_INT64, 2, nullptr, kTickets,
                                          nullptr};
    chunk_.num_rows = 2;
    chunk_.inputs = columns_;
    chunk_.num_inputs = 3;
  }
  sdk::Chunk chunk() const { return sdk::Chunk(chunk_); }

 private:
  static constexpr kpi_string_view kIds[] = {{"a", 1}, {"b", 1}};
  static constexpr int64_t kLogins[] = {3, 4};
  static constexpr int64_t kTickets[] = {5, 6};
  kpi_column columns_[3] = {};
  kpi_chunk chunk_ = {};
};

template <typename Schema>
void ExpectReadsItsColumns() {
  ChunkOf<Schema> data;
  const sdk::Chunk chunk = data.chunk();
  const sdk::View<kpi_string_view> ids = chunk.Strings(Schema::kCustomer);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(std::string(ids[1].data, ids[1].size), "b");
  EXPECT_EQ(chunk.Int64s(Schema::kLogins)[1], 4);
  EXPECT_EQ(chunk.Int64s(Schema::kTickets)[1], 6);
}

TEST(SdkHandlesTest, ReadTheDeclaredColumnsInAnyDeclarationOrder) {
  ExpectReadsItsColumns<CustomerFirst>();
  ExpectReadsItsColumns<LoginsFirst>();
}

TEST(SdkViewTest, IndexPastTheEndThrowsInsteadOfReading) {
  const double values[] = {1, 2};
  const sdk::View<double> view(values, 2);
  EXPECT_EQ(view[1], 2);
  EXPECT_THROW(view[2], std::out_of_range);
  EXPECT_THROW(sdk::View<double>()[0], std::out_of_range);
}

struct OneOfEach {
  static constexpr kpi_param_spec kParams[] = {
      sdk::DoubleParam("rate", 0.5, ""), sdk::Int64Param("days", 30, ""),
      sdk::StringParam("mode", "percent", "")};
  static constexpr auto kRate = sdk::Param<KPI_TYPE_DOUBLE>(kParams, "rate");
  static constexpr auto kDays = sdk::Param<KPI_TYPE_INT64>(kParams, "days");
  static constexpr auto kMode = sdk::Param<KPI_TYPE_STRING>(kParams, "mode");
};

TEST(SdkParamsTest, ReadsValuesOfTheDeclaredType) {
  const kpi_param_value values[] = {sdk::DoubleValue(0.25), sdk::Int64Value(7),
                                    sdk::StringValue("mean")};
  const sdk::Params params(values, 3);
  EXPECT_EQ(params.Double(OneOfEach::kRate), 0.25);
  EXPECT_EQ(params.Int64(OneOfEach::kDays), 7);
  EXPECT_EQ(params.String(OneOfEach::kMode), "mean");
}

// A DOUBLE value where the declaration says INT64 used to read as 0.
TEST(SdkParamsTest, AValueOfAnotherTypeThrowsInsteadOfReadingZero) {
  const kpi_param_value values[] = {
      sdk::DoubleValue(0.25), sdk::DoubleValue(7.5), sdk::StringValue("mean")};
  const sdk::Params params(values, 3);
  EXPECT_THROW(params.Int64(OneOfEach::kDays), std::logic_error);
  const sdk::Params too_few(values, 1);
  EXPECT_THROW(too_few.String(OneOfEach::kMode), std::out_of_range);
}

TEST(SdkExampleTest, AnExampleWithoutExpectationThrowsWhenUsed) {
  const sdk::Example example("no expectation");
  EXPECT_THROW(static_cast<void>(static_cast<kpi_example>(example)),
               std::logic_error);
  const kpi_example ok = example.ExpectUndefined();
  EXPECT_EQ(ok.expect, KPI_EXPECT_UNDEFINED);
  const kpi_example valued = example.Expect(0);
  EXPECT_EQ(valued.expect, KPI_EXPECT_VALUE);
}

// A metric with both run-time mistakes: an index past the end in update,
// and (through the host) a parameter of another type in create.
class Careless {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("values", KPI_TYPE_DOUBLE, "")};
  static constexpr auto kValues =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "values");
  static constexpr kpi_param_spec kParams[] = {
      sdk::Int64Param("window", 3, "")};
  static constexpr auto kWindow = sdk::Param<KPI_TYPE_INT64>(kParams, "window");
  static constexpr sdk::MetricInfo kInfo{"careless", "", ""};

  explicit Careless(const sdk::Params& params)
      : window_(params.Int64(kWindow)) {}
  void Update(const sdk::Chunk& chunk) {
    last_ = chunk.Doubles(kValues)[chunk.rows()];  // one past the end
  }
  void Merge(const Careless&) {}
  void Finalize(sdk::Result& result) const { result.Value(last_ + window_); }

 private:
  int64_t window_;
  double last_ = 0;
};

using CarelessAdapter = sdk::detail::MetricAdapter<Careless>;

TEST(SdkAdapterTest, AnIndexPastTheEndBecomesThePluginsError) {
  const kpi_param_value params[] = {sdk::Int64Value(3)};
  void* state = nullptr;
  kpi_error error = {};
  ASSERT_EQ(CarelessAdapter::Create(params, 1, &state, &error), KPI_STATUS_OK)
      << error.message;
  const double values[] = {1, 2};
  kpi_column column = {KPI_TYPE_DOUBLE, 2, values, nullptr, nullptr};
  kpi_chunk chunk = {};
  chunk.num_rows = 2;
  chunk.inputs = &column;
  chunk.num_inputs = 1;
  EXPECT_EQ(CarelessAdapter::Update(state, &chunk, &error),
            KPI_STATUS_INTERNAL);
  EXPECT_STREQ(error.message, "index past the end of a View");
  CarelessAdapter::Destroy(state);
}

TEST(SdkAdapterTest, AParameterOfAnotherTypeBecomesThePluginsError) {
  const kpi_param_value params[] = {sdk::DoubleValue(3.5)};
  void* state = nullptr;
  kpi_error error = {};
  EXPECT_EQ(CarelessAdapter::Create(params, 1, &state, &error),
            KPI_STATUS_INTERNAL);
  EXPECT_THAT(error.message, HasSubstr("another type than declared"));
  EXPECT_EQ(state, nullptr);
}

// ---- KEY inputs (ABI 1.3) ------------------------------------------------

// A dictionary of three keys, as a host would give it.
struct ThreeKeys {
  static size_t Size(const void*) { return 3; }
  static kpi_string_view Text(const void*, int32_t code) {
    static const char* const kTexts[] = {"a", "bb", "ccc"};
    return {kTexts[code], std::strlen(kTexts[code])};
  }
  kpi_key_dictionary abi = {nullptr, &Size, &Text};
};

struct Keyed {
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("amount", KPI_TYPE_DOUBLE, ""),
      sdk::Column("customer", KPI_TYPE_KEY, "")};
  static constexpr auto kCustomer =
      sdk::Input<KPI_TYPE_KEY>(kInputs, "customer");
};

TEST(SdkKeysTest, AChunkGivesCodesAndTheCallsKeys) {
  ThreeKeys keys;
  const int32_t codes[] = {2, 0, 2};
  kpi_column columns[2] = {{KPI_TYPE_DOUBLE, 0, nullptr, nullptr, nullptr},
                           {KPI_TYPE_KEY, 3, nullptr, nullptr, nullptr}};
  kpi_key_column key_columns[2] = {{nullptr, nullptr}, {codes, &keys.abi}};
  kpi_chunk chunk = {};
  chunk.num_rows = 3;
  chunk.inputs = columns;
  chunk.num_inputs = 2;
  chunk.keys = key_columns;
  const sdk::KeyColumn customers = sdk::Chunk(chunk).Keys(Keyed::kCustomer);
  ASSERT_EQ(customers.codes.size(), 3u);
  EXPECT_EQ(customers.codes[0], 2);
  EXPECT_EQ(customers.keys.size(), 3u);
  EXPECT_EQ(customers.keys.Text(1), "bb");
  EXPECT_THROW(customers.keys.Text(3), std::out_of_range);
  EXPECT_THROW(customers.keys.Text(-1), std::out_of_range);
  // A chunk without the input (or from a host without keys) has none.
  chunk.keys = nullptr;
  EXPECT_TRUE(sdk::Chunk(chunk).Keys(Keyed::kCustomer).codes.empty());
}

TEST(SdkKeysTest, PerKeyKeepsOneValuePerCodeAndMergesByCode) {
  ThreeKeys keys;
  const int32_t first[] = {2, 0, 2};
  const int32_t second[] = {1, 2};
  sdk::PerKey<int> a, b;
  a.Track({sdk::View<int32_t>(first, 3), sdk::Keys(&keys.abi)});
  for (int32_t code : first) {
    bool added = false;
    ++a.At(code, added);
  }
  b.Track({sdk::View<int32_t>(second, 2), sdk::Keys(&keys.abi)});
  for (int32_t code : second) {
    bool added = false;
    b.At(code, added) += 10;
  }
  a.Merge(b, [](int& mine, int theirs) { mine += theirs; });
  std::vector<std::string> seen;
  a.ForEach([&](int32_t code, int n) {
    seen.push_back(std::string(a.Text(code)) + "=" + std::to_string(n));
  });
  EXPECT_THAT(seen, ::testing::ElementsAre("a=1", "bb=10", "ccc=12"));
  EXPECT_EQ(a.count(), 3u);
}

TEST(SdkKeysTest, ACodeNotTrackedThrowsInsteadOfWritingOutOfBounds) {
  sdk::PerKey<int> values;
  bool added = false;
  EXPECT_THROW(values.At(0, added), std::out_of_range);
  EXPECT_THROW(values.At(-1, added), std::out_of_range);
}

// A plugin with a KEY input needs a 1.3 host: the entry refuses an older
// one by name instead of reading chunk fields it lacks.
class KeyMetric {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_KEY, "").Required()};
  static constexpr sdk::MetricInfo kInfo{"key_metric", "", ""};
  explicit KeyMetric(const sdk::Params&) {}
  void Update(const sdk::Chunk&) {}
  void Merge(const KeyMetric&) {}
  void Finalize(sdk::Result& result) const { result.Value(0); }
};

TEST(SdkKeysTest, APluginWithKeysRefusesAHostOlderThan1_3) {
  using Table = sdk::detail::PluginTable<KeyMetric>;
  const kpi_plugin_descriptor descriptor = {KPI_ABI_VERSION_MAJOR,
                                            KPI_ABI_VERSION_MINOR,
                                            "keys",
                                            "1",
                                            "",
                                            Table::kMetrics,
                                            1,
                                            Table::kExtras};
  kpi_error error = {};
  EXPECT_EQ(sdk::Negotiate(&descriptor, 1, 2, &error), nullptr);
  EXPECT_STREQ(error.message,
               "metric 'key_metric' has key input 'customer', which needs a "
               "host of ABI 1.3 or later; this host speaks 1.2");
  EXPECT_EQ(sdk::Negotiate(&descriptor, 1, 3, &error), &descriptor);
}

}  // namespace
