#include "tests/catalog/catalog_harness.h"

#include <gmock/gmock.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bound_chunk.h"
#include "bound_params.h"
#include "call_args.h"
#include "input_form.h"
#include "metric_call.h"
#include "metric_registry.h"
#include "metric_state.h"
#include "result_sink.h"
#include "tests/catalog/result_invariants.h"

namespace kpi::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kParts = 3;     // chunks, and states to merge
constexpr int kSegments = 2;  // synthetic segments
constexpr char kSegmentColumn[] = "catalog_test_segment";

std::shared_ptr<const MetricRegistry> LoadBundled(Isolation isolation) {
  MetricRegistry::Options options;
  options.isolation = isolation;
  // The bundled plugins' conformance is tests/conformance's business; each
  // of these test processes only computes with them.
  options.check_plugins = false;
  auto loaded = MetricRegistry::Load(
      {KPI_PLUGIN_DIR}, [](absl::string_view) {}, options);
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.status();
    return nullptr;
  }
  return *loaded;
}

// The bundled plugins as the server runs them by default, each in its
// worker process; in this process when KPI_TEST_ISOLATION=none (the suite
// runs both ways, tests/catalog/CMakeLists.txt).
const MetricRegistry& Registry() {
  static const auto registry = [] {
    const char* isolation = std::getenv("KPI_TEST_ISOLATION");
    return LoadBundled(isolation && std::string(isolation) == "none"
                           ? Isolation::kNone
                           : Isolation::kProcess);
  }();
  return *registry;
}

}  // namespace

const std::vector<std::shared_ptr<const Metric>>& LoadedMetrics() {
  return Registry().metrics();
}

namespace {

// The same plugins in this process: merging states directly, and the
// other isolation mode's results.
const MetricRegistry& InProcessRegistry() {
  static const auto registry = LoadBundled(Isolation::kNone);
  return *registry;
}

struct Outcome {
  absl::Status status;
  v1::MetricResult result;
};

std::shared_ptr<const Metric> Find(const v1::ComputeRequest& request) {
  return Registry().Find(request.metric());
}

Outcome Compute(const v1::ComputeRequest& request,
                const MetricRegistry& registry = Registry()) {
  std::shared_ptr<const Metric> metric = registry.Find(request.metric());
  if (metric == nullptr) {
    return {absl::NotFoundError(absl::StrCat("no metric ", request.metric())),
            {}};
  }
  absl::StatusOr<v1::MetricResult> result =
      ComputeOnce(metric, ArgsFromRequest(request));
  if (!result.ok()) return {result.status(), {}};
  return {absl::OkStatus(), *std::move(result)};
}

size_t Rows(const v1::ComputeRequest& request) {
  return request.columns_size() == 0 ? 0 : ColumnLength(request.columns(0));
}

// The rows of `column` for which keep(row) holds.
template <typename Keep>
v1::Column SelectRows(const v1::Column& column, Keep keep) {
  v1::Column out;
  out.set_name(column.name());
  switch (column.values_case()) {
    case v1::Column::kDoubles: {
      auto* values = out.mutable_doubles()->mutable_values();
      for (int i = 0; i < column.doubles().values_size(); ++i) {
        if (keep(i)) values->Add(column.doubles().values(i));
      }
      break;
    }
    case v1::Column::kInt64S: {
      auto* values = out.mutable_int64s()->mutable_values();
      for (int i = 0; i < column.int64s().values_size(); ++i) {
        if (keep(i)) values->Add(column.int64s().values(i));
      }
      break;
    }
    case v1::Column::kStrings: {
      auto* values = out.mutable_strings()->mutable_values();
      for (int i = 0; i < column.strings().values_size(); ++i) {
        if (keep(i)) *values->Add() = column.strings().values(i);
      }
      break;
    }
    case v1::Column::kTimestamps: {
      auto* values = out.mutable_timestamps()->mutable_unix_micros();
      for (int i = 0; i < column.timestamps().unix_micros_size(); ++i) {
        if (keep(i)) values->Add(column.timestamps().unix_micros(i));
      }
      break;
    }
    case v1::Column::kKeys:  // keys travel as strings here
    case v1::Column::VALUES_NOT_SET:
      break;
  }
  return out;
}

// `request` with only the rows for which keep(row) holds; scalars and
// parameters kept when `with_header`.
template <typename Keep>
v1::ComputeRequest SelectRequestRows(const v1::ComputeRequest& request,
                                     Keep keep, bool with_header) {
  v1::ComputeRequest out;
  if (with_header) {
    out = request;
    out.clear_columns();
  } else {
    out.set_metric(request.metric());
  }
  for (const v1::Column& column : request.columns()) {
    *out.add_columns() = SelectRows(column, keep);
  }
  return out;
}

// Part `part` of `kParts` contiguous parts of the rows; part 0 carries the
// scalars, parameters and group_by.
v1::ComputeRequest Part(const v1::ComputeRequest& request, int part) {
  const size_t rows = Rows(request);
  const size_t begin = rows * part / kParts, end = rows * (part + 1) / kParts;
  return SelectRequestRows(
      request,
      [&](int row) {
        return static_cast<size_t>(row) >= begin &&
               static_cast<size_t>(row) < end;
      },
      part == 0);
}

// The kParts parts of the request.
std::vector<v1::ComputeRequest> Parts(const v1::ComputeRequest& request) {
  std::vector<v1::ComputeRequest> parts;
  for (int p = 0; p < kParts; ++p) parts.push_back(Part(request, p));
  return parts;
}

Outcome ComputeInChunks(const v1::ComputeRequest& request) {
  std::shared_ptr<const Metric> metric = Find(request);
  const std::vector<v1::ComputeRequest> parts = Parts(request);
  absl::StatusOr<MetricCall> call =
      MetricCall::Start(metric, ArgsFromRequest(parts[0]));
  if (!call.ok()) return {call.status(), {}};
  for (const v1::ComputeRequest& part : parts) {
    if (absl::Status s = call->Add(ArgsFromRequest(part)); !s.ok()) {
      return {s, {}};
    }
  }
  absl::StatusOr<v1::MetricResult> result = call->Finish();
  if (!result.ok()) return {result.status(), {}};
  return {absl::OkStatus(), *std::move(result)};
}

// Each request in its own state, the states merged into the first, as the
// host merges the states of one call (its segments, or the parts of a
// conformance check), sharing its key dictionaries. Parameters and the input
// form are the first request's; a request that carries scalars is bound as
// the first chunk of its state.
Outcome MergeStates(const std::vector<v1::ComputeRequest>& parts) {
  std::shared_ptr<const Metric> metric =
      InProcessRegistry().Find(parts[0].metric());
  const kpi_metric_descriptor& d = metric->descriptor();
  const CallArgs first = ArgsFromRequest(parts[0]);
  absl::StatusOr<BoundParams> params = BoundParams::Bind(d, first.parameters);
  if (!params.ok()) return {params.status(), {}};
  absl::StatusOr<const char*> form = ChooseInputForm(d, first);
  if (!form.ok()) return {form.status(), {}};
  CallKeys keys(d, CallKeys::kDefaultMaxKeys);  // outlives the states
  std::vector<MetricState> states;
  for (size_t p = 0; p < parts.size(); ++p) {
    absl::StatusOr<MetricState> state = MetricState::Create(metric, *params);
    if (!state.ok()) return {state.status(), {}};
    const CallArgs args = ArgsFromRequest(parts[p]);
    const bool first_chunk = p == 0 || parts[p].scalars_size() > 0;
    absl::StatusOr<BoundChunk> chunk =
        BoundChunk::Bind(d, *params, args, ChunkPosition{first_chunk, 0, *form},
                         metric->input_orders(), &keys);
    if (!chunk.ok()) return {chunk.status(), {}};
    if (absl::Status s = state->Update(chunk->chunk()); !s.ok()) return {s, {}};
    states.push_back(*std::move(state));
  }
  for (size_t p = 1; p < states.size(); ++p) {
    if (absl::Status s = states[0].Merge(states[p]); !s.ok()) return {s, {}};
  }
  absl::StatusOr<v1::MetricResult> result = states[0].Finalize();
  if (!result.ok()) return {result.status(), {}};
  // finalize() does not change the state, so it may be called again.
  absl::StatusOr<v1::MetricResult> again = states[0].Finalize();
  EXPECT_TRUE(again.ok() && google::protobuf::util::MessageDifferencer::Equals(
                                *again, *result))
      << "a second finalize() gives another result";
  return {absl::OkStatus(), *std::move(result)};
}

// The request's rows split over kParts states, merged.
Outcome ComputeMerged(const v1::ComputeRequest& request) {
  return MergeStates(Parts(request));
}

// `request` with a string column dealing its rows to kSegments segments,
// grouped by it.
v1::ComputeRequest Grouped(const v1::ComputeRequest& request) {
  v1::ComputeRequest grouped = request;
  v1::Column* segment = grouped.add_columns();
  segment->set_name(kSegmentColumn);
  for (size_t row = 0; row < Rows(request); ++row) {
    segment->mutable_strings()->add_values(absl::StrCat("s", row % kSegments));
  }
  grouped.add_group_by(kSegmentColumn);
  return grouped;
}

std::string DeterministicBytes(const v1::MetricResult& result) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.SetSerializationDeterministic(true);
  result.SerializeToCodedStream(&out);
  out.Trim();
  return bytes;
}

double Tolerance(double expected, std::optional<double> absolute) {
  if (absolute) return *absolute;
  return std::max(1e-12, 1e-9 * std::fabs(expected));
}

void ExpectColumnsNear(const v1::Column& actual, const v1::Column& expected,
                       std::optional<double> absolute,
                       const std::string& where) {
  if (expected.has_doubles()) {
    ASSERT_TRUE(actual.has_doubles()) << where << ": not a double column";
    ASSERT_EQ(actual.doubles().values_size(), expected.doubles().values_size())
        << where << ": rows";
    for (int i = 0; i < expected.doubles().values_size(); ++i) {
      const double e = expected.doubles().values(i);
      EXPECT_NEAR(actual.doubles().values(i), e, Tolerance(e, absolute))
          << where << " row " << i;
    }
  } else {
    EXPECT_EQ(actual.SerializeAsString(), expected.SerializeAsString())
        << where << ":\n  actual   " << actual.ShortDebugString()
        << "\n  expected " << expected.ShortDebugString();
  }
}

// The same result: numbers to the tolerance, everything else exactly.
void ExpectSameResult(const v1::MetricResult& actual,
                      const v1::MetricResult& expected,
                      const std::string& how) {
  SCOPED_TRACE(how);
  ASSERT_EQ(actual.has_value(), expected.has_value())
      << "value vs undefined: " << actual.undefined_reason();
  if (expected.has_value()) {
    EXPECT_NEAR(actual.value(), expected.value(),
                Tolerance(expected.value(), std::nullopt));
  }
  EXPECT_EQ(actual.undefined_reason(), expected.undefined_reason());
  EXPECT_EQ(actual.unit(), expected.unit());
  EXPECT_NEAR(actual.ratio().numerator(), expected.ratio().numerator(),
              Tolerance(expected.ratio().numerator(), std::nullopt));
  EXPECT_NEAR(actual.ratio().denominator(), expected.ratio().denominator(),
              Tolerance(expected.ratio().denominator(), std::nullopt));
  EXPECT_NEAR(actual.interval().margin(), expected.interval().margin(),
              Tolerance(expected.interval().margin(), std::nullopt));
  EXPECT_NEAR(actual.sample_size(), expected.sample_size(),
              Tolerance(expected.sample_size(), std::nullopt));
  EXPECT_THAT(actual.warnings(),
              ::testing::ElementsAreArray(expected.warnings()));
  ASSERT_EQ(actual.tables_size(), expected.tables_size());
  for (int t = 0; t < expected.tables_size(); ++t) {
    const v1::ResultTable& a = actual.tables(t);
    const v1::ResultTable& e = expected.tables(t);
    ASSERT_EQ(a.name(), e.name());
    ASSERT_EQ(a.columns_size(), e.columns_size()) << "table " << e.name();
    for (int c = 0; c < e.columns_size(); ++c) {
      ExpectColumnsNear(
          a.columns(c), e.columns(c), std::nullopt,
          absl::StrCat("table ", e.name(), " column ", e.columns(c).name()));
    }
  }
}

const v1::Column* FindTableColumn(const v1::MetricResult& result,
                                  const std::string& table,
                                  const std::string& column) {
  for (const v1::ResultTable& t : result.tables()) {
    if (t.name() != table) continue;
    for (const v1::Column& c : t.columns()) {
      if (c.name() == column) return &c;
    }
  }
  return nullptr;
}

}  // namespace

// ---- Request
// ------------------------------------------------------------------

Request::Request(std::string metric) { request_.set_metric(std::move(metric)); }

Request& Request::Doubles(const std::string& name, std::vector<double> values) {
  v1::Column* c = request_.add_columns();
  c->set_name(name);
  c->mutable_doubles()->mutable_values()->Add(values.begin(), values.end());
  return *this;
}

Request& Request::Int64s(const std::string& name, std::vector<int64_t> values) {
  v1::Column* c = request_.add_columns();
  c->set_name(name);
  c->mutable_int64s()->mutable_values()->Add(values.begin(), values.end());
  return *this;
}

Request& Request::Strings(const std::string& name,
                          std::vector<std::string> values) {
  v1::Column* c = request_.add_columns();
  c->set_name(name);
  c->mutable_strings();  // typed even when empty
  for (std::string& v : values) c->mutable_strings()->add_values(std::move(v));
  return *this;
}

Request& Request::Timestamps(const std::string& name,
                             std::vector<std::string> values) {
  v1::Column* c = request_.add_columns();
  c->set_name(name);
  c->mutable_timestamps();  // typed even when empty
  for (const std::string& v : values) {
    c->mutable_timestamps()->add_unix_micros(Micros(v));
  }
  return *this;
}

Request& Request::Double(const std::string& name, double value) {
  (*request_.mutable_scalars())[name].set_double_value(value);
  return *this;
}

Request& Request::Int(const std::string& name, int64_t value) {
  (*request_.mutable_scalars())[name].set_int64_value(value);
  return *this;
}

Request& Request::Time(const std::string& name, const std::string& instant) {
  // A timestamp scalar may travel as int64 microseconds.
  (*request_.mutable_scalars())[name].set_int64_value(Micros(instant));
  return *this;
}

Request& Request::ParamDouble(const std::string& name, double value) {
  (*request_.mutable_parameters())[name].set_double_value(value);
  return *this;
}

Request& Request::ParamInt(const std::string& name, int64_t value) {
  (*request_.mutable_parameters())[name].set_int64_value(value);
  return *this;
}

Request& Request::ParamString(const std::string& name,
                              const std::string& value) {
  (*request_.mutable_parameters())[name].set_string_value(value);
  return *this;
}

Request& Request::ParamBool(const std::string& name, bool value) {
  (*request_.mutable_parameters())[name].set_bool_value(value);
  return *this;
}

Request& Request::ParamTime(const std::string& name,
                            const std::string& instant) {
  const int64_t micros = Micros(instant);
  google::protobuf::Timestamp* ts =
      (*request_.mutable_parameters())[name].mutable_timestamp_value();
  ts->set_seconds(micros / 1000000);
  ts->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
  return *this;
}

int64_t Micros(const std::string& instant) {
  if (instant.empty()) return OpenEnd();
  absl::Time time;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d", instant, &time, &error) ||
      absl::ParseTime(absl::RFC3339_full, instant, &time, &error)) {
    return absl::ToUnixMicros(time);
  }
  ADD_FAILURE() << "bad instant '" << instant << "': " << error;
  return 0;
}

// ---- Expect
// -------------------------------------------------------------------

Expect Expect::Ok() { return Expect(); }

Expect Expect::Value(double value) {
  Expect e;
  e.value_ = value;
  return e;
}

Expect Expect::Undefined(std::string reason_part) {
  Expect e;
  e.undefined_part_ = std::move(reason_part);
  return e;
}

Expect Expect::Error(absl::StatusCode code, std::string message_part) {
  Expect e;
  e.code_ = code;
  e.message_part_ = std::move(message_part);
  return e;
}

Expect& Expect::Ratio(double numerator, double denominator) {
  ratio_ = {numerator, denominator};
  return *this;
}

Expect& Expect::SampleSize(double sample_size) {
  sample_size_ = sample_size;
  return *this;
}

Expect& Expect::Interval(double lower, double upper, double margin,
                         double standard_error, double confidence_level) {
  v1::ConfidenceInterval interval;
  interval.set_lower(lower);
  interval.set_upper(upper);
  interval.set_margin(margin);
  interval.set_standard_error(standard_error);
  interval.set_confidence_level(confidence_level);
  interval_ = interval;
  return *this;
}

Expect& Expect::Unit(std::string unit) {
  unit_ = std::move(unit);
  return *this;
}

Expect& Expect::Warning(std::string part) {
  warning_parts_.push_back(std::move(part));
  return *this;
}

Expect& Expect::TableDoubles(std::string table, std::string column,
                             std::vector<double> cells) {
  v1::Column c;
  c.set_name(column);
  c.mutable_doubles()->mutable_values()->Add(cells.begin(), cells.end());
  tables_.push_back({std::move(table), std::move(column), std::move(c)});
  return *this;
}

Expect& Expect::TableInt64s(std::string table, std::string column,
                            std::vector<int64_t> cells) {
  v1::Column c;
  c.set_name(column);
  c.mutable_int64s()->mutable_values()->Add(cells.begin(), cells.end());
  tables_.push_back({std::move(table), std::move(column), std::move(c)});
  return *this;
}

Expect& Expect::TableStrings(std::string table, std::string column,
                             std::vector<std::string> cells) {
  v1::Column c;
  c.set_name(column);
  c.mutable_strings();
  for (std::string& s : cells) c.mutable_strings()->add_values(std::move(s));
  tables_.push_back({std::move(table), std::move(column), std::move(c)});
  return *this;
}

Expect& Expect::WarningsUnchecked() {
  warnings_unchecked_ = true;
  return *this;
}

Expect& Expect::Tolerance(double absolute) {
  tolerance_ = absolute;
  return *this;
}

void Expect::Check(const absl::Status& status,
                   const v1::MetricResult* result) const {
  if (code_ != absl::StatusCode::kOk) {
    EXPECT_EQ(status.code(), code_) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr(message_part_));
    return;
  }
  ASSERT_TRUE(status.ok()) << status;
  const v1::MetricResult& r = *result;
  if (value_) {
    ASSERT_TRUE(r.has_value()) << "undefined: " << r.undefined_reason();
    EXPECT_NEAR(r.value(), *value_,
                kpi::testing::Tolerance(*value_, tolerance_));
  }
  if (undefined_part_) {
    EXPECT_FALSE(r.has_value()) << "value " << r.value();
    EXPECT_THAT(r.undefined_reason(), HasSubstr(*undefined_part_));
  }
  if (ratio_) {
    EXPECT_NEAR(r.ratio().numerator(), ratio_->first,
                kpi::testing::Tolerance(ratio_->first, tolerance_));
    EXPECT_NEAR(r.ratio().denominator(), ratio_->second,
                kpi::testing::Tolerance(ratio_->second, tolerance_));
  }
  if (sample_size_) {
    EXPECT_EQ(r.sample_size(), *sample_size_);
  }
  if (unit_) {
    EXPECT_EQ(r.unit(), *unit_);
  }
  if (interval_) {
    ASSERT_TRUE(r.has_interval()) << "no confidence interval";
    const v1::ConfidenceInterval& got = r.interval();
    auto near = [&](double actual, double expected, const char* what) {
      EXPECT_NEAR(actual, expected,
                  kpi::testing::Tolerance(expected, tolerance_))
          << "interval " << what;
    };
    near(got.lower(), interval_->lower(), "lower");
    near(got.upper(), interval_->upper(), "upper");
    near(got.margin(), interval_->margin(), "margin");
    near(got.standard_error(), interval_->standard_error(), "standard_error");
    near(got.confidence_level(), interval_->confidence_level(),
         "confidence_level");
  }
  if (!warnings_unchecked_) {
    ASSERT_EQ(static_cast<size_t>(r.warnings_size()), warning_parts_.size())
        << ::testing::PrintToString(r.warnings());
    for (size_t i = 0; i < warning_parts_.size(); ++i) {
      EXPECT_THAT(r.warnings(static_cast<int>(i)),
                  HasSubstr(warning_parts_[i]));
    }
  }
  for (const TableColumnExpectation& t : tables_) {
    const v1::Column* actual = FindTableColumn(r, t.table, t.column);
    ASSERT_NE(actual, nullptr)
        << "no column '" << t.column << "' in table '" << t.table << "'";
    ExpectColumnsNear(*actual, t.cells, tolerance_,
                      absl::StrCat("table ", t.table, " column ", t.column));
  }
}

void PrintTo(const CatalogCase& c, std::ostream* os) { *os << c.name; }
void PrintTo(const FormPair& c, std::ostream* os) { *os << c.name; }
void PrintTo(const MergedStatesCase& c, std::ostream* os) { *os << c.name; }

// ---- The shared tests
// -------------------------------------------------------------

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CatalogCaseTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SplitCaseTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SegmentedCaseTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FormPairTest);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(MergedStatesTest);

std::vector<CatalogCase> Splittable(const std::vector<CatalogCase>& cases) {
  std::vector<CatalogCase> kept;
  for (const CatalogCase& c : cases) {
    if (c.expect.expects_ok() && Rows(c.request.proto()) >= 2) {
      kept.push_back(c);
    }
  }
  return kept;
}

std::vector<CatalogCase> Segmentable(const std::vector<CatalogCase>& cases) {
  std::vector<CatalogCase> kept;
  for (const CatalogCase& c : Splittable(cases)) {
    if (c.request.proto().scalars_size() == 0) kept.push_back(c);
  }
  return kept;
}

// Every case, and every case grouped by a synthetic segment, computed with
// the plugin in its worker and in this process: same status, same bytes.
TEST_P(CatalogCaseTest, IsolationModesAgreeBitForBit) {
  const v1::ComputeRequest& request = GetParam().request.proto();
  std::vector<v1::ComputeRequest> requests = {request};
  if (Rows(request) >= 2 && request.scalars_size() == 0) {
    requests.push_back(Grouped(request));
  }
  for (const v1::ComputeRequest& r : requests) {
    const Outcome isolated = Compute(r, Registry());
    const Outcome in_process = Compute(r, InProcessRegistry());
    EXPECT_EQ(isolated.status, in_process.status);
    EXPECT_EQ(DeterministicBytes(isolated.result),
              DeterministicBytes(in_process.result))
        << "isolated: " << isolated.result.DebugString()
        << "\nin process: " << in_process.result.DebugString();
  }
}

TEST_P(CatalogCaseTest, ComputesAsExpected) {
  const Outcome outcome = Compute(GetParam().request.proto());
  GetParam().expect.Check(outcome.status, &outcome.result);
  if (outcome.status.ok()) ExpectResultInvariants(outcome.result);
}

TEST_P(SplitCaseTest, ChunkingAndMergingChangeNothing) {
  const v1::ComputeRequest& request = GetParam().request.proto();
  const Outcome single = Compute(request);
  ASSERT_TRUE(single.status.ok()) << single.status;
  const Outcome chunked = ComputeInChunks(request);
  ASSERT_TRUE(chunked.status.ok()) << chunked.status;
  ExpectSameResult(chunked.result, single.result, "in 3 chunks");
  const Outcome merged = ComputeMerged(request);
  ASSERT_TRUE(merged.status.ok()) << merged.status;
  ExpectSameResult(merged.result, single.result, "in 3 merged states");
}

TEST_P(SegmentedCaseTest, SegmentsMatchEachSegmentAlone) {
  const v1::ComputeRequest& request = GetParam().request.proto();
  const Outcome single = Compute(request);
  ASSERT_TRUE(single.status.ok()) << single.status;
  const Outcome outcome = Compute(Grouped(request));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  ExpectSameResult(outcome.result, single.result, "overall of the segments");
  ASSERT_EQ(outcome.result.segments_size(), kSegments);
  for (int s = 0; s < kSegments; ++s) {
    const v1::SegmentResult& part = outcome.result.segments(s);
    ASSERT_THAT(part.key(), ::testing::ElementsAre(absl::StrCat("s", s)));
    const Outcome alone = Compute(SelectRequestRows(
        request, [&](int row) { return row % kSegments == s; }, true));
    ASSERT_TRUE(alone.status.ok()) << alone.status;
    ExpectSameResult(part.result(), alone.result,
                     absl::StrCat("segment s", s, " alone"));
  }
}

TEST_P(MergedStatesTest, MergedResultIsAsExpected) {
  std::vector<v1::ComputeRequest> states;
  for (const Request& state : GetParam().states)
    states.push_back(state.proto());
  const Outcome outcome = MergeStates(states);
  GetParam().expect.Check(outcome.status, &outcome.result);
  if (outcome.status.ok()) ExpectResultInvariants(outcome.result);
}

TEST_P(FormPairTest, RecordsAndAggregateAgree) {
  const Outcome records = Compute(GetParam().records.proto());
  const Outcome aggregate = Compute(GetParam().aggregate.proto());
  ASSERT_TRUE(records.status.ok()) << records.status;
  ASSERT_TRUE(aggregate.status.ok()) << aggregate.status;
  ASSERT_EQ(records.result.has_value(), aggregate.result.has_value());
  EXPECT_NEAR(records.result.value(), aggregate.result.value(),
              Tolerance(aggregate.result.value(), std::nullopt));
  EXPECT_NEAR(records.result.ratio().numerator(),
              aggregate.result.ratio().numerator(),
              Tolerance(aggregate.result.ratio().numerator(), std::nullopt));
  EXPECT_NEAR(records.result.ratio().denominator(),
              aggregate.result.ratio().denominator(),
              Tolerance(aggregate.result.ratio().denominator(), std::nullopt));
  EXPECT_EQ(records.result.unit(), aggregate.result.unit());
}

}  // namespace kpi::testing
